//! Ten threads want a section that only three may be in at once: a counting semaphore, written out
//! as a `Mutex<usize>` and a `Condvar`.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题 (the
//! link on synchronisation primitives).
//! Python API: `threading.Semaphore(3)`, `acquire()` / `release()` (or `with sem:`).
//!
//! Run: `cargo run -p examples-sync --bin semaphore`
//!
//! What to watch for: `进入` and `离开` lines with the number inside after each step, never
//! above 3; `同时在里面最多：N 个（上限 3）` last, asserted.
//!
//! Rust differences: std has no semaphore. `acquire` waits on the `Condvar` while no permit is
//! free; dropping the `Permit` gives it back and wakes one waiter, as `with sem:` does. The guards
//! stay inside `acquire` and `drop`, since a `MutexGuard` cannot go to another thread (Python lets
//! any thread release a `Lock`); a `Permit` only borrows the semaphore, so any thread may drop it.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Condvar, Mutex};
use std::thread;

const LIMIT: usize = 3;

/// `threading.Semaphore`: `permits` threads may hold it at once.
struct Semaphore {
    free: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    fn new(permits: usize) -> Self {
        Self {
            free: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// `acquire()`: waits for a free permit and takes it.
    fn acquire(&self) -> Permit<'_> {
        let free = self.free.lock().unwrap();
        let mut free = self.released.wait_while(free, |free| *free == 0).unwrap();
        *free -= 1;
        Permit(self)
    }
}

/// A taken permit; dropping it is `release()`.
struct Permit<'a>(&'a Semaphore);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap() += 1;
        self.0.released.notify_one();
    }
}

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let semaphore = Semaphore::new(LIMIT);
    let (inside, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
    thread::scope(|scope| {
        for id in 1..=10 {
            let (semaphore, inside, peak) = (&semaphore, &inside, &peak);
            scope.spawn(move || {
                let _permit = semaphore.acquire(); // `with sem:`
                let now = inside.fetch_add(1, SeqCst) + 1;
                peak.fetch_max(now, SeqCst);
                println!("线程 {id} 进入（里面有 {now} 个）");
                shared::pace::sleep_secs(0.5);
                let now = inside.fetch_sub(1, SeqCst) - 1;
                println!("线程 {id} 离开（里面有 {now} 个）");
            });
        }
    });

    let peak = peak.into_inner();
    println!("同时在里面最多：{peak} 个（上限 {LIMIT}）");
    assert!(peak <= LIMIT, "the semaphore let {peak} threads in");
    Ok(())
}
