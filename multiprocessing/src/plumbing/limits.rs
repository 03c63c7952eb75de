//! Resource limits: which one an error hit.
//!
//! A thread, a process or a socket that cannot be created fails with an OS error such as
//! "Resource temporarily unavailable" or "Too many open files", which does not say what to
//! change. [`suffix`] names the limit behind such an error (`ulimit -u`, `ulimit -n`) with its
//! value. The errors of this crate that starting a process, a thread, a pipe or a channel can
//! raise carry it.

use std::io;

use nix::errno::Errno;
use nix::sys::resource::{RLIM_INFINITY, Resource, getrlimit};

/// `"; the open-file limit (ulimit -n 16) is reached"` when `error` comes from a resource
/// limit, `""` otherwise: appended to the error's own text.
pub fn suffix(error: &io::Error) -> String {
    note(error).map_or_else(String::new, |note| format!("; {note}"))
}

/// The limit behind `error`, if it is one of the limits a user can raise.
pub fn note(error: &io::Error) -> Option<String> {
    match Errno::from_raw(error.raw_os_error()?) {
        // fork and clone report EAGAIN for the per-user limit (and the system's threads-max).
        Errno::EAGAIN => Some(match shown(Resource::RLIMIT_NPROC) {
            Some(limit) => {
                format!("the limit on processes and threads (ulimit -u {limit}) is reached")
            }
            None => "the system's limit on processes and threads is reached".to_owned(),
        }),
        Errno::EMFILE => Some(open_files_note()),
        // ipc-channel does not check `socket()`, so a lack of descriptors shows up later as EBADF.
        Errno::EBADF if near_the_open_file_limit() => Some(open_files_note()),
        Errno::ENFILE => Some("the system's limit on open files is reached".to_owned()),
        _ => None,
    }
}

fn open_files_note() -> String {
    let limit = shown(Resource::RLIMIT_NOFILE).unwrap_or_else(|| "unlimited".into());
    format!("the open-file limit (ulimit -n {limit}) is reached")
}

fn soft(resource: Resource) -> Option<u64> {
    getrlimit(resource).ok().map(|(soft, _)| soft)
}

/// The soft limit as `ulimit` prints it; `None` when unlimited.
fn shown(resource: Resource) -> Option<String> {
    soft(resource)
        .filter(|&limit| limit != RLIM_INFINITY)
        .map(|limit| limit.to_string())
}

/// Whether this process has (nearly) as many descriptors open as it may.
fn near_the_open_file_limit() -> bool {
    let Some(limit) = soft(Resource::RLIMIT_NOFILE).filter(|&limit| limit != RLIM_INFINITY) else {
        return false;
    };
    match std::fs::read_dir("/proc/self/fd") {
        // Listing them takes a descriptor too; at the limit there is none left for it.
        Err(error) => error.raw_os_error() == Some(Errno::EMFILE as i32),
        Ok(open) => open.count() as u64 + 2 >= limit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_from_limits_name_the_limit_and_others_nothing() {
        let busy = io::Error::from_raw_os_error(Errno::EAGAIN as i32);
        assert!(
            suffix(&busy).contains("processes and threads"),
            "{}",
            suffix(&busy)
        );
        let files = io::Error::from_raw_os_error(Errno::EMFILE as i32);
        assert!(suffix(&files).starts_with("; the open-file limit (ulimit -n "));
        let missing = io::Error::from_raw_os_error(Errno::ENOENT as i32);
        assert_eq!(suffix(&missing), "");
        assert_eq!(suffix(&io::Error::other("not from the OS")), "");
    }
}
