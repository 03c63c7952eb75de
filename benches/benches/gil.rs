//! A simulated GIL: the tutorial's `decrement` (`000_…txt`, section GIL例子: 100,000,000
//! decrements on one thread, against two threads of 50,000,000) when every thread must hold one
//! global lock to run, in release: `cargo bench -p benches --bench gil`.
//!
//! - `gil/one_thread`: one thread decrements 1,000,000,000 while holding the GIL (nobody asks
//!   for it, so it never lets go).
//! - `gil/two_threads`: two threads, 500,000,000 each, taking turns on the GIL.
//!
//! Ten times the tutorial's count, on purpose. CPython needs about 2 s for the tutorial's
//! 100,000,000, some 400 switch intervals of 5 ms; Rust needs about 29 ms, six intervals, and
//! then a fixed cost of about 3 ms per run that is not the GIL's (starting the second thread,
//! waking it on an idle core: `gil_decrement --gil --switch-ms 50`, which forces no switch at
//! all, shows the same gap). Ten times the work spans some 60 intervals, so the ratio
//! measures the handovers, as CPython's does.
//!
//! The lock works like CPython's since 3.2 (`Python/ceval_gil.h`), and like the
//! `gil_decrement --gil` example, which uses the same design:
//! - The holder runs its loop and, at every iteration, looks at a drop request flag (a relaxed
//!   atomic load: CPython's "eval breaker").
//! - A thread that wants the lock waits on a condition variable for at most the switch
//!   interval (5 ms, `sys.getswitchinterval()`); if the holder has not changed by then, it
//!   raises the drop request.
//! - The holder sees the request, releases the lock, wakes the waiter, and then waits until
//!   the waiter has really taken the lock before asking for it again (forced switching), so it
//!   cannot grab it straight back.
//!
//! Goal: two threads no faster than one (at most 1.1× one thread's time): only one thread
//! runs at a time, whatever the number of cores. CPython's own figures, the row this one is
//! compared with: `python3 benches/python/gil.py`.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use criterion::{Criterion, SamplingMode};

const COUNT: u64 = 1_000_000_000;
const SWITCH_INTERVAL: Duration = Duration::from_millis(5);

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = criterion.benchmark_group("gil");
    // About 0.3 s a run: ten samples of equal size keep the group to about ten seconds.
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("one_thread", |bench| {
        bench.iter(|| {
            let gil = Gil::new(SWITCH_INTERVAL);
            decrement(&gil, 0, COUNT);
        });
    });
    group.bench_function("two_threads", |bench| {
        bench.iter(|| {
            let gil = Gil::new(SWITCH_INTERVAL);
            std::thread::scope(|scope| {
                scope.spawn(|| decrement(&gil, 1, COUNT / 2));
                scope.spawn(|| decrement(&gil, 2, COUNT / 2));
            });
        });
    });
    group.finish();
    criterion.final_summary();
}

/// The tutorial's `decrement(n)`, run the way CPython runs it: only while holding the GIL.
/// Never inlined, so that both variants run the same machine code.
#[inline(never)]
fn decrement(gil: &Gil, thread: usize, mut n: u64) {
    let mut held = gil.acquire(thread);
    while black_box(n) > 0 {
        n -= 1;
        if gil.drop_request.load(Ordering::Relaxed) {
            held = gil.yield_to_waiter(held, thread);
        }
    }
    gil.release(held);
}

/// Who holds the GIL, and how many times it changed hands.
struct State {
    holder: Option<usize>,
    switches: u64,
}

struct Gil {
    state: Mutex<State>,
    changed: Condvar,
    /// Set by a waiter whose switch interval ran out; read by the holder at every iteration.
    drop_request: AtomicBool,
    switch_interval: Duration,
}

/// Proof of holding the GIL, handed back to release it.
struct Held;

impl Gil {
    fn new(switch_interval: Duration) -> Self {
        Self {
            state: Mutex::new(State {
                holder: None,
                switches: 0,
            }),
            changed: Condvar::new(),
            drop_request: AtomicBool::new(false),
            switch_interval,
        }
    }

    fn acquire(&self, thread: usize) -> Held {
        let mut state = self.lock();
        while state.holder.is_some() {
            let switches = state.switches;
            let (next, wait) = self
                .changed
                .wait_timeout(state, self.switch_interval)
                .expect("the GIL's mutex is never poisoned");
            state = next;
            // A whole interval went by and the same thread still holds it: ask it to let go.
            if wait.timed_out() && state.holder.is_some() && state.switches == switches {
                self.drop_request.store(true, Ordering::Relaxed);
            }
        }
        state.holder = Some(thread);
        state.switches += 1;
        self.drop_request.store(false, Ordering::Relaxed);
        // The thread that dropped the lock for us waits for this switch.
        self.changed.notify_all();
        Held
    }

    fn release(&self, _: Held) {
        self.lock().holder = None;
        self.changed.notify_all();
    }

    /// Releases the GIL for the thread that asked, waits until it has taken it, then queues
    /// up for it again.
    fn yield_to_waiter(&self, _: Held, thread: usize) -> Held {
        let mut state = self.lock();
        state.holder = None;
        let switches = state.switches;
        self.changed.notify_all();
        drop(
            self.changed
                .wait_while(state, |state| state.switches == switches)
                .expect("the GIL's mutex is never poisoned"),
        );
        self.acquire(thread)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .expect("the GIL's mutex is never poisoned")
    }
}
