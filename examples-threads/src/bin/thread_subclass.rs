//! Thread names: three threads, each printing its own name and an index.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 多线程 GIL › threading模块
//! (`class Mythead(threading.Thread)`).
//! Python API: subclassing `threading.Thread`, `self.name` (default `Thread-N`).
//!
//! Run: `cargo run -p examples-threads --bin thread_subclass`
//!
//! What to watch for: nine `线程:<name>,索引<i>` lines in three rounds. Within a thread the
//! indices always go 0, 1, 2; within a round the threads may come in any order (the tutorial's
//! claim that the order "is fixed" holds only because the sleeps are long and equal).
//!
//! Rust differences: CPython names a thread made without a name `Thread-N`, counting only such
//! threads, from 1 in each process. The tutorial's run starts at `Thread-2`, so its environment
//! had made one already; these threads are named where that run was, so the lines match its own
//! (a fresh `python3` prints `Thread-1..3`). A Rust thread has no name unless
//! `thread::Builder::name` gives it one; `thread::current().name()` reads it back.

use std::thread::{self, JoinHandle};

/// The Rust shape of `class Mythead(threading.Thread)`: the data, `start` and `run`.
struct MyThread {
    name: String,
}

impl MyThread {
    fn start(self) -> std::io::Result<JoinHandle<()>> {
        thread::Builder::new()
            .name(self.name.clone())
            .spawn(move || self.run())
    }

    fn run(self) {
        for i in 0..3 {
            shared::pace::sleep_secs(1.0);
            // Read the name back from the running thread, as Python's `self.name` does.
            let name = thread::current().name().unwrap_or("<unnamed>").to_owned();
            println!("线程:{name},索引{i}");
        }
    }
}

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let mut handles = Vec::new();
    for n in 2..=4 {
        let thread = MyThread {
            name: format!("Thread-{n}"),
        };
        handles.push(thread.start()?);
    }
    // Python keeps the process alive for these (non-daemon) threads; Rust needs the joins.
    for handle in handles {
        handle.join().expect("a thread panicked");
    }
    Ok(())
}
