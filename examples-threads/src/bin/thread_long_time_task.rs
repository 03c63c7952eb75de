//! Two threads run `long_time_task` side by side: the two 2-second sleeps overlap.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 多线程 (`long_time_task`
//! rewritten with `threading.Thread`).
//! Python API: `threading.Thread(target=…, args=…)`, `start()`, `join()`,
//! `threading.current_thread().name`.
//!
//! Run: `cargo run -p examples-threads --bin thread_long_time_task`
//!
//! What to watch for: the two `当前子线程` lines, then the two `结果` lines, each pair in either
//! order. `总共用时` is about 2 s, not 4 s: a sleeping thread gives its core away. Python's sleeps
//! overlap too, since the GIL only stops bytecode from running in parallel and a sleep runs none.
//!
//! Rust differences: a Rust thread has no name unless given one; these get the tutorial's
//! Python's names, `Thread-1` and `Thread-2` (its output in 001 shows them; Python 3.10+ adds the
//! target: `Thread-1 (long_time_task)`). The main thread is Rust's `main`, not `MainThread`.
//! `spawn` starts the thread at once; there is no separate `start()` step.

use std::thread;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let start = Instant::now();
    println!("这是主线程：{}", thread_name());

    let mut workers = Vec::new();
    for task in 1..=2 {
        let worker = thread::Builder::new()
            .name(format!("Thread-{task}"))
            .spawn(move || long_time_task(task))?;
        workers.push(worker);
    }
    for worker in workers {
        // A worker that panicked has already printed its panic; re-raising it here is the honest
        // end for this program.
        worker.join().expect("a worker thread panicked");
    }

    println!("总共用时{:.2}秒", start.elapsed().as_secs_f64());
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
