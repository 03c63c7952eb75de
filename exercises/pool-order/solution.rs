//! Exercise 12, a solution: all five are submitted first (`apply_async`), then each result is
//! waited for in turn: a slow first task holds the printing back, not the work.

use multiprocessing::{Pool, Task, Workers, run_if_child};

const SQUARE: Task<u64, u64> = Task::new("square", square);
const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    let mut pool = Pool::new(&WORKERS, 3)?;
    let results = (1..=5)
        .map(|n| Ok((n, pool.apply_async(&SQUARE, n)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    for (n, result) in results {
        println!("square({n}) = {}", result.get()?);
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
