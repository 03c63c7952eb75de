//! Exercise 7, a solution: `unfinished` counts up on `put` and down on `task_done`, and `join`
//! waits for it to reach zero.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

pub struct JoinableQueue<T> {
    state: Mutex<State<T>>,
    put: Condvar,
    all_done: Condvar,
}

struct State<T> {
    items: VecDeque<T>,
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
        let mut state = self.state.lock().unwrap();
        state.items.push_back(item);
        state.unfinished += 1;
        self.put.notify_one();
    }

    pub fn get(&self) -> T {
        let state = self.state.lock().unwrap();
        // Checked again after every wake-up: another worker may have taken the item first.
        let mut state = self.put.wait_while(state, |s| s.items.is_empty()).unwrap();
        state.items.pop_front().expect("not empty, under the lock")
    }

    pub fn task_done(&self) {
        let mut state = self.state.lock().unwrap();
        state.unfinished -= 1;
        if state.unfinished == 0 {
            self.all_done.notify_all();
        }
    }

    pub fn join(&self) {
        let state = self.state.lock().unwrap();
        let _state = self
            .all_done
            .wait_while(state, |s| s.unfinished > 0)
            .unwrap();
    }
}
