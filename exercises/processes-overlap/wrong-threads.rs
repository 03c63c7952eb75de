//! Exercise 1, a wrong answer: the sleeps overlap, but in two threads of the parent process,
//! not in child processes.

use std::thread;

use multiprocessing::{Target, run_if_child};

const LONG_TIME_TASK: Target<u32> = Target::new("long_time_task", long_time_task);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&LONG_TIME_TASK]);
    shared::example::start();

    println!("当前母进程: {}", std::process::id());
    let t1 = thread::spawn(|| long_time_task(1));
    let t2 = thread::spawn(|| long_time_task(2));
    t1.join().expect("a task panicked")?;
    t2.join().expect("a task panicked")?;
    println!("两个任务都完成了");
    Ok(())
}

fn long_time_task(i: u32) -> anyhow::Result<()> {
    println!("子进程: {} - 任务{i}", std::process::id());
    shared::pace::sleep_secs(2.0);
    println!("结果: {}", 8_u64.pow(20));
    Ok(())
}
