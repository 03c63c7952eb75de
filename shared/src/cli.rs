//! Bad input and failures: one clear line on stderr, `<binary>: <message>`, and an exit code (2
//! for bad input), never a panic trace. [`crate::example::start`] uses it for flags.

use std::io::Write as _;

use clap::error::ErrorKind;

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

/// Ends the program on a clap error: help and version as clap prints them, exit 0; anything
/// else as one line, `<binary>: <message> (see --help)`, exit 2.
pub(crate) fn exit_on_clap_error(error: &clap::Error) -> ! {
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
