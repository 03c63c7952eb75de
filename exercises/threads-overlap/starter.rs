//! Exercise 2: two threads whose sleeps overlap.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 多线程; example
//! `thread_long_time_task`.
//!
//! This program runs `long_time_task` twice on the main thread, one after the other. Run each
//! call on a thread of its own (`thread::Builder::new().name(…).spawn(…)`, or `thread::spawn`),
//! so that the two sleeps overlap, and make sure both have finished before `main` returns.
//!
//! Check: `cargo run -p exercises -- check 2` (the timeline of a run is graded).

use std::thread;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    println!("这是主线程：{}", thread_name());
    long_time_task(1);
    long_time_task(2);
    println!("两个任务都完成了");
    Ok(())
}

fn long_time_task(task: u32) {
    println!("当前子线程: {} 任务{task}", thread_name());
    shared::pace::sleep_secs(2.0);
    println!("结果: {}", 8_u64.pow(20));
}

fn thread_name() -> String {
    thread::current().name().unwrap_or("<unnamed>").to_owned()
}
