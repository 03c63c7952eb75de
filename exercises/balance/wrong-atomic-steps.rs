//! Exercise 4, a wrong answer: each step is an atomic add, so no update is lost, but the two
//! steps are still two: a reader can come between them and see the balance at `n`.

use std::sync::atomic::{AtomicI64, Ordering::SeqCst};

pub struct Bank {
    balance: AtomicI64,
}

impl Bank {
    pub fn new() -> Self {
        Self {
            balance: AtomicI64::new(0),
        }
    }

    pub fn change_it(&self, n: i64) {
        self.balance.fetch_add(n, SeqCst);
        self.balance.fetch_sub(n, SeqCst);
    }

    pub fn balance(&self) -> i64 {
        self.balance.load(SeqCst)
    }
}
