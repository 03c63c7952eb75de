//! Exercise 10, a wrong answer: it pays under the lock if the task is new, and marks the task
//! as applied under a second lock. Another worker can pay in between.

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
        {
            let mut state = self.state.lock().unwrap();
            if !state.applied.contains(&task_id) {
                state.balance += amount;
            }
        }
        self.state.lock().unwrap().applied.insert(task_id);
    }

    pub fn balance(&self) -> i64 {
        self.state.lock().unwrap().balance
    }
}
