//! Ten tasks of random length on a pool of five worker processes: at most five run at once.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 进程池 (异步:
//! `pool.apply_async(func=fun1, args=(i,))`).
//! Python API: `multiprocessing.Pool(5)`, `apply_async`, `close()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin pool_apply_async`
//!
//! What to watch for: five `Run task` lines at once (unless a task's random sleep is near 0), then
//! one more each time a `Task … runs` line frees a worker, with its pid: five pids for ten tasks.
//! `结束测试` is last: `join()` waits until every worker has exited.
//!
//! Rust differences: a pool runs named [`Task`]s, listed in a [`Workers`] constant, the role a
//! worker process starts in: Python pickles a function by its name, and the list writes the
//! names down. Python drops the results of `apply_async` here, so a failing task would go
//! unnoticed; this example `get`s every handle after `join`, so a failed task fails the program.

use std::time::Instant;

use multiprocessing::{Pool, Task, Workers, run_if_child};

const FUN1: Task<u32, ()> = Task::new("fun1", fun1);
/// The tasks this program's pool workers can run; also the role a worker process starts in.
const WORKERS: Workers = Workers::new("pool_worker", &[&FUN1]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    let mut pool = Pool::new(&WORKERS, 5)?;
    let mut results = Vec::new();
    for i in 0..10 {
        results.push(pool.apply_async(&FUN1, i)?);
    }
    pool.close();
    pool.join()?;
    for result in results {
        result.get()?;
    }
    println!("结束测试");
    Ok(())
}

fn fun1(name: u32) -> anyhow::Result<()> {
    println!("Run task {name} ({})...", std::process::id());
    let start = Instant::now();
    shared::pace::sleep_secs(rand::random::<f64>() * 3.0);
    println!(
        "Task {name} runs {:.2} seconds.",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
