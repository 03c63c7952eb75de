//! A writer and a reader, two pool tasks, pass the letters of `itcast` through a manager's queue.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 进程池 (另外一个例子: `writer` and `reader` in
//! a `Pool()`).
//! Python API: `Manager().Queue()`, `Pool()`, `apply_async`, `q.put`, `q.qsize()`, `q.get(True)`.
//!
//! Run: `cargo run -p examples-processes --bin pool_manager_queue`
//!
//! What to watch for: `(<pid>)start` and `(<pid>)End` show the main pid. The writer's and the
//! reader's lines show their own pids (two pool workers, one if there is one CPU) and, as
//! parent, the main pid; the tutorial prints `os.getpid()` twice, so its "parent" is the worker
//! itself. The six `reader 从Queue获取到消息:` lines spell `i t c a s t`, in order: a queue is
//! FIFO.
//!
//! Rust differences: Python cannot pass a multiprocessing `Queue` to pool workers, hence the
//! tutorial's manager queue; here the `QueueProxy<char>` is an argument like any other. The
//! reader reads `qsize()` items, so it relies on the one-second pause, as the tutorial does.

use multiprocessing::{Manager, Pool, QueueProxy, Task, Workers, run_if_child};

const WRITER: Task<QueueProxy<char>, ()> = Task::new("writer", writer);
const READER: Task<QueueProxy<char>, ()> = Task::new("reader", reader);
const WORKERS: Workers = Workers::new("pool_worker", &[&WRITER, &READER]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    println!("({})start", std::process::id());
    let manager = Manager::start()?;
    let q = manager.queue::<char>()?;
    let mut po = Pool::with_cpus(&WORKERS)?;
    let written = po.apply_async(&WRITER, q.clone())?;
    shared::pace::sleep_secs(1.0);
    let read = po.apply_async(&READER, q)?;
    po.close();
    po.join()?;
    written.get()?;
    read.get()?;
    println!("({})End", std::process::id());
    Ok(())
}

fn reader(q: QueueProxy<char>) -> anyhow::Result<()> {
    let (pid, parent) = (std::process::id(), std::os::unix::process::parent_id());
    println!("reader 启动({pid}),父进程为（{parent})");
    for _ in 0..q.qsize()? {
        println!("reader 从Queue获取到消息:{}", q.get()?);
    }
    Ok(())
}

fn writer(q: QueueProxy<char>) -> anyhow::Result<()> {
    let (pid, parent) = (std::process::id(), std::os::unix::process::parent_id());
    println!("writer 启动（{pid}),父进程为({parent})");
    for letter in "itcast".chars() {
        q.put(&letter)?;
    }
    Ok(())
}
