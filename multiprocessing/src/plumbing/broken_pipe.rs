//! A reader that goes away (`example | head -n 1`, a pager quit early): end at once, quietly.
//!
//! Rust ignores SIGPIPE, so a write to a pipe nobody reads fails and `println!` panics. The
//! thread dies with a trace, and the threads waiting for it (on a `Barrier`, a `Condvar`, a
//! channel) wait for ever. [`install`] makes a process do what a C program does instead: die of
//! SIGPIPE (a shell reports status 141) and print nothing, whichever thread finds out first:
//! - a panic hook ends the process that way when the reader of stdout or stderr is gone, before
//!   any panic text is printed;
//! - a watcher thread waits for the reader to leave (`poll` reports an error on a pipe whose
//!   reader closed it) and does the same, so an example asleep for minutes ends too.
//!
//! SIGPIPE itself stays ignored: ipc-channel writes to its sockets without `MSG_NOSIGNAL`, and a
//! child that dies must not take its parent with it through a channel.
//!
//! The hook also turns the panic of a thread that could not be started (`thread::spawn` panics
//! where `thread::Builder::spawn` returns an error) into one line naming the limit that was hit,
//! and exit code 1.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::FileTypeExt as _;
use std::sync::Once;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

/// Installs the panic hook and starts the watcher thread; once per process, later calls do
/// nothing. A program calls it at the start of `main`, after [`crate::run_if_child`].
pub fn install() {
    install_hook();
    static WATCHING: Once = Once::new();
    WATCHING.call_once(|| {
        // Without the watcher a program still ends quietly, at its next write.
        let _ = std::thread::Builder::new()
            .name("reader-watch".into())
            .spawn(|| {
                if reader_left_within(PollTimeout::NONE) {
                    die_of_sigpipe();
                }
            });
    });
}

/// The panic hook alone, which every child this crate starts installs once it has its
/// arguments. A child needs no watcher: when the reader leaves, its parent's watcher ends the
/// parent, and the child's lifeline then ends the child, as quietly.
pub(crate) fn install_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if reader_gone() {
                die_of_sigpipe();
            }
            if let Some(line) = thread_start_failure(info) {
                crate::report::exit_with(1, &line);
            }
            previous(info);
        }));
    });
}

/// Whether the reader of stdout or stderr has gone away: a later write would fail with EPIPE.
pub fn reader_gone() -> bool {
    reader_left_within(PollTimeout::ZERO)
}

/// Whether the reader of stdout or stderr (a pipe or a socket) goes away within `timeout`.
fn reader_left_within(timeout: PollTimeout) -> bool {
    let (stdout, stderr) = (io::stdout(), io::stderr());
    let mut fds: Vec<_> = [stdout.as_fd(), stderr.as_fd()]
        .into_iter()
        .filter(|&fd| is_pipe_or_socket(fd))
        .map(|fd| PollFd::new(fd, PollFlags::empty()))
        .collect();
    // With no events asked for, `poll` returns only for an error (a pipe whose reader has
    // closed it) or a hang-up (a socket whose peer has).
    !fds.is_empty() && poll(&mut fds, timeout).is_ok_and(|ready| ready > 0)
}

/// Ends the process as a write to a closed pipe ends a C program: by SIGPIPE.
pub fn die_of_sigpipe() -> ! {
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGPIPE);
    std::process::exit(141) // only if the signal could not be raised: the status a shell shows
}

fn is_pipe_or_socket(fd: BorrowedFd<'_>) -> bool {
    let Ok(owned) = fd.try_clone_to_owned() else {
        return false;
    };
    File::from(owned).metadata().is_ok_and(|metadata| {
        let kind = metadata.file_type();
        kind.is_fifo() || kind.is_socket()
    })
}

/// The line for a panic of `thread::spawn` (or a crate's spawn) that hit a resource limit:
/// `cannot start a thread: Resource temporarily unavailable (os error 11); the limit on …`.
fn thread_start_failure(info: &std::panic::PanicHookInfo<'_>) -> Option<String> {
    let payload = info.payload();
    let message = super::panic_text(payload)?;
    if !message.contains("spawn") {
        return None;
    }
    // std's message ends with the io::Error's Debug form, `Os { code: 11, … }`; others with
    // its Display form, `… (os error 11)`.
    let code = ["code: ", "os error "].iter().find_map(|marker| {
        let (_, rest) = message.split_once(marker)?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<i32>().ok()
    })?;
    let error = io::Error::from_raw_os_error(code);
    let note = crate::plumbing::limits::note(&error)?;
    Some(format!("cannot start a thread: {error}; {note}"))
}
