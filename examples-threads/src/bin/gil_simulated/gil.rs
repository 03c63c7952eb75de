//! CPython's "new GIL" (3.2+) in miniature.
//!
//! A CPython thread must hold the GIL to run bytecode: reference counts and interpreter state
//! are plain data that every thread's bytecode touches, and one lock around all of it is simpler,
//! and faster for one thread, than a lock per object. A thread that has waited a whole switch
//! interval asks the holder to let go; the holder checks for that request in its loop (the
//! "eval breaker"), drops the lock, and waits until another thread has taken it ("forced
//! switching"), so that it cannot grab it straight back.

use std::hint::black_box;
use std::time::Duration;

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Condvar, Mutex};

/// The tutorial's `decrement(n)`, run as CPython runs it: only while holding the GIL.
/// Never inlined, so that one thread and two run the same machine code.
#[inline(never)]
pub fn decrement(gil: &Gil, mut n: u64) {
    gil.take();
    // Each hold is a `gil` span on a timeline (EXAMPLES_TIMELINE=1).
    let mut hold = tracing::info_span!("gil").entered();
    while black_box(n) > 0 {
        n -= 1;
        // The eval breaker: one cheap load per "bytecode"; the lock is touched on request.
        if gil.drop_request.load(Relaxed) {
            drop(hold);
            gil.drop_gil(true);
            gil.take();
            hold = tracing::info_span!("gil").entered();
        }
    }
    drop(hold);
    gil.drop_gil(false);
}

#[derive(Default)]
pub struct Gil {
    state: Mutex<State>,
    released: Condvar,
    taken: Condvar,
    /// Only a hint for the holder's loop, so `Relaxed`: the mutex does the synchronising.
    drop_request: AtomicBool,
    interval: Duration,
}

#[derive(Default)]
struct State {
    held: bool,
    /// How many times the GIL was taken: a waiter sees whether anyone else got it.
    switches: u64,
    /// How many times a holder let go because a waiter asked it to.
    forced: u64,
}

impl Gil {
    pub fn new(interval: Duration) -> Self {
        Gil {
            interval,
            ..Gil::default()
        }
    }

    /// Waits for the GIL; after a whole interval with no switch, asks the holder to drop it.
    pub fn take(&self) {
        // A poisoned lock means a thread panicked holding it: a bug, so unwrap.
        let mut state = self.state.lock().unwrap();
        while state.held {
            let seen = state.switches;
            let (next, wait) = self.released.wait_timeout(state, self.interval).unwrap();
            state = next;
            if wait.timed_out() && state.held && state.switches == seen {
                self.drop_request.store(true, Relaxed);
            }
        }
        state.held = true;
        state.switches += 1;
        self.drop_request.store(false, Relaxed);
        self.taken.notify_all();
    }

    /// Releases the GIL; on a drop request, waits until another thread has taken it.
    pub fn drop_gil(&self, forced: bool) {
        let mut state = self.state.lock().unwrap();
        state.held = false;
        self.released.notify_one();
        if forced {
            state.forced += 1;
            let seen = state.switches;
            drop(
                self.taken
                    .wait_while(state, |s| s.switches == seen)
                    .unwrap(),
            );
        }
    }

    pub fn forced_switches(&self) -> u64 {
        self.state.lock().unwrap().forced
    }
}
