//! Exercise 10, a wrong answer: it looks whether the task was applied, lets go of the lock, and
//! takes it again to apply it. Two workers can both look before either applies.

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
        let seen = self.state.lock().unwrap().applied.contains(&task_id);
        if !seen {
            let mut state = self.state.lock().unwrap();
            state.applied.insert(task_id);
            state.balance += amount;
        }
    }

    pub fn balance(&self) -> i64 {
        self.state.lock().unwrap().balance
    }
}
