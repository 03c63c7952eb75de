//! `n += 1` is three steps: load, add, store. Two threads doing it a million times each lose
//! updates; `fetch_add`, one indivisible step, never does.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题
//! (`dis.dis(foo)` on `n += 1`).
//! Python API: a global `n`, `n += 1`, the `dis` module.
//!
//! Run: `cargo run -p examples-sync --bin increment_not_atomic`
//!
//! What to watch for: the first line usually ends below 2,000,000, and by a different amount each
//! run; the second line always ends at exactly 2,000,000.
//!
//! Rust differences: `three_steps` writes out the bytecode: `LOAD_GLOBAL n` is `load`, the add
//! is the `+ 1` on a local copy (`INPLACE_ADD` in the tutorial's Python, up to 3.10; Python
//! 3.11's `dis` shows `BINARY_OP 13 (+=)`), `STORE_GLOBAL n` is `store`. A thread that stores
//! between our load and our store has its increment erased. `fetch_add` makes the CPU do all three
//! steps as one (a `lock xadd` on x86).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

const PER_THREAD: u64 = 1_000_000;

fn main() -> anyhow::Result<()> {
    shared::example::start();
    let expected = 2 * PER_THREAD;

    let n = AtomicU64::new(0);
    run_twice(|| three_steps(&n));
    let lost = expected - n.load(Relaxed);
    println!(
        "n += 1 拆成 load、add、store：{}（应为 {expected}，丢失 {lost}）",
        n.load(Relaxed)
    );

    let n = AtomicU64::new(0);
    run_twice(|| n.fetch_add(1, Relaxed));
    let total = n.load(Relaxed);
    assert_eq!(total, expected, "fetch_add never loses an increment");
    println!("n.fetch_add(1)：{total}（应为 {expected}，丢失 0）");
    Ok(())
}

/// `LOAD_GLOBAL n; LOAD_CONST 1; INPLACE_ADD; STORE_GLOBAL n` (3.11: `BINARY_OP 13 (+=)` for the add)
fn three_steps(n: &AtomicU64) {
    let loaded = n.load(Relaxed);
    let added = loaded + 1;
    n.store(added, Relaxed);
}

/// Runs `increment` a million times on each of two threads at once.
fn run_twice<T>(increment: impl Fn() -> T + Sync) {
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..PER_THREAD {
                    increment();
                }
            });
        }
    });
}
