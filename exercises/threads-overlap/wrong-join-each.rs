//! Exercise 2, a wrong answer: each thread is joined right after it is spawned, so the second
//! starts only when the first has ended.

use std::thread;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    println!("这是主线程：{}", thread_name());
    for task in 1..=2 {
        thread::Builder::new()
            .name(format!("Thread-{task}"))
            .spawn(move || long_time_task(task))?
            .join()
            .expect("a worker thread panicked");
    }
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
