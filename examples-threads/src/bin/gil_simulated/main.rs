//! CPython's GIL built by hand: two threads that must hold one lock to run take turns, and are
//! no faster than one.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), sections 多线程 GIL › GIL是什么 and GIL释放
//! (`decrement` under the GIL); 《python多进程vs多线程》 (003), section CPU密集.
//! Python API: the interpreter's own lock; `sys.setswitchinterval(0.005)`.
//!
//! Run: `cargo run -p examples-threads --bin gil_simulated` (`-- --switch-ms 1`)
//!
//! What to watch for: `加速比：…x` near 1, or below on a busy machine, where each hand-over
//! waits for a core; `gil_decrement`, the same work without the lock, shows 2. `强制切换次数`
//! counts the hand-overs. (Python 2 switched every 100 ticks, `sys.setcheckinterval`;
//! since 3.2 the interval is a time.)
//!
//! Rust differences: the lock is `gil.rs` beside this file, CPython's `Python/ceval_gil.h` in
//! miniature; `benches/benches/gil.rs` measures that same lock against CPython's real GIL.

mod gil;

use std::thread;
use std::time::{Duration, Instant};

use gil::{Gil, decrement};

const N: u64 = 100_000_000;

/// decrement(100000000) under the GIL in one thread, then in two threads of half each.
#[derive(clap::Parser)]
struct Args {
    /// The switch interval in milliseconds (CPython: sys.setswitchinterval(0.005)).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    switch_ms: u64,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();
    let gil = Gil::new(Duration::from_millis(args.switch_ms));
    println!("模拟的 GIL，切换间隔 {} ms", args.switch_ms);

    let start = Instant::now();
    decrement(&gil, N);
    let one = start.elapsed().as_secs_f64();
    println!("1 个线程，decrement({N})：{one}");

    let start = Instant::now();
    thread::scope(|scope| {
        scope.spawn(|| decrement(&gil, N / 2));
        scope.spawn(|| decrement(&gil, N / 2));
    });
    let two = start.elapsed().as_secs_f64();
    println!("2 个线程，各 decrement({})：{two}", N / 2);
    println!("强制切换次数：{}", gil.forced_switches());
    println!("加速比：{:.2}x", one / two);
    Ok(())
}
