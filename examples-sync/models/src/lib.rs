//! Model checks of the examples' hand-written primitives: the checks are in `tests/`, and run in
//! the README's test command (`cargo test --workspace`), or alone with `cargo test -p models`.
//!
//! A model checker runs a small program once per interleaving of its threads: all of them (loom,
//! which skips orders of independent steps, and shuttle's `check_dfs`), all with at most N
//! preemptions (loom, bounded), or a replayable random sample (shuttle's `check_random`). A
//! failed assertion, or a deadlock (every thread blocked), in any of them fails the check.
//!
//! The code is the examples' own: each module below is an example file, built here with
//! `cfg(loom)` or `cfg(shuttle)` (`build.rs`), under which it imports the checker's `Mutex`,
//! `Condvar`, atomics or threads instead of std's. Its `main` is built, never run. loom takes
//! the small models; shuttle the timer and the GIL, whose timeouts need [`timed`], and
//! balance_race, whose failing schedule it prints. Neither checker times out a wait (loom's
//! `recv_timeout` is not even implemented): [`timed`] lets the checker pick when a deadline
//! passes, so that both outcomes, notified and timed out, are explored.

// Each file is a binary's root: its `main` and flags are unused here.
#[allow(dead_code)]
#[path = "../../src/bin/balance_lock.rs"]
pub mod balance_lock;
#[allow(dead_code)]
#[path = "../../src/bin/balance_race.rs"]
pub mod balance_race;
#[allow(dead_code)]
#[path = "../../../examples-threads/src/bin/condition.rs"]
pub mod condition;
#[allow(dead_code)]
#[path = "../../../examples-threads/src/bin/event_traffic_light.rs"]
pub mod event_traffic_light;
#[allow(dead_code)]
#[path = "../../../examples-threads/src/bin/gil_simulated.rs"]
pub mod gil_simulated;
#[allow(dead_code)]
#[path = "../../src/bin/increment_not_atomic.rs"]
pub mod increment_not_atomic;
#[allow(dead_code)]
#[path = "../../src/bin/semaphore.rs"]
pub mod semaphore;
#[allow(dead_code)]
#[path = "../../../examples-threads/src/bin/timer.rs"]
pub mod timer;

pub mod loom_sync;
pub mod timed;

/// The text of a panic caught from a check, to tell the failure it should find from another.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
        })
        .unwrap_or_default()
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
