//! Five two-second tasks on a pool of four: four run at once, the fifth waits for a free
//! worker, so the whole takes two rounds.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 进程池 (`Pool(4)`, five
//! `long_time_task`s, `cpu_count()`).
//! Python API: `multiprocessing.cpu_count()`, `Pool(4)`, `apply_async`, `close()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin pool_cpu_count`
//!
//! What to watch for: five `子进程` lines on at most four pids (one worker runs two tasks), and
//! `总共用时` about 4 s: two rounds of 2 s.
//!
//! Rust differences: `multiprocessing::cpu_count()` is std's `available_parallelism()`: it
//! counts the CPUs this process may use (CPU affinity, cgroup quotas), which is what a pool size
//! should follow; Python's `cpu_count()` counts every CPU of the machine.

use std::time::Instant;

use multiprocessing::{Pool, Task, Workers, cpu_count, run_if_child};

const LONG_TIME_TASK: Task<u32, ()> = Task::new("long_time_task", long_time_task);
const WORKERS: Workers = Workers::new("pool_worker", &[&LONG_TIME_TASK]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    println!("CPU内核数:{}", cpu_count());
    println!("当前母进程: {}", std::process::id());
    let start = Instant::now();
    let mut pool = Pool::new(&WORKERS, 4)?;
    let mut results = Vec::new();
    for i in 0..5 {
        results.push(pool.apply_async(&LONG_TIME_TASK, i)?);
    }
    println!("等待所有子进程完成。");
    pool.close();
    pool.join()?;
    for result in results {
        result.get()?;
    }
    println!("总共用时{:.2}秒", start.elapsed().as_secs_f64());
    Ok(())
}

fn long_time_task(i: u32) -> anyhow::Result<()> {
    println!("子进程: {} - 任务{i}", std::process::id());
    shared::pace::sleep_secs(2.0);
    println!("结果: {}", 8_u64.pow(20));
    Ok(())
}
