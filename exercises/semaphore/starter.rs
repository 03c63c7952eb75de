//! Exercise 5: Python's `threading.Semaphore`, written with a `Mutex` and a `Condvar`.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题;
//! example `semaphore`.
//!
//! `Semaphore::new(n)` lets `n` threads in at once. `acquire` takes a permit, waiting while none
//! is free; `release` gives one back and wakes a thread that waits for it. Never more than `n`
//! threads may be between their `acquire` and their `release`, and no thread may wait for ever
//! while a permit is free.
//!
//! Check: `cargo run -p exercises -- check 5` (loom runs it in every interleaving: three threads
//! share a semaphore of one permit).

use std::sync::{Condvar, Mutex};

pub struct Semaphore {
    free: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            free: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    pub fn acquire(&self) {
        todo!()
    }

    pub fn release(&self) {
        todo!()
    }
}
