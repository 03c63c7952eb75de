//! Flags and bad input: one clear line on stderr and exit code 2, never a panic trace.
//!
//! Every example calls [`parse`] (it has flags) or [`no_args`] (it has none) as the first thing
//! `main` does after its child-role check. Both also validate `EXAMPLES_TIME_SCALE`, so a bad
//! value is reported before the example prints anything; then they check the open-file limit
//! ([`crate::limits`]) and make the example end quietly when its reader goes away
//! ([`multiprocessing::broken_pipe`]).

use std::io::Write as _;

use clap::Parser;
use clap::error::ErrorKind;

/// Parses the example's flags into `A`.
///
/// `--help` prints clap's help and exits 0. Any other error prints one line,
/// `<binary>: <what is wrong> (see --help)`, and exits with code 2.
pub fn parse<A: Parser>() -> A {
    crate::pace::scale();
    let command = A::command().name(binary_name());
    let parsed = command
        .try_get_matches()
        .and_then(|matches| A::from_arg_matches(&matches));
    let parsed = parsed.unwrap_or_else(|error| exit_on_clap_error(&error));
    prepare();
    parsed
}

/// For examples that take no flags: `--help` works, anything else is an error (exit 2).
pub fn no_args() {
    crate::pace::scale();
    let command = clap::Command::new(binary_name())
        .about("A tutorial example; it takes no arguments. See the file's doc comment.");
    if let Err(error) = command.try_get_matches() {
        exit_on_clap_error(&error);
    }
    prepare();
}

/// What every example needs once its input is known to be good.
fn prepare() {
    if let Err(message) = crate::limits::ensure_open_files() {
        exit_with(1, &message);
    }
    // With EXAMPLES_TIMELINE set, the first process runs the example under a recorder here.
    crate::timeline::init();
    multiprocessing::broken_pipe::install();
}

/// Prints `<binary>: <message>` on stderr and exits with code 2 (bad input).
pub fn exit_usage(message: &str) -> ! {
    exit_with(2, message)
}

/// Prints `<binary>: <message>` on stderr and exits with `code`.
pub fn exit_with(code: i32, message: &str) -> ! {
    eprint_line(&format!("{}: {message}", binary_name()));
    std::process::exit(code);
}

/// Writes `line` and a newline to stderr in one `write`, so that lines of processes writing at
/// the same moment never interleave (a pipe keeps writes of up to 4 KiB whole). `eprintln!`
/// may write a line in several pieces.
pub fn eprint_line(line: &str) {
    let whole = format!("{line}\n");
    let _ = std::io::stderr().lock().write_all(whole.as_bytes());
}

fn exit_on_clap_error(error: &clap::Error) -> ! {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        error.exit();
    }
    // clap renders "error: <message>" followed by usage and tips; keep the message line only.
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid arguments");
    let message = first.strip_prefix("error: ").unwrap_or(first);
    exit_usage(&format!("{message} (see --help)"));
}

/// The running binary's file name, for messages: `event_traffic_light`, not a path.
pub fn binary_name() -> String {
    std::env::args_os()
        .next()
        .as_deref()
        .map(std::path::Path::new)
        .and_then(std::path::Path::file_stem)
        .map_or_else(
            || "example".to_owned(),
            |stem| stem.to_string_lossy().into_owned(),
        )
}
