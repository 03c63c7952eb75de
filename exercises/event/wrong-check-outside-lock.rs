//! Exercise 3, a wrong answer: `wait` reads the flag before it takes the lock. A `set` that
//! comes between the read and the sleep wakes nobody, and the waiter then sleeps for ever.

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Condvar, Mutex};

pub struct Event {
    flag: AtomicBool,
    lock: Mutex<()>,
    changed: Condvar,
}

impl Event {
    pub fn new() -> Self {
        Self {
            flag: AtomicBool::new(false),
            lock: Mutex::new(()),
            changed: Condvar::new(),
        }
    }

    pub fn set(&self) {
        self.flag.store(true, SeqCst);
        let _lock = self.lock.lock().unwrap();
        self.changed.notify_all();
    }

    pub fn clear(&self) {
        self.flag.store(false, SeqCst);
    }

    pub fn is_set(&self) -> bool {
        self.flag.load(SeqCst)
    }

    pub fn wait(&self) {
        if !self.flag.load(SeqCst) {
            let lock = self.lock.lock().unwrap();
            let _lock = self.changed.wait(lock).unwrap();
        }
    }
}
