//! The bank balance without a lock: each update is a read and a separate write, so two threads
//! can overwrite each other's updates and the balance drifts away from 0.
//!
//! Tutorial: `002_…txt`, section 多线程以及一些同步的问题 (`change_it(n)` without a lock, `t1`
//! with n=5 and `t2` with n=8, 1,000,000 rounds each, and the bad interleaving that ends at -8).
//! Python API: `threading.Thread`, a global `balance`, `balance = balance + n`.
//!
//! Run: `cargo run --release -p examples-sync --bin balance_race`
//!
//! What to watch for: the final balance, and whether it is 0. It often is not, and it changes
//! from run to run: each run interleaves the threads differently. `balance_lock` is the fix.
//!
//! Rust differences: the tutorial's code does not compile in Rust. Two threads writing one
//! plain `i64` is a data race, which the compiler rejects (the checked-in error:
//! `examples-sync/compile-fail/tests/ui/shared_i64_without_lock.rs`). To show the *race condition*
//! without undefined behaviour, the balance is an atomic, and every update is split, as
//! CPython's bytecode splits it, into a `load` and a later `store`. Each access is atomic; the
//! pair is not. The tutorial's bad interleaving, in these terms:
//!
//! ```text
//! t1: x1 = balance.load() + 5   // 0 + 5
//! t2: x2 = balance.load() + 8   // 0 + 8
//! t2: balance.store(x2)         // 8
//! t1: balance.store(x1)         // 5: t2's +8 is lost
//! t1: balance.store(balance.load() - 5)   // 0
//! t2: balance.store(balance.load() - 8)   // -8
//! ```

use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::thread;

const ROUNDS: u32 = 1_000_000;

fn main() -> anyhow::Result<()> {
    shared::cli::no_args();

    let balance = AtomicI64::new(0);
    thread::scope(|scope| {
        scope.spawn(|| run_thread(&balance, 5));
        scope.spawn(|| run_thread(&balance, 8));
    });

    let balance = balance.into_inner();
    println!("{balance}");
    if balance == 0 {
        println!("0 this time: no update was lost, or the lost ones cancelled out");
    } else {
        println!("not 0: updates were lost between a load and its store");
    }
    Ok(())
}

fn run_thread(balance: &AtomicI64, n: i64) {
    for _ in 0..ROUNDS {
        change_it(balance, n);
    }
}

/// Deposit then withdraw, each as a read followed by a write: another thread can write in
/// between, and its update is then overwritten.
fn change_it(balance: &AtomicI64, n: i64) {
    let x = balance.load(Relaxed) + n;
    balance.store(x, Relaxed);
    let x = balance.load(Relaxed) - n;
    balance.store(x, Relaxed);
}
