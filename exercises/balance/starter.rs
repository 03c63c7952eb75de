//! Exercise 4: the tutorial's balance, safe from two threads.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题;
//! examples `balance_race` and `balance_lock`.
//!
//! `change_it(n)` adds `n` to the balance and takes it away again, so the balance should always
//! be 0, whoever calls it and whenever `balance()` looks. With two threads calling it, it is not:
//! the lock is held for one read or one write at a time, and the other thread's steps come in
//! between. Make the whole of `change_it` one step that no other thread can see half of (the
//! tutorial's `lock.acquire()` … `lock.release()` around it).
//!
//! Check: `cargo run -p exercises -- check 4` (loom runs it in every interleaving: two threads
//! change the balance while a third reads it).

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

    /// The tutorial's `change_it(n)`: `balance = balance + n`, then `balance = balance - n`.
    pub fn change_it(&self, n: i64) {
        let balance = *self.balance.lock().unwrap();
        *self.balance.lock().unwrap() = balance + n;
        let balance = *self.balance.lock().unwrap();
        *self.balance.lock().unwrap() = balance - n;
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}
