//! A gate that lets waiting workers through `n` at a time: a condition variable.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 条件（Condition类）:
//! "threads wait, and only when a condition holds are n of them released". The tutorial has no code
//! for it; this example is our own.
//! Python API: `threading.Condition`: `wait_for(predicate)`, `notify(n)`.
//!
//! Run: `cargo run -p examples-threads --bin condition`
//!
//! What to watch for: six workers wait at a closed gate. Each round opens it for two (`第 N 轮：
//! 门打开，放行 2 个`): two `通过了门` lines, then the round's summary. The scheduler decides who
//! passes when.
//!
//! Rust differences: a `Condvar` is paired with a separate `Mutex` that holds the data the
//! condition tests, so that data cannot be read unlocked. `wait_while(guard, predicate)` is
//! `wait_for`, and `notify(n)` is `notify_one` called n times. The gatekeeper waits on a second
//! `Condvar`, so a `notify_one` meant for a worker cannot wake it.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;

const WORKERS: usize = 6;
const PER_ROUND: usize = 2;

/// What the condition tests: passes handed out and not yet used, and workers through.
struct Gate {
    passes: usize,
    passed: usize,
}

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let gate = Mutex::new(Gate {
        passes: 0,
        passed: 0,
    });
    let gate_opened = Condvar::new(); // workers wait here for a pass
    let worker_passed = Condvar::new(); // the gatekeeper waits here for the round to finish

    println!("{WORKERS} 个 worker 在关着的门前等待");
    thread::scope(|scope| {
        for id in 1..=WORKERS {
            let (gate, gate_opened, worker_passed) = (&gate, &gate_opened, &worker_passed);
            scope.spawn(move || {
                let _passed = pass(gate, gate_opened, worker_passed);
                // Printed under the lock, so the gatekeeper's summary cannot overtake it: the
                // guard is named `_passed`, not `_`, so that it lives until the closure ends.
                println!("worker {id} 通过了门");
            });
        }

        for round in 1..=WORKERS / PER_ROUND {
            shared::pace::sleep_secs(1.0);
            let opened = open(&gate, &gate_opened, PER_ROUND);
            println!("第 {round} 轮：门打开，放行 {PER_ROUND} 个");
            let closed = wait_until_used(&worker_passed, opened);
            println!(
                "第 {round} 轮：已通过 {} 个，还有 {} 个在等",
                closed.passed,
                WORKERS - closed.passed
            );
        }
    });
    println!("门前没人了");
    Ok(())
}

/// A worker: waits for a pass (`wait_for`), uses it, and tells the gatekeeper. Returns with the
/// lock still held.
fn pass<'a>(
    gate: &'a Mutex<Gate>,
    gate_opened: &Condvar,
    worker_passed: &Condvar,
) -> MutexGuard<'a, Gate> {
    let guard = gate.lock().unwrap();
    let mut guard = gate_opened.wait_while(guard, |g| g.passes == 0).unwrap();
    guard.passes -= 1;
    guard.passed += 1;
    worker_passed.notify_one();
    guard
}

/// The gatekeeper: hands out `n` passes and wakes `n` workers (Python's `notify(n)`). They run
/// once the returned guard lets the lock go.
fn open<'a>(gate: &'a Mutex<Gate>, gate_opened: &Condvar, n: usize) -> MutexGuard<'a, Gate> {
    let mut guard = gate.lock().unwrap();
    guard.passes += n;
    for _ in 0..n {
        gate_opened.notify_one();
    }
    guard
}

/// The gatekeeper: waits, the lock let go meanwhile, until every pass of the round is used.
fn wait_until_used<'a>(
    worker_passed: &Condvar,
    opened: MutexGuard<'a, Gate>,
) -> MutexGuard<'a, Gate> {
    worker_passed.wait_while(opened, |g| g.passes > 0).unwrap()
}
