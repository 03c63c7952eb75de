//! Child processes the way Python's `multiprocessing` starts them with its `spawn` method.
//!
//! Rust has no `multiprocessing`, and `fork()` is unsafe in a program with threads, so a child
//! is this same executable started again:
//!
//! 1. [`Process::spawn`] runs [`std::env::current_exe`] with the name of the [`Target`] to run in
//!    an environment variable, and one end of a socket pair as the child's stdin: the
//!    *bootstrap* socket.
//! 2. The child's `main` calls [`run_if_child`] first (the twin of Python's
//!    `if __name__ == '__main__':`). It finds its target, makes an [`IpcOneShotServer`] and
//!    sends its name over the bootstrap socket; the parent connects and sends the arguments.
//!    They are typed by the target, so both sides agree on the type at compile time, and they
//!    may carry [`IpcSender`]s and [`IpcReceiver`]s: that is how a queue or a [`Connection`]
//!    reaches a child.
//! 3. The child runs the target's function and exits: code 0 on `Ok`, 1 on `Err`, 101 on a panic.
//!
//! Queues need no type of their own: a Python `Queue` with many producers is
//! [`ipc_channel::ipc::channel`], with a clone of the sender for every child. The receiver sees
//! the end of the queue once every sender is gone, the parent's own included.
//!
//! Nothing outlives the parent, and nothing is left on disk:
//! - dropping a [`Process`] whose child still runs kills (SIGKILL) and reaps the child; a child
//!   that has finished its target gets a moment to print its error and exit first;
//! - the parent never writes to the bootstrap socket, so the child's read on it returns only
//!   when the parent has died (even by SIGKILL): the child then exits at once;
//! - the one-shot server's socket file lives in the child, only during the handshake; a child
//!   whose parent dies then removes it before exiting, and blocks Ctrl-C (SIGINT, SIGTERM,
//!   SIGHUP, SIGQUIT) until it is gone;
//! - a child that dies or hangs before the handshake makes [`Process::spawn`] fail instead of
//!   waiting forever.
//!
//! Every failure is an [`anyhow::Error`] of one line naming the child the way Python names it:
//! `Process-3 (fun1, pid 1234) exited with signal 9 (SIGKILL)`. [`explain`] adds the same to an
//! error of a channel the children fed.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
use std::os::fd::{AsFd as _, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use ipc_channel::ipc::{self, IpcOneShotServer, IpcReceiver, IpcSender};
use ipc_channel::{IpcError, TryRecvError};
use nix::sys::signal::{SigSet, SigmaskHow, Signal};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::plumbing::limits;
use crate::report;

/// Names the target a re-executed child must run. Set only by [`Process::spawn`].
const ROLE_VAR: &str = "MULTIPROCESSING_ROLE";
/// The name a parent gave its child (`Process-1`), for [`current_process`].
const NAME_VAR: &str = "MULTIPROCESSING_NAME";
/// A child that has neither connected nor exited by then is stuck: kill it and report.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a waiting parent checks whether the child has died.
const POLL_INTERVAL: Duration = Duration::from_millis(5);
/// How long a child that is exiting by itself gets before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// How long dropping a running child waits to hear that its target has returned.
const FINISH_WAIT: Duration = Duration::from_millis(100);
/// Exit code of a child whose parent went away: nobody is left to read it, but it is not 0.
const PARENT_GONE_EXIT_CODE: i32 = 1;

/// A function a child process can run, under the name the parent spawns it by.
///
/// Declare one `const` per function, next to `main`, and list it in [`run_if_child`]:
/// `const FUN1: Target<String> = Target::new("fun1", fun1);`. The argument type `A` is fixed
/// here, so the parent cannot send what the child cannot read.
pub struct Target<A> {
    name: &'static str,
    function: fn(A) -> anyhow::Result<()>,
}

impl<A> Target<A> {
    /// `name` must be unique among the targets of one binary.
    pub const fn new(name: &'static str, function: fn(A) -> anyhow::Result<()>) -> Self {
        Self { name, function }
    }

    /// The name the child is started under.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// A [`Target`] (or a pool's [`crate::Workers`]) with its argument type erased, so that
/// [`run_if_child`] can take a list.
///
/// Sealed: this crate's `Target` and `Workers` are its only implementations.
pub trait AnyTarget: ChildRole {}

mod sealed {
    /// What a child does with its role, out of users' sight: [`super::AnyTarget`] is sealed
    /// by it (a public trait in a private module).
    pub trait ChildRole: Sync {
        /// The target's name.
        fn name(&self) -> &'static str;
        /// Child side: receive the arguments through `handshake`, then run the function.
        fn run_in_child(&self, handshake: super::Handshake) -> anyhow::Result<()>;
    }
}
pub(crate) use sealed::ChildRole;

impl<A: Serialize + DeserializeOwned> AnyTarget for Target<A> {}

impl<A: Serialize + DeserializeOwned> ChildRole for Target<A> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn run_in_child(&self, handshake: Handshake) -> anyhow::Result<()> {
        (self.function)(handshake.arguments())
    }
}

/// The child's side of the handshake, handed to [`ChildRole::run_in_child`].
pub struct Handshake {
    bootstrap: UnixStream,
    /// The signal mask to restore once nothing is left to clean up.
    mask: SigSet,
}

/// The one-shot server's directory while this child's handshake runs: what a child whose parent
/// dies must remove before it exits.
static HANDSHAKE_DIR: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The directories of [`scratch_dir`]: what any child finding its parent gone removes.
static SCRATCH_DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// In a child: makes `dir` (and its parents) unless it exists, and removes it should the parent
/// die first. For files the children of one run share (a SQLite database, say), which a parent
/// killed with SIGKILL could not remove itself; the parent removes `dir` when it ends normally.
///
/// Have a child make the directory, not the parent: a parent killed between making it and
/// starting its first child would leave it behind. Every child sharing `dir` calls this, so
/// that the last one left still removes it.
pub fn scratch_dir(dir: &Path) -> io::Result<()> {
    // Held from the creation to the registration, so that a parent dying in between (whose
    // news another thread of ours handles) still finds the directory to remove.
    let mut dirs = lock(&SCRATCH_DIRS);
    std::fs::create_dir_all(dir)?;
    dirs.push(dir.to_owned());
    Ok(())
}

impl Handshake {
    /// Receives the arguments the parent sends. A failure here is reported to the parent, which
    /// makes it the error of its [`Process::spawn`], and ends this process.
    pub(crate) fn arguments<A: Serialize + DeserializeOwned>(self) -> A {
        match self.receive() {
            Ok(arguments) => {
                let _ = self.mask.thread_set_mask(); // a Ctrl-C held back is delivered here
                crate::plumbing::broken_pipe::install_hook();
                crate::plumbing::trace::install_from_env();
                arguments
            }
            Err(reason) => {
                let _ = send_line(&self.bootstrap, &format!("error {reason}"));
                remove_handshake_dir();
                std::process::exit(1);
            }
        }
    }

    fn receive<A: Serialize + DeserializeOwned>(&self) -> Result<A, String> {
        // The parent checked TMPDIR, the same in both, before it spawned us.
        // The lock is held from the directory's creation to its registration, so that a parent
        // dying in between still finds it to remove.
        let mut dir = lock(&HANDSHAKE_DIR);
        let (server, name) = IpcOneShotServer::<A>::new().map_err(|error| {
            format!(
                "cannot make the handshake server: {error}{}",
                limits::suffix(&error)
            )
        })?;
        *dir = Path::new(&name).parent().map(Path::to_owned);
        drop(dir);
        if send_line(&self.bootstrap, &format!("server {name}")).is_err() {
            drop(server);
            parent_gone();
        }
        // `accept` removes the server's directory once the parent has connected.
        let accepted = server.accept();
        *lock(&HANDSHAKE_DIR) = None;
        let (_, arguments) = accepted.map_err(|error| match error {
            ipc_channel::IpcError::Io(error) => {
                format!(
                    "the parent sent no arguments: {error}{}",
                    limits::suffix(&error)
                )
            }
            other => format!("the parent sent no arguments: {other}"),
        })?;
        if send_line(&self.bootstrap, "ready").is_err() {
            parent_gone();
        }
        Ok(arguments)
    }
}

/// This process, as Python's `multiprocessing.current_process()` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentProcess {
    /// `MainProcess` in the program a user started, `Process-1`, `Process-2`, … in the children
    /// it spawned, pool workers included.
    pub name: String,
    /// `current_process().pid`, which is also `std::process::id()`.
    pub pid: u32,
}

/// `multiprocessing.current_process()`: the name and pid of the process that calls it.
pub fn current_process() -> CurrentProcess {
    let in_child = std::env::var_os(ROLE_VAR).is_some();
    let name = std::env::var(NAME_VAR).ok().filter(|_| in_child);
    CurrentProcess {
        name: name.unwrap_or_else(|| "MainProcess".to_owned()),
        pid: std::process::id(),
    }
}

/// `multiprocessing.cpu_count()`: how many CPUs this process may run on, the number a pool
/// starts workers for by default ([`crate::Pool::with_cpus`]). Like Python 3.13's
/// `os.process_cpu_count()`, it counts the CPUs this process is allowed (its affinity, its
/// cgroup's quota), which is fewer than the machine's in a container; 1 if it cannot tell.
pub fn cpu_count() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// In a child started by [`Process::spawn`]: runs the target named by the parent and exits the
/// process, never returning. In any other process: checks that `TMPDIR` can hold a child's
/// handshake socket (one line on stderr and exit code 2 if not), and returns.
///
/// Call it as the first statement of `main`, before parsing flags or starting threads: a child
/// must not run the parent's code (Python's `if __name__ == '__main__':` guard, turned around).
pub fn run_if_child(targets: &[&dyn AnyTarget]) {
    let Some(role) = std::env::var_os(ROLE_VAR) else {
        if let Err(message) = check_temp_dir() {
            report::exit_with(2, &message);
        }
        return;
    };
    let role = role.to_string_lossy().into_owned();
    let bootstrap = take_bootstrap().unwrap_or_else(|error| {
        report::exit_with(2, &format!(
            "{ROLE_VAR}={role} is set, but this process was not started by Process::spawn ({error})"
        ))
    });
    // Until the handshake's socket file is gone, a Ctrl-C waits: it would leave the file behind.
    let mask = termination_signals()
        .thread_swap_mask(SigmaskHow::SIG_BLOCK)
        .unwrap_or_else(|_| SigSet::empty());
    let failure = |reason: String| -> ! {
        let _ = send_line(&bootstrap, &format!("error {reason}"));
        std::process::exit(1);
    };
    let Some(target) = targets.iter().find(|target| target.name() == role) else {
        failure(format!(
            "{ROLE_VAR}={role} names no target of this program's run_if_child"
        ));
    };
    let watcher = bootstrap.try_clone().and_then(|socket| {
        thread::Builder::new()
            .name("parent-watch".into())
            .spawn(move || watch_parent(socket))
    });
    if let Err(error) = watcher {
        failure(format!(
            "cannot start the parent-watch thread: {error}{}",
            limits::suffix(&error)
        ));
    }
    let handshake = bootstrap
        .try_clone()
        .map(|bootstrap| Handshake { bootstrap, mask });
    let handshake =
        handshake.unwrap_or_else(|error| failure(format!("{error}{}", limits::suffix(&error))));

    let outcome = target.run_in_child(handshake);
    // From here on, a parent dropping our handle waits for us to exit instead of killing us.
    let _ = send_line(&bootstrap, "done");
    let code = match outcome {
        Ok(()) => 0,
        Err(error) => {
            let limit = error
                .chain()
                .find_map(|cause| cause.downcast_ref::<io::Error>())
                .map(limits::suffix)
                .unwrap_or_default();
            let text = format!("{error:#}{limit}").replace('\n', " ");
            // The parent reports it: `join` fails with it, a handle dropped unjoined prints it.
            if send_line(&bootstrap, &format!("failed {text}")).is_err() {
                // The parent is gone. If our reader is too, the error is only its echo (a
                // queue whose other end closed as the parent died of SIGPIPE): end as it did.
                if crate::plumbing::broken_pipe::reader_gone() {
                    crate::plumbing::broken_pipe::die_of_sigpipe();
                }
                report::line(&child_line(&role, std::process::id(), &text));
            }
            1
        }
    };
    // `exit` flushes Rust's stdout, but say so: the parent's next line depends on it.
    let _ = io::stdout().flush();
    std::process::exit(code);
}

/// The bootstrap socket, which [`Process::spawn`] gave us as stdin; stdin becomes `/dev/null`.
fn take_bootstrap() -> io::Result<UnixStream> {
    let socket = UnixStream::from(io::stdin().as_fd().try_clone_to_owned()?);
    socket.peer_addr()?; // fails unless stdin is a socket
    nix::unistd::dup2_stdin(File::open("/dev/null")?)?;
    Ok(socket)
}

fn termination_signals() -> SigSet {
    [
        Signal::SIGINT,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGQUIT,
    ]
    .into_iter()
    .collect()
}

/// The parent never writes to the bootstrap socket after the handshake, so the read returns
/// only when its end is closed: the parent died without reaping us.
fn watch_parent(mut bootstrap: UnixStream) {
    let mut buffer = [0; 64];
    loop {
        match bootstrap.read(&mut buffer) {
            Ok(0) => break,
            Ok(_) => {}
            // A signal handler of the target's ran on this thread: the parent is still there.
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    parent_gone();
}

/// Ends a child whose parent has died: whichever of its threads finds out first comes here.
fn parent_gone() -> ! {
    // Held until the process is gone, so that the main thread cannot make a handshake
    // directory between this removal and the exit.
    let mut handshake_dir = lock(&HANDSHAKE_DIR);
    if let Some(dir) = handshake_dir.take() {
        let _ = std::fs::remove_dir_all(dir);
    }
    let scratch = lock(&SCRATCH_DIRS);
    for dir in scratch.iter() {
        let _ = std::fs::remove_dir_all(dir);
    }
    // A Ctrl-C that reached the parent during our handshake is pending here: end by it.
    let _ = termination_signals().thread_unblock();
    if crate::plumbing::broken_pipe::reader_gone() {
        crate::plumbing::broken_pipe::die_of_sigpipe();
    }
    report::line(&format!(
        "{} (child, pid {}): the parent process is gone; exiting",
        report::program(),
        std::process::id()
    ));
    std::process::exit(PARENT_GONE_EXIT_CODE);
}

/// How a child's error is printed: `pool_map (child pool_worker, pid 1234): <error>`.
fn child_line(role: &str, pid: u32, error: &str) -> String {
    format!("{} (child {role}, pid {pid}): {error}", report::program())
}

fn remove_handshake_dir() {
    if let Some(dir) = lock(&HANDSHAKE_DIR).take() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn send_line(socket: &UnixStream, line: &str) -> io::Result<()> {
    let mut socket = socket;
    socket.write_all(format!("{line}\n").as_bytes())
}

/// The longest path a Unix socket can be bound to (Linux: 108 bytes with the final NUL).
const MAX_SOCKET_PATH: usize = 107;

/// Whether the temporary directory can hold the socket of a child's handshake, which
/// ipc-channel makes as `$TMPDIR/.tmpXXXXXX/socket`.
fn check_temp_dir() -> Result<(), String> {
    let dir = std::env::temp_dir();
    let refuse = |why: String| {
        Err(format!(
            "TMPDIR={dir:?} cannot hold the socket a child process starts with: {why}"
        ))
    };
    let Some(text) = dir.to_str() else {
        return refuse("it is not valid UTF-8".into());
    };
    if text.contains('\n') {
        return refuse("it contains a line break".into());
    }
    // Longer, and ipc-channel would cut the path and bind the socket somewhere else.
    let socket = dir.join(".tmpXXXXXX").join("socket");
    if socket.as_os_str().len() > MAX_SOCKET_PATH {
        let most = MAX_SOCKET_PATH - (socket.as_os_str().len() - text.len());
        return refuse(format!(
            "it is too long ({} bytes, at most {most})",
            text.len()
        ));
    }
    match std::fs::metadata(&dir) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return refuse("no such directory".into());
        }
        Err(error) => return refuse(error.to_string()),
        Ok(metadata) if !metadata.is_dir() => return refuse("it is not a directory".into()),
        Ok(_) => {}
    }
    use nix::unistd::{AccessFlags, access};
    if access(&dir, AccessFlags::W_OK | AccessFlags::X_OK).is_err() {
        return refuse("it is not writable".into());
    }
    Ok(())
}

/// Numbers children as Python does: `Process-1`, `Process-2`, … in the order they were created.
static NEXT_PROCESS_NUMBER: AtomicUsize = AtomicUsize::new(1);

/// Every child of this process whose handle is alive, for [`explain`].
static CHILDREN: Mutex<Vec<Weak<ChildCell>>> = Mutex::new(Vec::new());

/// A child and what is known of its end, shared with [`explain`].
struct ChildCell {
    name: String,
    target: &'static str,
    pid: u32,
    /// When it was spawned, on the trace clock ([`crate::plumbing::trace::now_ns`]).
    spawned: u64,
    state: Mutex<ChildState>,
}

struct ChildState {
    child: Child,
    status: Option<ExitStatus>,
}

impl ChildCell {
    /// The exit status if the child has exited (and reaps it); `None` while it runs.
    fn poll(&self) -> io::Result<Option<ExitStatus>> {
        let mut state = lock(&self.state);
        if state.status.is_none() {
            state.status = state.child.try_wait()?;
            state.status.inspect(|&status| self.ended(status));
        }
        Ok(state.status)
    }

    /// Once, when the child is reaped: its life goes to the trace, if there is one.
    fn ended(&self, status: ExitStatus) {
        crate::plumbing::trace::write(&crate::plumbing::trace::Record {
            kind: "process".into(),
            name: "process".into(),
            pid: self.pid,
            tid: self.pid,
            thread: "main".into(),
            fields: vec![
                ("name".into(), self.name.clone()),
                ("target".into(), self.target.into()),
                ("status".into(), describe(status)),
            ],
            start: self.spawned,
            end: crate::plumbing::trace::now_ns(),
            lane: None,
            span: 0,
        });
        end_with_a_reader_gone(status);
    }
}

/// A child killed by SIGPIPE while our own reader has gone too shares our stdout, whose reader
/// went away (`| head`): end as it did, rather than report its death to nobody.
fn end_with_a_reader_gone(status: ExitStatus) {
    use std::os::unix::process::ExitStatusExt as _;
    if status.signal() == Some(Signal::SIGPIPE as i32)
        && crate::plumbing::broken_pipe::reader_gone()
    {
        crate::plumbing::broken_pipe::die_of_sigpipe();
    }
}

impl fmt::Display for ChildCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, pid {})", self.name, self.target, self.pid)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section here leaves the data consistent: a panic elsewhere changes nothing.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running or finished child process (Python's `multiprocessing.Process`, already started).
///
/// Dropping the handle of a child that still runs kills it (SIGKILL) and reaps it. Python would
/// instead wait for non-daemon children at exit; here ending a child early is always visible.
pub struct Process {
    cell: Arc<ChildCell>,
    /// Our end of the bootstrap socket; the child reads EOF on it when we are gone.
    bootstrap: BufReader<UnixStream>,
    /// A line of the bootstrap protocol read only in part so far.
    partial: Vec<u8>,
    /// The child said that its target returned: it is exiting.
    finished: bool,
    /// The error the child's target returned, as it sent it.
    failure: Option<String>,
    /// Whether `failure` reached the caller, through [`Process::join`].
    reported: bool,
    /// The directory of the child's handshake server, until it says it has its arguments.
    server_dir: Option<PathBuf>,
}

impl Process {
    /// Starts a child that runs `target` with `arguments` (`Process(target, args).start()`).
    ///
    /// Returns once the arguments are on their way to the child. Fails, without waiting forever, if the child
    /// exits or hangs before the handshake. Flushes stdout first, so that what the parent
    /// printed before the spawn is not printed after the child's first lines.
    pub fn spawn<A: Serialize + DeserializeOwned>(
        target: &Target<A>,
        arguments: A,
    ) -> anyhow::Result<Self> {
        Self::spawn_role(target.name, arguments)
    }

    /// [`Process::spawn`] for any child role whose `run_in_child` receives arguments of type `A`.
    pub(crate) fn spawn_role<A: Serialize + DeserializeOwned>(
        role: &'static str,
        arguments: A,
    ) -> anyhow::Result<Self> {
        let number = NEXT_PROCESS_NUMBER.fetch_add(1, Ordering::Relaxed);
        let name = format!("Process-{number}");
        // Once per process: the answer does not change while it runs.
        static TEMP_DIR_OK: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
        if let Err(message) = TEMP_DIR_OK.get_or_init(check_temp_dir) {
            bail!("{name} ({role}): cannot start: {message}");
        }
        let cannot_start = |error: io::Error| {
            anyhow!(
                "{name} ({role}): cannot start: {error}{}",
                limits::suffix(&error)
            )
        };
        let (ours, theirs) = UnixStream::pair().map_err(cannot_start)?;
        let executable = std::env::current_exe().map_err(cannot_start)?;
        // Lines printed before the spawn must come out before the child's: the child inherits
        // stdout, but not what still sits in our buffer.
        let _ = io::stdout().flush();
        let spawned = crate::plumbing::trace::now_ns();
        let child = Command::new(executable)
            .env(ROLE_VAR, role)
            .env(NAME_VAR, &name)
            .stdin(Stdio::from(OwnedFd::from(theirs)))
            .spawn()
            .map_err(cannot_start)?;
        let cell = Arc::new(ChildCell {
            name,
            target: role,
            pid: child.id(),
            spawned,
            state: Mutex::new(ChildState {
                child,
                status: None,
            }),
        });
        let mut children = lock(&CHILDREN);
        children.retain(|child| child.strong_count() > 0);
        children.push(Arc::downgrade(&cell));
        drop(children);
        // From here on, an early return drops `process`, which kills and reaps the child.
        let mut process = Self {
            cell,
            bootstrap: BufReader::new(ours),
            partial: Vec::new(),
            finished: false,
            failure: None,
            reported: false,
            server_dir: None,
        };
        process.handshake(arguments)?;
        Ok(process)
    }

    /// Answers the child's server with the arguments, while watching for its death.
    fn handshake<A: Serialize>(&mut self, arguments: A) -> anyhow::Result<()> {
        let deadline = Instant::now() + HANDSHAKE_TIMEOUT;
        let mut arguments = Some(arguments);
        let failure = loop {
            let line = match self.read_line(POLL_INTERVAL) {
                Ok(Some(line)) => line,
                Ok(None) => {
                    break match self.wait_for_exit(EXIT_GRACE)? {
                        Some(status) => {
                            format!("exited with {} before the handshake", describe(status))
                        }
                        None => "closed its bootstrap socket before the handshake".into(),
                    };
                }
                Err(error) if is_timeout(&error) => {
                    if let Some(status) = self.poll()? {
                        break format!("exited with {} before the handshake", describe(status));
                    }
                    if Instant::now() > deadline {
                        break format!("did not connect within {HANDSHAKE_TIMEOUT:?}");
                    }
                    continue;
                }
                Err(error) => break format!("lost its handshake: {error}"),
            };
            if let Some(server) = line.strip_prefix("server ") {
                self.server_dir = Path::new(server).parent().map(Path::to_owned);
                let Some(arguments) = arguments.take() else {
                    break "sent a second server".into();
                };
                match send_arguments(server, arguments) {
                    // The child's "ready" is read later: waiting for it would cost every spawn a
                    // round trip, and a child that dies now is reported by `join`.
                    Ok(()) => return Ok(()),
                    Err(error) => {
                        break match self.wait_for_exit(EXIT_GRACE)? {
                            Some(status) => {
                                format!("exited with {} before the handshake", describe(status))
                            }
                            None => format!("could not be sent its arguments: {error}"),
                        };
                    }
                }
            } else if let Some(reason) = line.strip_prefix("error ") {
                break format!("could not start: {reason}");
            } else {
                break format!("broke the handshake with {line:?}");
            }
        };
        self.remove_a_dead_childs_server();
        bail!("{self} {failure}")
    }

    /// The next line the child wrote on the bootstrap socket; `None` once it is closed.
    fn read_line(&mut self, timeout: Duration) -> io::Result<Option<String>> {
        self.bootstrap.get_ref().set_read_timeout(Some(timeout))?;
        // On a timeout the bytes read so far stay in `partial`, for the next call.
        if self.bootstrap.read_until(b'\n', &mut self.partial)? == 0
            || !self.partial.ends_with(b"\n")
        {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&self.partial).trim_end().to_owned();
        self.partial.clear();
        Ok(Some(line))
    }

    /// Python's name for this child: `Process-1`, `Process-2`, …
    pub fn name(&self) -> &str {
        &self.cell.name
    }

    /// The child's process id (`Process.pid`).
    pub fn pid(&self) -> u32 {
        self.cell.pid
    }

    /// Whether the child is still running (`is_alive()`); reaps it if it has exited.
    pub fn is_alive(&mut self) -> anyhow::Result<bool> {
        Ok(self.poll()?.is_none())
    }

    /// How the child ended, or `None` while it runs.
    pub fn exit_status(&mut self) -> anyhow::Result<Option<ExitStatus>> {
        self.poll()
    }

    /// Python's `exitcode`: `None` while running, the exit code, or `-N` after signal N.
    pub fn exitcode(&mut self) -> anyhow::Result<Option<i32>> {
        Ok(self.poll()?.map(python_exitcode))
    }

    /// Waits for the child to end and returns how it ended, successful or not.
    pub fn wait(&mut self) -> anyhow::Result<ExitStatus> {
        let mut state = lock(&self.cell.state);
        if let Some(status) = state.status {
            return Ok(status);
        }
        let status = state
            .child
            .wait()
            .map_err(|error| anyhow!("{}: wait failed: {error}", self.cell))?;
        state.status = Some(status);
        self.cell.ended(status);
        Ok(status)
    }

    /// `join(timeout)`: waits at most `timeout`; `None` if the child is still running.
    pub fn join_timeout(&mut self, timeout: Duration) -> anyhow::Result<Option<ExitStatus>> {
        self.wait_for_exit(timeout)
    }

    fn wait_for_exit(&mut self, timeout: Duration) -> anyhow::Result<Option<ExitStatus>> {
        // std has no wait with a timeout; polling every few milliseconds is precise enough here.
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.poll()? {
                return Ok(Some(status));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            thread::sleep(left.min(POLL_INTERVAL));
        }
    }

    /// `join()`: waits for the child and fails unless it exited with code 0. The error says how
    /// it ended and, if its target returned an error, that error:
    /// `Process-2 (fun1, pid 4242) exited with exit code 1: <the target's error>`.
    pub fn join(mut self) -> anyhow::Result<()> {
        let status = self.wait()?;
        if status.success() {
            return Ok(());
        }
        self.read_report(Duration::from_millis(100));
        self.reported = true;
        match &self.failure {
            Some(error) => bail!("{self} exited with {}: {error}", describe(status)),
            None => bail!("{self} exited with {}", describe(status)),
        }
    }

    /// `terminate()`: asks the child to stop with SIGTERM. A no-op once the child is reaped.
    pub fn terminate(&mut self) -> anyhow::Result<()> {
        self.signal(Signal::SIGTERM)
    }

    /// `kill()`: stops the child with SIGKILL, which it cannot catch.
    pub fn kill(&mut self) -> anyhow::Result<()> {
        self.signal(Signal::SIGKILL)
    }

    fn signal(&mut self, signal: Signal) -> anyhow::Result<()> {
        // The state's lock keeps the child from being reaped (and its pid reused) meanwhile.
        let state = lock(&self.cell.state);
        if state.status.is_some() {
            return Ok(());
        }
        let pid = i32::try_from(self.cell.pid)?;
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal)
            .map_err(|error| anyhow!("{self}: cannot send {signal}: {error}"))
    }

    fn poll(&mut self) -> anyhow::Result<Option<ExitStatus>> {
        self.cell
            .poll()
            .map_err(|error| anyhow!("{}: wait failed: {error}", self.cell))
    }

    /// A child that died before its "ready" may have left its server's directory: remove it.
    fn remove_a_dead_childs_server(&mut self) {
        if let Some(dir) = self.server_dir.take() {
            remove_server_dir(&dir);
        }
    }

    /// Whether the child has said, within `timeout`, that its target returned (or closed the
    /// bootstrap socket): it is exiting by itself.
    fn is_exiting(&mut self, timeout: Duration) -> bool {
        self.read_report_until(timeout, |process| process.finished)
    }

    /// Reads what the child reported after its handshake, for at most `timeout`; `true` once
    /// its socket is closed (it has exited), so everything it sent has been read.
    fn read_report(&mut self, timeout: Duration) -> bool {
        self.read_report_until(timeout, |_| false)
    }

    fn read_report_until(&mut self, timeout: Duration, done: impl Fn(&Self) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        while !done(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            match self.read_line(left.max(Duration::from_millis(1))) {
                Ok(Some(line)) if line == "ready" => self.server_dir = None,
                Ok(Some(line)) if line == "done" => self.finished = true,
                Ok(Some(line)) => {
                    if let Some(error) = line.strip_prefix("failed ") {
                        self.failure = Some(error.to_owned());
                    } else if let Some(reason) = line.strip_prefix("error ") {
                        self.failure = Some(format!("it could not start: {reason}"));
                    }
                }
                Err(error) if is_timeout(&error) => {}
                Ok(None) | Err(_) => return true,
            }
        }
        true
    }
}

impl fmt::Display for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cell.fmt(f)
    }
}

impl fmt::Debug for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Process({self})")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let running = matches!(self.poll(), Ok(None));
        // A child that has finished its target may still be sending its error: let it end.
        let exited = !running
            || (self.is_exiting(FINISH_WAIT)
                && matches!(self.wait_for_exit(EXIT_GRACE), Ok(Some(_))));
        if exited {
            // Nobody joined this child: its error would be lost, so print it, in one write.
            self.read_report(Duration::from_millis(100));
            self.remove_a_dead_childs_server();
            if let (Some(error), false) = (&self.failure, self.reported) {
                report::line(&child_line(self.cell.target, self.cell.pid, error));
            }
            return;
        }
        {
            let mut state = lock(&self.cell.state);
            let _ = state.child.kill();
            if let Ok(status) = state.child.wait() {
                state.status = Some(status);
                self.cell.ended(status);
            }
        }
        // Killed in its handshake, before it could remove its server's file.
        self.remove_a_dead_childs_server();
    }
}

fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn send_arguments<A: Serialize>(server: &str, arguments: A) -> anyhow::Result<()> {
    let sender = IpcSender::<A>::connect(server.to_owned())
        .map_err(|error| anyhow!("{error}{}", limits::suffix(&error)))?;
    sender.send(arguments)?;
    Ok(())
}

/// Removes the directory of a server a dead child made, if it is one: `$TMPDIR/.tmp…`.
fn remove_server_dir(dir: &Path) {
    let in_temp_dir = dir.parent() == Some(std::env::temp_dir().as_path());
    let is_a_server_dir = dir
        .file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with(".tmp"));
    if in_temp_dir && is_a_server_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// `error`, with what became of this process's children when one of them has ended: a channel
/// that closes because its sender died then names the child and how it ended.
///
/// ```text
/// let usage: Usage = usage.recv().map_err(explain)?;
/// // Error: the channel is closed: Process-2 (os_threads, pid 4242) exited with signal 9 (SIGKILL)
/// ```
///
/// A child that closed a channel is usually still exiting; this waits up to half a second for
/// one to end. Children whose handles were dropped or joined are not listed.
pub fn explain(error: impl Into<anyhow::Error>) -> anyhow::Error {
    let error = error.into();
    let children: Vec<Arc<ChildCell>> = lock(&CHILDREN).iter().filter_map(Weak::upgrade).collect();
    if children.is_empty() {
        return error;
    }
    let deadline = Instant::now() + Duration::from_millis(500);
    let ended = loop {
        let ended: Vec<String> = children
            .iter()
            .filter_map(|child| {
                // A handle busy in a blocking `wait` will report that child itself.
                let mut state = child.state.try_lock().ok()?;
                if state.status.is_none() {
                    state.status = state.child.try_wait().ok()?;
                    state.status.inspect(|&status| child.ended(status));
                }
                let status = state.status?;
                Some(format!("{child} exited with {}", describe(status)))
            })
            .collect();
        if !ended.is_empty() || Instant::now() > deadline {
            break ended;
        }
        thread::sleep(POLL_INTERVAL);
    };
    if ended.is_empty() {
        return error;
    }
    let what = match error.downcast_ref::<IpcError>() {
        Some(IpcError::Disconnected) => "the channel is closed".to_owned(),
        _ => format!("{error:#}"),
    };
    anyhow!("{what}: {}", ended.join("; "))
}

/// Python's `exitcode` for a finished child: its exit code, or `-N` if signal N ended it.
pub fn python_exitcode(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => -signal,
        (None, None) => i32::MIN,
    }
}

/// `exit code 3` or `signal 9 (SIGKILL)`: how a child ended, for messages.
pub fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => match nix::sys::signal::Signal::try_from(signal) {
            Ok(name) => format!("signal {signal} ({name})"),
            Err(_) => format!("signal {signal}"),
        },
        (None, None) => status.to_string(),
    }
}

/// One end of a duplex pipe (Python's `Connection`, from `Pipe()`): sends `S`, receives `R`.
///
/// It can be sent to a child inside its arguments. Dropping it is Python's `close()`.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Connection<S, R = S> {
    outgoing: IpcSender<S>,
    incoming: IpcReceiver<R>,
}

/// Python's `Pipe()`: two connected ends. What one end sends, the other receives.
pub fn pipe<A, B>() -> anyhow::Result<(Connection<A, B>, Connection<B, A>)>
where
    A: Serialize + DeserializeOwned,
    B: Serialize + DeserializeOwned,
{
    let cannot =
        |error: io::Error| anyhow!("cannot create a pipe: {error}{}", limits::suffix(&error));
    let (a_sender, a_receiver) = ipc::channel::<A>().map_err(cannot)?;
    let (b_sender, b_receiver) = ipc::channel::<B>().map_err(cannot)?;
    Ok((
        Connection {
            outgoing: a_sender,
            incoming: b_receiver,
        },
        Connection {
            outgoing: b_sender,
            incoming: a_receiver,
        },
    ))
}

impl<S, R> Connection<S, R>
where
    S: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned,
{
    /// Sends one message to the other end.
    pub fn send(&self, message: S) -> anyhow::Result<()> {
        self.outgoing
            .send(message)
            .map_err(|error| hung_up(error, "send"))
    }

    /// Waits for the next message; fails once the other end is closed and drained
    /// (Python raises `EOFError`).
    pub fn recv(&self) -> anyhow::Result<R> {
        self.incoming.recv().map_err(|error| hung_up(error, "recv"))
    }

    /// Waits at most `timeout` for the next message (Python's `poll(timeout)` then `recv()`).
    pub fn recv_timeout(&self, timeout: Duration) -> anyhow::Result<Option<R>> {
        match self.incoming.try_recv_timeout(timeout) {
            Ok(message) => Ok(Some(message)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::IpcError(error)) => Err(hung_up(error, "recv")),
        }
    }
}

fn hung_up(error: IpcError, operation: &str) -> anyhow::Error {
    match error {
        // The other end usually belongs to a child: say what became of it.
        IpcError::Disconnected => {
            explain(anyhow!("{operation}: the other end of the pipe is closed"))
        }
        other => anyhow!("{operation} on a pipe failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt as _;

    #[test]
    fn exit_codes_read_as_python_reports_them() {
        assert_eq!(python_exitcode(ExitStatus::from_raw(0)), 0);
        assert_eq!(python_exitcode(ExitStatus::from_raw(101 << 8)), 101);
        assert_eq!(python_exitcode(ExitStatus::from_raw(15)), -15);
        assert_eq!(python_exitcode(ExitStatus::from_raw(9)), -9);
    }

    #[test]
    fn exit_statuses_are_described_with_the_signal_name() {
        assert_eq!(describe(ExitStatus::from_raw(3 << 8)), "exit code 3");
        assert_eq!(describe(ExitStatus::from_raw(9)), "signal 9 (SIGKILL)");
        assert_eq!(describe(ExitStatus::from_raw(15)), "signal 15 (SIGTERM)");
    }

    #[test]
    fn a_pipe_carries_messages_both_ways_and_reports_a_closed_end() -> anyhow::Result<()> {
        // Both ends in one process: the channels are real sockets all the same.
        let (parent, child) = pipe::<String, u32>()?;
        parent.send("ping".into())?;
        assert_eq!(child.recv()?, "ping");
        child.send(7)?;
        assert_eq!(parent.recv()?, 7);
        assert_eq!(parent.recv_timeout(Duration::from_millis(1))?, None);
        drop(child);
        let error = parent.recv().expect_err("the other end is gone");
        assert_eq!(
            error.to_string(),
            "recv: the other end of the pipe is closed"
        );
        Ok(())
    }
}
