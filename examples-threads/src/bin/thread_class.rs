//! Creating threads, way 2: a type that owns its data and has a `run` method.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 创建方法 ›
//! 2.继承threading.Thread来自定义线程类 (`MyThread(threading.Thread)` overriding `run`).
//! Python API: subclassing `threading.Thread`, overriding `run()`, calling `start()`.
//!
//! Run: `cargo run -p examples-threads --bin thread_class`
//!
//! What to watch for: the same output as `thread_run`: `task t1`, `task t2`, then `2s`, `2s`,
//! `1s`, `1s`, `0s`, `0s`.
//!
//! Rust differences: there is no `Thread` class to inherit from. A plain struct holds the data,
//! `run(self)` does the work, and `start(self)` moves the whole value into a new thread and
//! returns its `JoinHandle`. Since `start` takes `self` by value, nothing else can touch the data
//! while the thread runs; Python leaves that to discipline.

use std::thread::{self, JoinHandle};

struct MyThread {
    n: String,
}

impl MyThread {
    fn new(n: &str) -> Self {
        Self { n: n.to_owned() }
    }

    /// `Thread.start()`: the new thread calls `run`.
    fn start(self) -> std::io::Result<JoinHandle<()>> {
        thread::Builder::new().spawn(move || self.run())
    }

    /// `Thread.run()`: what the thread does.
    fn run(self) {
        println!("task {}", self.n);
        for left in ["2s", "1s", "0s"] {
            shared::pace::sleep_secs(1.0);
            println!("{left}");
        }
        shared::pace::sleep_secs(1.0);
    }
}

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let t1 = MyThread::new("t1").start()?;
    let t2 = MyThread::new("t2").start()?;

    // Rust threads are like Python daemon threads: returning from `main` would kill them.
    t1.join().expect("t1 panicked");
    t2.join().expect("t2 panicked");
    Ok(())
}
