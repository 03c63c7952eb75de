//! Exercise 5, a solution: the count of free permits, read and changed only under its lock.

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
        let free = self.free.lock().unwrap();
        let mut free = self.released.wait_while(free, |free| *free == 0).unwrap();
        *free -= 1;
    }

    pub fn release(&self) {
        *self.free.lock().unwrap() += 1;
        // One permit came back: one waiter can use it.
        self.released.notify_one();
    }
}
