//! Timing child threads: start three, join them all, then read the clock.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 2.1.2 计算子线程执行的时间.
//! Python API: `threading.Thread`, `join()`, `threading.current_thread()`.
//!
//! Run: `cargo run -p examples-threads --bin thread_timing`
//!
//! What to watch for: three `task t-N <Thread(…)>` lines, then `3s`, `2s`, `1s` from each thread
//! (rounds that only the sleeps line up), and `cost: …` only after all of them: `main` joins each
//! thread first. The tutorial's `for tmp in t_obj: t.join()` joins the last thread three times,
//! which only looks right because the sleeps are equal. Last, the main thread describes itself.
//!
//! Rust differences: Python prints `<Thread(Thread-1, started 44828)>`; `thread::current()` gives
//! a name and a `ThreadId`, unique for the process's lifetime. Python names every thread; a Rust
//! thread has a name only if `thread::Builder::name` gave it one (the main thread's is `main`),
//! so the three get Python's `Thread-1` to `Thread-3` that way.

use std::thread::{self, Thread};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let start = Instant::now();
    let mut handles = Vec::new();
    for i in 0..3 {
        // Python's names for unnamed threads, which Rust leaves nameless unless told.
        let thread = thread::Builder::new().name(format!("Thread-{}", i + 1));
        handles.push(thread.spawn(move || run(&format!("t-{i}")))?);
    }

    for handle in handles {
        handle.join().expect("a countdown thread panicked");
    }

    println!("cost: {:.2}", start.elapsed().as_secs_f64());
    println!("{}", describe(&thread::current()));
    Ok(())
}

fn run(n: &str) {
    println!("task {n} {}", describe(&thread::current()));
    for left in ["3s", "2s", "1s"] {
        shared::pace::sleep_secs(1.0);
        println!("{left}");
    }
}

/// Rust's version of Python's `repr(thread)`.
fn describe(thread: &Thread) -> String {
    let name = thread.name().unwrap_or("<unnamed>");
    format!("<Thread({name}, {:?})>", thread.id())
}
