//! Exercise 3, a wrong answer: `set` wakes one waiter; with two waiting, the other sleeps for
//! ever.

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
        self.changed.notify_one();
    }

    pub fn clear(&self) {
        *self.flag.lock().unwrap() = false;
    }

    pub fn is_set(&self) -> bool {
        *self.flag.lock().unwrap()
    }

    pub fn wait(&self) {
        let flag = self.flag.lock().unwrap();
        let _flag = self.changed.wait_while(flag, |set| !*set).unwrap();
    }
}
