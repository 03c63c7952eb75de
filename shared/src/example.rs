//! How every example starts: the first call of its `main` (after a process example's
//! child-role check). [`start`] is for an example without flags, [`start_with`] for one with
//! clap flags. Both do, in this order, what a copied-out example can do without:
//!
//! 1. read the flags: `--help` prints the help and exits 0; anything else that is wrong, a
//!    flag or `EXAMPLES_TIME_SCALE` ([`crate::pace`]), prints one line on stderr,
//!    `<binary>: <what is wrong>`, and exits with code 2, before the example prints anything;
//! 2. check the open-file limit the example needs ([`crate::limits`]);
//! 3. with `EXAMPLES_TIMELINE` set, run the example under the timeline recorder
//!    ([`crate::timeline`]);
//! 4. make the example end quietly, as Python's do, when the reader of its output goes away
//!    (`| head`).
//!
//! Copied out, `start()` goes and `start_with()` becomes `clap::Parser::parse()`.

use clap::Parser;

/// Starts an example that takes no flags: `--help` works, anything else is an error (exit 2).
pub fn start() {
    crate::pace::scale();
    let command = clap::Command::new(crate::cli::binary_name())
        .about("A tutorial example; it takes no arguments. See the file's doc comment.");
    if let Err(error) = command.try_get_matches() {
        crate::cli::exit_on_clap_error(&error);
    }
    prepare();
}

/// Starts an example with flags, and returns them: `let args: Args = start_with();`.
pub fn start_with<A: Parser>() -> A {
    crate::pace::scale();
    let command = A::command().name(crate::cli::binary_name());
    let parsed = command
        .try_get_matches()
        .and_then(|matches| A::from_arg_matches(&matches));
    let parsed = parsed.unwrap_or_else(|error| crate::cli::exit_on_clap_error(&error));
    prepare();
    parsed
}

/// What every example needs once its input is known to be good.
fn prepare() {
    if let Err(message) = crate::limits::ensure_open_files() {
        crate::cli::exit_with(1, &message);
    }
    // With EXAMPLES_TIMELINE set, the first process runs the example under a recorder here.
    crate::timeline::init();
    multiprocessing::plumbing::broken_pipe::install();
}
