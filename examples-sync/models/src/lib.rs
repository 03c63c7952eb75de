//! Model checks of the examples' hand-written primitives: the checks are in `tests/`, and run in
//! the README's test command (`cargo test --workspace`), or alone with `cargo test -p models`.
//!
//! A model checker runs a small program once per interleaving of its threads: all of them (loom,
//! which skips orders of independent steps, and shuttle's `check_dfs`), all with at most N
//! preemptions (loom, bounded), or a replayable random sample (shuttle's `check_random`). A
//! failed assertion, or a deadlock (every thread blocked), in any of them fails the check.
//!
//! The code is the examples' own: each module below is an example file as `build.rs` copies it,
//! with a few std imports swapped for the checker's `Mutex`, `Condvar`, atomics or threads, and
//! every item made `pub` for the checks. The example files import std only and know nothing of
//! this. Their `main` is built, never run. loom takes the small models; shuttle the timer and
//! the GIL, whose timeouts need [`timed`], and balance_race, whose failing schedule it prints.
//! Neither checker times out a wait (loom's `recv_timeout` is not even implemented): [`timed`]
//! lets the checker pick when a deadline passes, so that both outcomes, notified and timed out,
//! are explored.

/// Includes an example file as `build.rs` copied it.
macro_rules! example {
    ($name:ident) => {
        // Each file is a binary's root: its `main` and flags are unused here.
        #[allow(dead_code)]
        pub mod $name {
            include!(concat!(env!("OUT_DIR"), "/", stringify!($name), ".rs"));
        }
    };
}

example!(balance_lock);
example!(balance_race);
example!(condition);
example!(event_traffic_light);
example!(gil);
example!(increment_not_atomic);
example!(semaphore);
example!(timer);

pub mod loom_sync;
pub mod timed;

/// The text of a panic caught from a check, to tell the failure it should find from another.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    multiprocessing::plumbing::panic_text(payload)
        .unwrap_or_default()
        .to_owned()
}

/// Counts the executions a check ran: the checkers call its closure once per interleaving.
pub struct Executions(std::sync::atomic::AtomicUsize);

impl Default for Executions {
    fn default() -> Self {
        Self::new()
    }
}

impl Executions {
    pub const fn new() -> Self {
        Self(std::sync::atomic::AtomicUsize::new(0))
    }

    /// Call first thing in the model's closure.
    pub fn start(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}
