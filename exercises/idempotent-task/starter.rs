//! Exercise 10: a task that is safe to run twice.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section Celery; example `task_queue`.
//!
//! A task queue delivers each task at least once: a worker that dies before it acknowledges a
//! task has it run again elsewhere, possibly while the first run is still going. `handle(task_id,
//! amount)` pays `amount` into the ledger. Make it idempotent: however many times, and however
//! at once, a task is handled, its amount is paid once.
//!
//! Check: `cargo run -p exercises -- check 10` (loom runs it in every interleaving: two workers
//! handle the same task at once while a third handles another).

use std::collections::HashSet;
use std::sync::Mutex;

pub struct Ledger {
    state: Mutex<State>,
}

struct State {
    balance: i64,
    /// The tasks already paid.
    applied: HashSet<u64>,
}

impl Ledger {
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State {
                balance: 0,
                applied: HashSet::new(),
            }),
        }
    }

    /// Runs task `task_id`, which pays `amount`.
    pub fn handle(&self, task_id: u64, amount: i64) {
        let mut state = self.state.lock().unwrap();
        state.balance += amount;
    }

    pub fn balance(&self) -> i64 {
        self.state.lock().unwrap().balance
    }
}
