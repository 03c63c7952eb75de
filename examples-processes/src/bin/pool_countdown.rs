//! The tutorial's countdown, split over a pool of two processes: CPU work, run in parallel.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多进程 (`countdown(COUNT//2)`
//! twice in `Pool(processes=2)`).
//! Python API: `Pool(processes=2)`, `apply_async`, `close()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin pool_countdown`
//!
//! What to watch for: `Time taken in seconds - X`: the countdown takes milliseconds here, where
//! CPython needs seconds.
//!
//! Rust differences: an optimising compiler would delete a loop whose result nobody reads;
//! `std::hint::black_box` hides the counter from it, so the work really happens. In Rust, two
//! threads would run this in parallel as well: processes are not needed to escape a GIL.

use std::hint::black_box;
use std::time::Instant;

use multiprocessing::{Pool, Task, Workers, run_if_child};

const COUNT: u64 = 50_000_000;

const COUNTDOWN: Task<u64, ()> = Task::new("countdown", countdown);
const WORKERS: Workers = Workers::new("pool_worker", &[&COUNTDOWN]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    // Started before the clock, as Python's `Pool(processes=2)` is.
    let mut pool = Pool::new(&WORKERS, 2)?;
    let start = Instant::now();
    let r1 = pool.apply_async(&COUNTDOWN, COUNT / 2)?;
    let r2 = pool.apply_async(&COUNTDOWN, COUNT / 2)?;
    pool.close();
    pool.join()?;
    let elapsed = start.elapsed();
    r1.get()?;
    r2.get()?;
    println!("Time taken in seconds - {}", elapsed.as_secs_f64());
    Ok(())
}

fn countdown(mut n: u64) -> anyhow::Result<()> {
    // On a timeline (EXAMPLES_TIMELINE=1): the work, inside the pool's `task` span.
    let _cpu = tracing::info_span!("cpu", work = "countdown").entered();
    while black_box(n) > 0 {
        n -= 1;
    }
    Ok(())
}
