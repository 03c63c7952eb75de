//! The open-file limit, checked before an example starts.
//!
//! An example that runs out of descriptors half-way fails in ways that do not say why (a
//! server that stops accepting, a child that cannot receive its channels). Checking the limit
//! first turns all of them into one line naming it.

use nix::sys::resource::{RLIM_INFINITY, Resource, getrlimit, setrlimit};

/// The fewest open files every example runs with. The busiest, `run_in_executor`, holds 100
/// connections at once on each side of the loopback server and needs about 190; every other
/// example runs with fewer than 50 (measured with `prlimit --nofile=N`).
pub const MIN_OPEN_FILES: u64 = 256;

/// Raises the soft open-file limit to [`MIN_OPEN_FILES`] if the hard limit allows it, or
/// returns the one line that says why the examples cannot run.
pub fn ensure_open_files() -> Result<(), String> {
    let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return Ok(()); // nothing known, nothing to check
    };
    if soft == RLIM_INFINITY || soft >= MIN_OPEN_FILES {
        return Ok(());
    }
    if (hard == RLIM_INFINITY || hard >= MIN_OPEN_FILES)
        && setrlimit(Resource::RLIMIT_NOFILE, MIN_OPEN_FILES, hard).is_ok()
    {
        return Ok(());
    }
    Err(format!(
        "the open-file limit (ulimit -n {soft}) is too low: the examples need {MIN_OPEN_FILES}"
    ))
}
