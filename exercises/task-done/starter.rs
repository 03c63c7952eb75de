//! Exercise 7: Python's `queue.Queue` with `task_done` and `join`.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section
//! 多线程环境下对资源的操作需要考虑线程安全问题 (`q.task_done()`, `q.join()`); example
//! `queue_task_done`.
//!
//! `put` adds an item, `get` takes the oldest one (waiting while there is none). Each item taken
//! is finished by a `task_done` call, and `join` waits until every item ever put has been
//! finished: not merely taken out of the queue.
//!
//! Check: `cargo run -p exercises -- check 7` (loom runs it in every interleaving: the main thread
//! puts two items and joins while two workers take one each).

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

pub struct JoinableQueue<T> {
    state: Mutex<State<T>>,
    /// Notified when an item is put.
    put: Condvar,
    /// Notified when the last unfinished item is finished.
    all_done: Condvar,
}

struct State<T> {
    items: VecDeque<T>,
    /// Items put and not yet finished by `task_done`.
    unfinished: usize,
}

impl<T> JoinableQueue<T> {
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State {
                items: VecDeque::new(),
                unfinished: 0,
            }),
            put: Condvar::new(),
            all_done: Condvar::new(),
        }
    }

    pub fn put(&self, item: T) {
        todo!()
    }

    pub fn get(&self) -> T {
        todo!()
    }

    pub fn task_done(&self) {
        todo!()
    }

    pub fn join(&self) {
        todo!()
    }
}
