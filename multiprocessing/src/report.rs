//! One-line reports on stderr, for what the crate says itself.

use std::io::Write as _;

/// This program's file name, for messages: `pool_map`, not a path.
pub(crate) fn program() -> String {
    let first = std::env::args_os().next().unwrap_or_default();
    let stem = std::path::Path::new(&first).file_stem().unwrap_or_default();
    stem.to_string_lossy().into_owned()
}

/// Writes `line` and a newline to stderr in one `write`, so that lines of processes writing at
/// the same moment never interleave (a pipe keeps writes of up to 4 KiB whole).
pub(crate) fn line(line: &str) {
    let whole = format!("{line}\n");
    let _ = std::io::stderr().lock().write_all(whole.as_bytes());
}

/// `<program>: <message>` on stderr, then exit with `code`.
pub(crate) fn exit_with(code: i32, message: &str) -> ! {
    line(&format!("{}: {message}", program()));
    std::process::exit(code);
}
