//! Exercise 3: Python's `threading.Event`, written with a `Mutex<bool>` and a `Condvar`.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section Event; example
//! `event_traffic_light`.
//!
//! Write the four methods. `set` raises the flag and wakes every thread in `wait`; `clear`
//! lowers it; `is_set` reads it; `wait` returns at once if the flag is up, and otherwise sleeps
//! until a `set`. No thread may stay in `wait` after a `set`, whenever it started waiting.
//!
//! Check: `cargo run -p exercises -- check 3` (loom runs it in every interleaving: two threads
//! wait while a third sets the flag).

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
        todo!()
    }

    pub fn clear(&self) {
        todo!()
    }

    pub fn is_set(&self) -> bool {
        todo!()
    }

    pub fn wait(&self) {
        todo!()
    }
}
