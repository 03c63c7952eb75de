//! CPython's GIL built by hand: two threads that must hold one lock to run take turns, and are
//! no faster than one.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), sections 多线程 GIL › GIL是什么 and GIL释放
//! (`decrement` under the GIL); 《python多进程vs多线程》 (003), section CPU密集.
//! Python API: the interpreter's own lock; `sys.setswitchinterval(0.005)`.
//!
//! Run: `cargo run -p examples-threads --bin gil_simulated` (`-- --switch-ms 1`)
//!
//! What to watch for: `加速比：…x` near 1, or below on a busy machine, where each hand-over
//! waits for a core; `gil_decrement`, the same work without the lock, shows 2. `强制切换次数`
//! counts the hand-overs. (Python 2 switched every 100 ticks, `sys.setcheckinterval`;
//! since 3.2 the interval is a time.)
//!
//! Rust differences: the lock is `mod gil` below, CPython's `Python/ceval_gil.h` in miniature;
//! `benches/benches/gil.rs` measures this same file against CPython's real GIL.

use std::thread;
use std::time::{Duration, Instant};

use gil::{Gil, decrement};

const N: u64 = 100_000_000;

/// decrement(100000000) under the GIL in one thread, then in two threads of half each.
#[derive(clap::Parser)]
struct Args {
    /// The switch interval in milliseconds (CPython: sys.setswitchinterval(0.005)).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    switch_ms: u64,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();
    let gil = Gil::new(Duration::from_millis(args.switch_ms));
    println!("模拟的 GIL，切换间隔 {} ms", args.switch_ms);

    let start = Instant::now();
    decrement(&gil, N);
    let one = start.elapsed().as_secs_f64();
    println!("1 个线程，decrement({N})：{one}");

    let start = Instant::now();
    thread::scope(|scope| {
        scope.spawn(|| decrement(&gil, N / 2));
        scope.spawn(|| decrement(&gil, N / 2));
    });
    let two = start.elapsed().as_secs_f64();
    println!("2 个线程，各 decrement({})：{two}", N / 2);
    println!("强制切换次数：{}", gil.forced_switches());
    println!("加速比：{:.2}x", one / two);
    Ok(())
}

/// CPython's "new GIL" (3.2+) in miniature.
///
/// A CPython thread must hold the GIL to run bytecode: reference counts and interpreter state
/// are plain data that every thread's bytecode touches, and one lock around all of it is simpler,
/// and faster for one thread, than a lock per object. A thread that has waited a whole switch
/// interval asks the holder to let go; the holder checks for that request in its loop (the
/// "eval breaker"), drops the lock, and waits until another thread has taken it ("forced
/// switching"), so that it cannot grab it straight back.
mod gil {
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
}
