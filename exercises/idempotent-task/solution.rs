//! Exercise 10, a solution: the check, the mark and the payment happen under one lock, as one
//! step; a database would do them in one transaction.

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
        // `insert` says whether the id is new: checking and marking are one step.
        if state.applied.insert(task_id) {
            state.balance += amount;
        }
    }

    pub fn balance(&self) -> i64 {
        self.state.lock().unwrap().balance
    }
}
