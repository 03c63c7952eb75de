//! Model checks of the examples' hand-written primitives: the checks are in `tests/`, and run in
//! the README's test command (`cargo test --workspace`), or alone with `cargo test -p models`.
//!
//! A model checker runs a small program again and again, once per interleaving of its threads,
//! until it has seen every one (loom, shuttle's `check_dfs`) or a bounded random sample of them
//! (shuttle's `check_random`). An assertion that fails in any interleaving fails the check, as
//! does a deadlock (every thread blocked).
//!
//! The code checked is the examples' own: each module below is an example file, built here with
//! `cfg(loom)` or `cfg(shuttle)` (see `build.rs`), under which the file imports the checker's
//! `Mutex`, `Condvar`, atomics and threads instead of std's. Its `main` is built but never run.
//!
//! loom explores every interleaving, pruning those that only reorder independent steps; it
//! checks the small models. shuttle's `check_dfs` enumerates schedules without that pruning,
//! and its `check_random` samples them: it checks what loom lacks the API for.
//!
//! Neither checker models time: shuttle's `recv_timeout` and `wait_timeout` never time out, and
//! loom's do not either. [`timed`] gives the timer and the GIL a clock whose deadline passes at a
//! moment the checker picks, so that both outcomes, notified and timed out, are explored.

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
