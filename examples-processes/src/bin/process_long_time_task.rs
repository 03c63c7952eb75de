//! Two child processes run `long_time_task` side by side: the two 2-second sleeps overlap.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 多进程 (`long_time_task(i)`
//! in `p1` and `p2`).
//! Python API: `Process(target, args)`, `start()`, `join()`, `os.getpid()`.
//!
//! Run: `cargo run -p examples-processes --bin process_long_time_task`
//!
//! What to watch for: each `子进程` line shows a pid of its own, neither the parent's
//! (`当前母进程`) nor the other child's. Both `子进程` lines, in either order, come before both
//! `结果` lines, and `总共用时` is about 2 s, not 4: the children run at the same time.
//!
//! Rust differences: `Process::spawn` starts a child at once, so `等待所有子进程完成。` is
//! printed before the spawns; Python prints it between creating the two `Process` objects and
//! starting them. The output is the same.

use std::time::Instant;

use multiprocessing::{Process, Target, run_if_child};

const LONG_TIME_TASK: Target<u32> = Target::new("long_time_task", long_time_task);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&LONG_TIME_TASK]);
    shared::example::start();

    println!("当前母进程: {}", std::process::id());
    let start = Instant::now();
    println!("等待所有子进程完成。");
    let p1 = Process::spawn(&LONG_TIME_TASK, 1)?;
    let p2 = Process::spawn(&LONG_TIME_TASK, 2)?;
    p1.join()?;
    p2.join()?;
    println!("总共用时{:.2}秒", start.elapsed().as_secs_f64());
    Ok(())
}

fn long_time_task(i: u32) -> anyhow::Result<()> {
    println!("子进程: {} - 任务{i}", std::process::id());
    shared::pace::sleep_secs(2.0);
    println!("结果: {}", 8_u64.pow(20));
    Ok(())
}
