//! Exercise 1: two child processes whose sleeps overlap.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 多进程; example
//! `process_long_time_task`.
//!
//! This program runs `long_time_task` twice, one after the other, in its own process. Run each
//! call in a child process of its own, started with `Process::spawn`, so that the two sleeps
//! overlap; then wait for both.
//!
//! Check: `cargo run -p exercises -- check 1` (the timeline of a run is graded).

use multiprocessing::{Target, run_if_child};

const LONG_TIME_TASK: Target<u32> = Target::new("long_time_task", long_time_task);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&LONG_TIME_TASK]);
    shared::example::start();

    println!("当前母进程: {}", std::process::id());
    long_time_task(1)?;
    long_time_task(2)?;
    println!("两个任务都完成了");
    Ok(())
}

fn long_time_task(i: u32) -> anyhow::Result<()> {
    println!("子进程: {} - 任务{i}", std::process::id());
    shared::pace::sleep_secs(2.0);
    println!("结果: {}", 8_u64.pow(20));
    Ok(())
}
