//! Exercise 3, a solution: the flag is only read and written under its lock, and `set` wakes
//! every waiter.

use std::sync::{Condvar, Mutex};

pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    pub fn new() -> Self {
        Self {
            flag: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    pub fn set(&self) {
        *self.flag.lock().unwrap() = true;
        // All of them: `notify_one` would leave every waiter but one asleep.
        self.changed.notify_all();
    }

    pub fn clear(&self) {
        *self.flag.lock().unwrap() = false;
    }

    pub fn is_set(&self) -> bool {
        *self.flag.lock().unwrap()
    }

    pub fn wait(&self) {
        let flag = self.flag.lock().unwrap();
        // The check and the sleep happen under the lock: a `set` cannot slip in between.
        let _flag = self.changed.wait_while(flag, |set| !*set).unwrap();
    }
}
