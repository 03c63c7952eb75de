//! Ten `square` tasks on a pool with one worker per CPU; the results are read afterwards, in
//! the order the tasks were submitted.
//!
//! Tutorial: `004_…txt`, section 进程池 (`p.apply_async(square, args=(i,))`, then
//! `result.get()` for each).
//! Python API: `Pool()`, `apply_async`, `AsyncResult.get()`, `close()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin pool_square`
//!
//! What to watch for: `启动` and `执行完毕` lines from as many pids as you have CPUs, each
//! worker running one task at a time; then `0, 1, 4, … 81` in submission order, whatever order
//! the tasks finished in: each handle holds its own task's result.
//!
//! Rust differences: none in behaviour. As the tutorial warns, calling `get` right after each
//! `apply_async` would wait for every task before submitting the next: one task at a time.

use multiprocessing::{Pool, Task, Workers, run_if_child};

const SQUARE: Task<u64, u64> = Task::new("square", square);
const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::cli::no_args();

    let mut pool = Pool::with_cpus(&WORKERS)?;
    let mut results = Vec::new();
    for i in 0..10 {
        results.push(pool.apply_async(&SQUARE, i)?);
    }
    pool.close();
    pool.join()?;
    for result in results {
        println!("{}", result.get()?);
    }
    Ok(())
}

fn square(num: u64) -> anyhow::Result<u64> {
    println!("进程id：{}启动", std::process::id());
    shared::pace::sleep_secs(rand::random::<f64>() * 3.0);
    println!("进程id：{}执行完毕", std::process::id());
    Ok(num * num)
}
