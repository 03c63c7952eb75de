//! The tutorial's CPU-bound `decrement`, in one thread and then in two: with no GIL, two Rust
//! threads take about half the time.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 多线程 GIL › GIL例子 (`decrement(100000000)`
//! against two threads of `decrement(50000000)`); 《python多进程vs多线程》 (003), section CPU密集.
//! Python API: `threading.Thread`, `start()`, `join()`, `time.time()`.
//!
//! Run: `cargo run -p examples-threads --bin gil_decrement`
//!
//! What to watch for: both times, then `加速比：…x`: near 2 with two free cores, where CPython
//! prints about 1, since its GIL lets one thread run at a time (`gil_simulated` builds that lock
//! by hand).
//!
//! Rust differences: no GIL, because the compiler rejects unsynchronised sharing (`Send` and
//! `Sync`): threads that share nothing, like these two counters, never wait for each other.
//! `std::hint::black_box` keeps the optimiser from deleting the loop.

use std::hint::black_box;
use std::thread;
use std::time::Instant;

const N: u64 = 100_000_000;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let start = Instant::now();
    decrement(N);
    let one = start.elapsed().as_secs_f64();
    println!("1 个线程，decrement({N})：{one}");

    let start = Instant::now();
    // The scope joins both threads before the clock is read.
    thread::scope(|scope| {
        scope.spawn(|| decrement(N / 2));
        scope.spawn(|| decrement(N / 2));
    });
    let two = start.elapsed().as_secs_f64();
    println!("2 个线程，各 decrement({})：{two}", N / 2);
    println!("加速比：{:.2}x", one / two);
    Ok(())
}

fn decrement(mut n: u64) {
    // A `tracing` span marks the work on a timeline (EXAMPLES_TIMELINE=1); without one, it is free.
    let _cpu = tracing::info_span!("cpu", work = "decrement").entered();
    while black_box(n) > 0 {
        n -= 1;
    }
}
