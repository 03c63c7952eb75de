//! A bank balance changed by two threads under a lock: it always ends at 0.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题
//! (`change_it` with `lock.acquire()` / `lock.release()`, 1,000,000 rounds), and
//! 《python多进程vs多线程》 (003), the same snippet with 100,000 rounds.
//! Python API: `threading.Lock`, `acquire()`, `release()` in `try`/`finally`.
//!
//! Run: `cargo run -p examples-sync --bin balance_lock`
//!
//! What to watch for: it prints `0`, every time. Thread `t1` adds and removes 5, `t2` adds and
//! removes 8, and each add-then-remove happens while that thread holds the lock.
//!
//! Rust differences: the `Mutex` *owns* the balance, so the number cannot be reached without
//! locking. `lock()` returns a guard that releases the lock when it goes out of scope: the
//! `finally: lock.release()`, written once, by the compiler, on every path.

use std::sync::Mutex;
use std::thread;

const ROUNDS: u32 = 1_000_000;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let balance = Mutex::new(0_i64);
    thread::scope(|scope| {
        scope.spawn(|| run_thread(&balance, 5, ROUNDS));
        scope.spawn(|| run_thread(&balance, 8, ROUNDS));
    });

    // `into_inner` fails only if a thread panicked while holding the lock: a bug here.
    let balance = balance
        .into_inner()
        .expect("a thread panicked holding the lock");
    println!("{balance}");
    assert_eq!(
        balance, 0,
        "every deposit was paired with a withdrawal under the lock"
    );
    Ok(())
}

fn run_thread(balance: &Mutex<i64>, n: i64, rounds: u32) {
    for round in 0..rounds {
        let mut guard = balance.lock().unwrap(); // `lock.acquire()`
        // A timeline (EXAMPLES_TIMELINE=1) marks one hold in 100,000: two million would drown it.
        let _held = (round % 100_000 == 0).then(|| tracing::info_span!("lock").entered());
        change_it(&mut guard, n);
    } // the guard drops at the end of each round: `lock.release()`
}

/// Deposit then withdraw: the balance must end where it began.
fn change_it(balance: &mut i64, n: i64) {
    *balance += n;
    *balance -= n;
}
