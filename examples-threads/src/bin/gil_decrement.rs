//! CPU work in one thread vs two; `--gil` simulates CPython's GIL, and two become no faster.
//!
//! Tutorial: `000_…txt`, section 多线程 GIL › GIL例子 (`decrement(100000000)` vs two threads of
//! `decrement(50000000)`), with GIL是什么 and GIL释放; `003_…txt`, section CPU密集.
//! Python API: `threading.Thread`, `start()`, `join()`, `time.time()`, `sys.setswitchinterval`.
//!
//! Run: `cargo run --release -p examples-threads --bin gil_decrement` (add `-- --gil`)
//!
//! What to watch for: both costs, then `speedup: …x`. With two free cores, two Rust threads
//! take about half the time of one: `speedup` near 2. With `--gil` a thread must hold one
//! global lock to run its loop and hands it over every switch interval (`--switch-ms`, default
//! 5 ms): one thread runs while the other waits, so `speedup` is about 1, or below on a busy
//! machine, where each hand-over waits for a core. Times are real, never scaled; compare them
//! in a release build (in a debug build the GIL check is a function call, slower than `n -= 1`).
//!
//! The GIL is the global interpreter lock: a CPython thread must hold it to run bytecode.
//! CPython needs it because reference counts and interpreter state are plain, unsynchronised
//! data that any thread's bytecode touches; one lock around all of it is simpler (and faster for
//! one thread) than a lock per object. A waiting thread asks the holder to let go after each
//! interval; the holder checks that request in its eval loop (the "eval breaker"), drops the
//! lock and waits until another thread has taken it ("forced switching"). `Gil` below is that
//! design, in miniature. (The tutorial's "every 100 ticks", `sys.setcheckinterval`, was Python
//! 2's rule; since 3.2 the interval is a time, `sys.setswitchinterval(0.005)`.)
//!
//! Rust differences: Rust has no GIL because it needs none. Ownership and the `Send`/`Sync`
//! traits make a data race a compile error, so the compiler, not a lock, keeps shared data
//! safe, and threads that share nothing (like these counters) never wait for each other.
//! `std::hint::black_box` stops the optimiser from deleting the loop.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const N: u64 = 100_000_000;

/// decrement(100000000) in one thread, then in two threads of half each.
#[derive(clap::Parser)]
struct Args {
    /// Simulate CPython's GIL: a thread holds one global lock while it runs its loop.
    #[arg(long)]
    gil: bool,
    /// The GIL's switch interval in milliseconds (CPython: sys.setswitchinterval(0.005)).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    switch_ms: u64,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::cli::parse();
    let gil = args
        .gil
        .then(|| Gil::new(Duration::from_millis(args.switch_ms)));
    let gil = gil.as_ref();
    if args.gil {
        println!("simulated GIL, switch interval {} ms", args.switch_ms);
    }

    let start = Instant::now();
    decrement(gil, N);
    let one = start.elapsed().as_secs_f64();
    println!("1 thread,  decrement({N}): {one}");

    let start = Instant::now();
    thread::scope(|scope| {
        let t1 = scope.spawn(|| decrement(gil, N / 2));
        let t2 = scope.spawn(|| decrement(gil, N / 2));
        // A panic in decrement would be a bug; pass it on.
        t1.join().unwrap();
        t2.join().unwrap();
    });
    let two = start.elapsed().as_secs_f64();
    println!("2 threads, decrement({}) each: {two}", N / 2);
    if let Some(gil) = gil {
        println!("forced switches: {}", gil.forced_switches());
    }
    println!("speedup: {:.2}x", one / two);
    Ok(())
}

fn decrement(gil: Option<&Gil>, mut n: u64) {
    let Some(gil) = gil else {
        while black_box(n) > 0 {
            n -= 1;
        }
        return;
    };
    gil.take();
    while black_box(n) > 0 {
        n -= 1;
        // The eval breaker: one cheap load per "bytecode"; the lock is touched only on request.
        if gil.drop_request.load(Relaxed) {
            gil.drop_gil(true);
            gil.take();
        }
    }
    gil.drop_gil(false);
}

/// CPython's "new GIL" (3.2+, `Python/ceval_gil.h`) in miniature.
#[derive(Default)]
struct Gil {
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
    /// How many times the GIL was taken; a waiter uses it to see whether anyone else got it.
    switches: u64,
    /// How many times a holder let go because a waiter asked it to.
    forced: u64,
}

impl Gil {
    fn new(interval: Duration) -> Self {
        Gil {
            interval,
            ..Gil::default()
        }
    }

    /// Waits for the GIL; after a whole interval with no switch, asks the holder to drop it.
    fn take(&self) {
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

    /// Releases the GIL; on a drop request, waits until another thread has taken it, so that
    /// the thread that just let go cannot grab it straight back.
    fn drop_gil(&self, forced: bool) {
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

    fn forced_switches(&self) -> u64 {
        self.state.lock().unwrap().forced
    }
}
