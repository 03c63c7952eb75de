//! Exercise 4, a solution: the lock owns the balance, and `change_it` holds it for both steps.

use std::sync::Mutex;

pub struct Bank {
    balance: Mutex<i64>,
}

impl Bank {
    pub fn new() -> Self {
        Self {
            balance: Mutex::new(0),
        }
    }

    pub fn change_it(&self, n: i64) {
        // One guard for both steps: no other thread sees the balance in between.
        let mut balance = self.balance.lock().unwrap();
        *balance += n;
        *balance -= n;
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}
