//! Ten tasks with a callback: each result is handed to `bar`, which runs in the parent.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 进程池 (`Foo`/`Bar`:
//! `apply_async(func=Foo, args=(i,), callback=Bar)`).
//! Python API: `Pool(5)`, `apply_async(func, args, callback)`, `close()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin pool_callback`
//!
//! What to watch for: `end` first (submitting does not wait), then `-->exec done: 100` to
//! `109` as the tasks finish, five at a time, in whatever order they finish. Every callback
//! line is printed by the parent, one at a time on the pool's result thread, never by a worker.
//!
//! Rust differences: the callback takes `&R`, and the handle still holds the result: `get`
//! reports a task lost with a killed worker, which gets no callback. (`apply_async_with_callbacks`
//! adds Python's `error_callback`.)

use multiprocessing::{Pool, Task, Workers, run_if_child};

const FOO: Task<u32, u32> = Task::new("Foo", foo);
const WORKERS: Workers = Workers::new("pool_worker", &[&FOO]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    let mut pool = Pool::new(&WORKERS, 5)?;
    let results = (0..10)
        .map(|i| pool.apply_async_with_callback(&FOO, i, bar))
        .collect::<anyhow::Result<Vec<_>>>()?;
    println!("end");
    pool.close();
    pool.join()?;
    // Python would wait for ever on a task whose worker died; its handle here holds the error.
    for result in results {
        result.get()?;
    }
    Ok(())
}

/// Runs in a worker process.
fn foo(i: u32) -> anyhow::Result<u32> {
    shared::pace::sleep_secs(2.0);
    Ok(i + 100)
}

/// Runs in the parent, once per finished `foo`.
fn bar(arg: &u32) {
    println!("-->exec done: {arg}");
}
