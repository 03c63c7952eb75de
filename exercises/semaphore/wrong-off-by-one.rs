//! Exercise 5, a wrong answer: `acquire` waits only once the count is below zero, an
//! off-by-one that lets one thread more in than there are permits.

use std::sync::{Condvar, Mutex};

pub struct Semaphore {
    free: Mutex<isize>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            free: Mutex::new(permits as isize),
            released: Condvar::new(),
        }
    }

    pub fn acquire(&self) {
        let free = self.free.lock().unwrap();
        let mut free = self.released.wait_while(free, |free| *free < 0).unwrap();
        *free -= 1;
    }

    pub fn release(&self) {
        *self.free.lock().unwrap() += 1;
        self.released.notify_one();
    }
}
