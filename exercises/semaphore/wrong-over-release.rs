//! Exercise 5, a wrong answer: `release` gives back two permits. With one thread at a time it
//! looks right; once a release has freed two, two threads get in.

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
        *self.free.lock().unwrap() += 2;
        self.released.notify_one();
    }
}
