//! The same ten tasks with the blocking `apply`: each finishes before the next starts, so the
//! pool of five runs one task at a time.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 进程池 (同步:
//! `pool.apply(func=fun1, args=(i,))`).
//! Python API: `multiprocessing.Pool(5)`, `apply`, `close()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin pool_apply`
//!
//! What to watch for: `Run task N` and `Task N runs` strictly alternate, in task order. The
//! pids rotate through the five workers, as in the tutorial's output: the worker idle the
//! longest takes the next task. The run takes the sum of the ten sleeps, not a fifth of it.
//!
//! Rust differences: `apply` returns the task's result (here `()`) or why it failed, where
//! Python raises the task's exception in the caller; the `?` passes a failure on.

use std::time::Instant;

use multiprocessing::{Pool, Task, Workers, run_if_child};

const FUN1: Task<u32, ()> = Task::new("fun1", fun1);
const WORKERS: Workers = Workers::new("pool_worker", &[&FUN1]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    let mut pool = Pool::new(&WORKERS, 5)?;
    for i in 0..10 {
        pool.apply(&FUN1, i)?; // waits for the task: nothing runs alongside it
    }
    pool.close();
    pool.join()?;
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
