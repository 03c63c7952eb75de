//! `square` over `0..10` with the pool's `map`: the results come back as one list, in order.
//!
//! Tutorial: 《什么是 GIL》 (004), section 进程池 (`p.map(square, range(10))`).
//! Python API: `Pool()`, `map`, `close()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin pool_map`
//!
//! What to watch for: the workers' `启动`/`执行完毕` lines, then
//! `[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]`, in item order whatever order the work finished in.
//!
//! Rust differences: as in Python, `map` sends the items in chunks, one message per chunk, of
//! `ceil(10 / (4 × workers))` items by default; `map_async` takes the chunk size explicitly.

use multiprocessing::{Pool, Task, Workers, run_if_child};

const SQUARE: Task<u64, u64> = Task::new("square", square);
const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    let mut pool = Pool::with_cpus(&WORKERS)?;
    let res = pool.map(&SQUARE, 0..10)?;
    pool.close();
    pool.join()?;
    println!("{res:?}");
    Ok(())
}

fn square(num: u64) -> anyhow::Result<u64> {
    println!("进程id：{}启动", std::process::id());
    shared::pace::sleep_secs(rand::random::<f64>() * 3.0);
    println!("进程id：{}执行完毕", std::process::id());
    Ok(num * num)
}
