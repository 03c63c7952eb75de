//! Exercise 12, a wrong answer: each result is printed by a callback, which runs when its task
//! ends: in the order the tasks end, not the order they were given.

use multiprocessing::{Pool, Task, Workers, run_if_child};

const SQUARE: Task<u64, u64> = Task::new("square", square);
const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    let mut pool = Pool::new(&WORKERS, 3)?;
    for n in 1..=5 {
        pool.apply_async_with_callback(&SQUARE, n, move |square| {
            println!("square({n}) = {square}");
        })?;
    }
    pool.close();
    pool.join()?;
    Ok(())
}

/// Task n sleeps 6 - n seconds: the last one given ends first.
fn square(n: u64) -> anyhow::Result<u64> {
    shared::pace::sleep_secs((6 - n) as f64);
    Ok(n * n)
}
