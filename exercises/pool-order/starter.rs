//! Exercise 12: a pool's results, printed in the order the tasks were given.
//!
//! Tutorial: 《什么是 GIL》 (004), section 进程池; example `pool_map`.
//!
//! Five tasks, `square(1)` to `square(5)`, for a pool of three worker processes; the later the
//! task, the sooner it is done. Print `square(n) = n²` for n = 1 to 5, in that order, while the
//! tasks run side by side (the tutorial's `apply_async`, then each result's `get()`).
//!
//! Check: `cargo run -p exercises -- check 12` (the output and the timeline of a run are
//! graded).

use multiprocessing::{Pool, Task, Workers, run_if_child};

const SQUARE: Task<u64, u64> = Task::new("square", square);
const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    let mut pool = Pool::new(&WORKERS, 3)?;
    todo!("submit square(1) to square(5), then print each result in that order");
    pool.close();
    pool.join()?;
    Ok(())
}

/// Task n sleeps 6 - n seconds: the last one given ends first.
fn square(n: u64) -> anyhow::Result<u64> {
    shared::pace::sleep_secs((6 - n) as f64);
    Ok(n * n)
}
