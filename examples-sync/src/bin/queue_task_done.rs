//! Workers drain a queue; the main thread waits until every item is done, then closes the queue.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section
//! 多线程环境下对资源的操作需要考虑线程安全问题 (the `q.get()` / `do_work(item)` / `q.task_done()`
//! worker, and `q.join()`).
//! Python API: `queue.Queue`, `get`, `task_done`, `join`, daemon worker threads.
//!
//! Run: `cargo run -p examples-sync --bin queue_task_done`
//!
//! What to watch for: twenty `worker N 完成了 item M` lines, each item once, in any order over
//! the four workers; then `全部 20 个 item 已完成` (`q.join()` returned); then one `worker N 退出`
//! each.
//!
//! Rust differences: a `crossbeam_channel` is the queue, and the workers `recv` from clones of one
//! receiver. `task_done` and `join` are a `WaitGroup`: each item travels with a clone, dropped when
//! the item is done, and `wait` returns when none is left. Python's daemon workers loop forever;
//! here dropping the sender makes `recv` fail, so each worker returns and is joined.

use std::thread;

use crossbeam::channel;
use crossbeam::sync::WaitGroup;

const WORKERS: usize = 4;
const ITEMS: u32 = 20;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let (q, items) = channel::unbounded::<(u32, WaitGroup)>();
    let workers: Vec<_> = (1..=WORKERS)
        .map(|worker| {
            let items = items.clone();
            thread::spawn(move || {
                // `while True: item = q.get()`, until the queue is closed.
                while let Ok((item, task)) = items.recv() {
                    do_work(worker, item);
                    drop(task); // `q.task_done()`
                }
                println!("worker {worker} 退出");
            })
        })
        .collect();

    let all_done = WaitGroup::new();
    for item in 1..=ITEMS {
        q.send((item, all_done.clone()))?; // `q.put(item)`
    }
    all_done.wait(); // `q.join()`: blocks until every item's task is done
    println!("全部 {ITEMS} 个 item 已完成");

    drop(q); // closes the queue: the workers' `recv` fails and they return
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    Ok(())
}

fn do_work(worker: usize, item: u32) {
    shared::pace::sleep_secs(0.1);
    println!("worker {worker} 完成了 item {item}");
}
