//! Exercise 7, a wrong answer: `get` checks for an item with `if`, not `while`. Woken up, a
//! worker takes for granted that the item is still there; another worker may have taken it.

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
        let mut state = self.state.lock().unwrap();
        if state.items.is_empty() {
            state = self.put.wait(state).unwrap();
        }
        state.items.pop_front().expect("an item, once woken")
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
