//! Exercise 1, a solution: both children are started before either is joined.

use multiprocessing::{Process, Target, run_if_child};

const LONG_TIME_TASK: Target<u32> = Target::new("long_time_task", long_time_task);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&LONG_TIME_TASK]);
    shared::example::start();

    println!("当前母进程: {}", std::process::id());
    let p1 = Process::spawn(&LONG_TIME_TASK, 1)?;
    let p2 = Process::spawn(&LONG_TIME_TASK, 2)?;
    // Both run from here on: joining p1 first does not hold p2 back.
    p1.join()?;
    p2.join()?;
    println!("两个任务都完成了");
    Ok(())
}

fn long_time_task(i: u32) -> anyhow::Result<()> {
    println!("子进程: {} - 任务{i}", std::process::id());
    shared::pace::sleep_secs(2.0);
    println!("结果: {}", 8_u64.pow(20));
    Ok(())
}
