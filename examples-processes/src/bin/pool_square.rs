//! Ten `square` tasks on a pool with one worker per CPU, their results read in submission order.
//!
//! Tutorial: 《什么是 GIL》 (004), section 进程池 (`p.apply_async(square, args=(i,))`, then
//! `result.get()` for each), with its 解释 1 (`Pool(processes=10)`) and 解释 2 (`get` in the loop).
//! Python API: `Pool()`, `Pool(processes=N)`, `apply_async`, `AsyncResult.get()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin pool_square` (add `-- --processes 10` or
//! `-- --get-in-loop`)
//!
//! What to watch for: `启动` and `执行完毕` lines from as many pids as you have CPUs, each
//! worker running one task at a time; then `0, 1, 4, … 81` in submission order, whatever order
//! the tasks finished in: each handle holds its own task's result. `--processes 10` starts ten
//! at once. `--get-in-loop` waits for each result before submitting the next task: every
//! `启动` follows the previous `执行完毕`, as the tutorial warns, one process at a time.
//!
//! Rust differences: none in behaviour. `--get-in-loop` prints each result as `get` returns it,
//! where the tutorial's loop drops it, so that the wait shows.

use multiprocessing::{Pool, Task, Workers, run_if_child};

const SQUARE: Task<u64, u64> = Task::new("square", square);
const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);

#[derive(clap::Parser)]
struct Args {
    /// Worker processes in the pool (`Pool(processes=N)`); the default is one per CPU.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    processes: Option<u16>,
    /// Call `get` right after each `apply_async`, as 解释 2 warns against.
    #[arg(long)]
    get_in_loop: bool,
}

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    let args: Args = shared::example::start_with();

    let mut pool = match args.processes {
        Some(processes) => Pool::new(&WORKERS, processes.into())?,
        None => Pool::with_cpus(&WORKERS)?,
    };
    let mut results = Vec::new();
    for i in 0..10 {
        let result = pool.apply_async(&SQUARE, i)?;
        if args.get_in_loop {
            // Blocks until this task has ended, so the next is not even submitted until then.
            println!("{}", result.get()?);
        } else {
            results.push(result);
        }
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
