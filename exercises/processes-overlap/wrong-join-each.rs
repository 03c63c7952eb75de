//! Exercise 1, a wrong answer: each child is joined before the next is started, so the second
//! sleep only begins when the first has ended.

use multiprocessing::{Process, Target, run_if_child};

const LONG_TIME_TASK: Target<u32> = Target::new("long_time_task", long_time_task);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&LONG_TIME_TASK]);
    shared::example::start();

    println!("当前母进程: {}", std::process::id());
    for i in 1..=2 {
        Process::spawn(&LONG_TIME_TASK, i)?.join()?;
    }
    println!("两个任务都完成了");
    Ok(())
}

fn long_time_task(i: u32) -> anyhow::Result<()> {
    println!("子进程: {} - 任务{i}", std::process::id());
    shared::pace::sleep_secs(2.0);
    println!("结果: {}", 8_u64.pow(20));
    Ok(())
}
