//! Without a lock, two threads overwrite each other's updates and the bank balance drifts off 0.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题
//! (`change_it(n)` without a lock, `t1` with n=5 and `t2` with n=8, 1,000,000 rounds each, and the
//! bad interleaving that ends at -8).
//! Python API: `threading.Thread`, a global `balance`, `balance = balance + n`.
//!
//! Run: `cargo run -p examples-sync --bin balance_race`
//!
//! What to watch for: the final balance, and whether it is 0. It often is not, and it changes from
//! run to run: each run interleaves the threads differently. `balance_lock` is the fix.
//!
//! Rust differences: the balance is an atomic, and each update is split, as CPython's bytecode
//! splits it, into a `load` and a later `store`: each access is atomic, the pair is not. The
//! tutorial's interleaving: both threads load 0; t2 stores 8; t1 stores 5, and t2's +8 is lost;
//! then t1's `- 5` leaves 0 and t2's `- 8` leaves -8.

use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::thread;

const ROUNDS: u32 = 1_000_000;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let balance = AtomicI64::new(0);
    thread::scope(|scope| {
        scope.spawn(|| run_thread(&balance, 5));
        scope.spawn(|| run_thread(&balance, 8));
    });

    let balance = balance.into_inner();
    println!("{balance}");
    if balance == 0 {
        println!("这次是 0：没有丢失更新，或者丢失的正好互相抵消");
    } else {
        println!("不是 0：有更新在 load 和 store 之间丢失了");
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
