//! Creating threads, way 1: hand a function and its argument to a new thread.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 创建方法 › 1.普通创建方式
//! (`run(n)` in threads `t1`, `t2`).
//! Python API: `threading.Thread(target=run, args=("t1",))`, `start()`.
//!
//! Run: `cargo run -p examples-threads --bin thread_run`
//!
//! What to watch for: `task t1` and `task t2` first, then the countdown lines in pairs (`2s`,
//! `2s`, `1s`, `1s`, `0s`, `0s`), because both threads sleep through the same seconds: usually,
//! as only the sleeps line them up. Which thread prints first in each pair is the scheduler's.
//!
//! Rust differences: `args=("t1",)` becomes a closure, `|| run("t1")`. The thread may outlive
//! the caller's stack frame, so the closure cannot borrow from it: it owns its data (a `move`
//! closure) or, like this one, uses only `'static` data such as a string literal.

use std::thread;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let t1 = thread::spawn(|| run("t1"));
    let t2 = thread::spawn(|| run("t2"));

    // `join` returns Err only if the thread panicked, which would be a bug in `run`.
    t1.join().expect("t1 panicked");
    t2.join().expect("t2 panicked");
    Ok(())
}

fn run(n: &str) {
    println!("task {n}");
    for left in ["2s", "1s", "0s"] {
        shared::pace::sleep_secs(1.0);
        println!("{left}");
    }
    shared::pace::sleep_secs(1.0);
}
