//! Exercise 4, a wrong answer: each step takes the lock on its own. No update is lost, but a
//! reader can come between the two steps and see the balance at `n`.

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
        *self.balance.lock().unwrap() += n;
        *self.balance.lock().unwrap() -= n;
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}
