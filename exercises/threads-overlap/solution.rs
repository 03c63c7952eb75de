//! Exercise 2, a solution: both threads are spawned before either is joined.

use std::thread;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    println!("这是主线程：{}", thread_name());
    let mut workers = Vec::new();
    for task in 1..=2 {
        let worker = thread::Builder::new()
            .name(format!("Thread-{task}"))
            .spawn(move || long_time_task(task))?;
        workers.push(worker);
    }
    // Rust threads end with `main`, like Python's daemon threads: join them all.
    for worker in workers {
        worker.join().expect("a worker thread panicked");
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
