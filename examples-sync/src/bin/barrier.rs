//! Four threads do a first phase, wait for each other at a barrier, then do a second phase.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题 (the
//! link on synchronisation primitives), and 多线程环境下对资源的操作需要考虑线程安全问题 ("`join`
//! is a kind of barrier").
//! Python API: `threading.Barrier(4)`, `wait()`.
//!
//! Run: `cargo run -p examples-sync --bin barrier`
//!
//! What to watch for: all four `第 1 阶段完成` lines before any `第 2 阶段` line, whatever order
//! the threads finish phase 1 in (they sleep different times); one thread is told it is the leader.
//!
//! Rust differences: `std::sync::Barrier` has no timeout or `abort`. Its `wait` result says
//! `is_leader()` to exactly one thread, as Python's `wait()` returns 0 to one thread.

use std::sync::Barrier;
use std::thread;

const THREADS: u32 = 4;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let barrier = Barrier::new(THREADS as usize);
    thread::scope(|scope| {
        for id in 1..=THREADS {
            let barrier = &barrier;
            scope.spawn(move || {
                shared::pace::sleep_secs(0.2 * f64::from(THREADS - id));
                println!("线程 {id}：第 1 阶段完成");
                // A `wait` span on a timeline (EXAMPLES_TIMELINE=1): the wait for the others.
                let wait = tracing::info_span!("wait", on = "barrier").entered();
                let leader = barrier.wait().is_leader();
                drop(wait);
                if leader {
                    println!("线程 {id}：被选为 leader");
                }
                println!("线程 {id}：第 2 阶段");
            });
        }
    });
    Ok(())
}
