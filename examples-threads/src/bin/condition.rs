//! A gate that lets waiting workers through `n` at a time: a condition variable.
//!
//! Tutorial: `001_…txt`, section 条件（Condition类）: "threads wait, and only when a condition
//! holds are n of them released". The tutorial has no code for it; this example is our own.
//! Python API: `threading.Condition`: `wait_for(predicate)`, `notify(n)`, `notify_all()`.
//!
//! Run: `cargo run -p examples-threads --bin condition`
//!
//! What to watch for: six workers wait at a closed gate. Each round hands out two passes: two
//! `passes the gate` lines, then the round's summary. The scheduler decides who passes when.
//!
//! Rust differences: a `Condvar` is paired with a separate `Mutex` that holds the data the
//! condition tests, so that data cannot be read unlocked. `wait_while(guard, predicate)` is
//! `wait_for`, and `notify(n)` is `notify_one` called n times. The gatekeeper waits on a second
//! `Condvar`, so a `notify_one` meant for a worker cannot wake it.

use std::sync::{Condvar, Mutex};
use std::thread;

const WORKERS: usize = 6;
const PER_ROUND: usize = 2;

struct Gate {
    passes: usize,
    passed: usize,
}

fn main() -> anyhow::Result<()> {
    shared::cli::no_args();

    let gate = Mutex::new(Gate {
        passes: 0,
        passed: 0,
    });
    let gate_opened = Condvar::new(); // workers wait here for a pass
    let worker_passed = Condvar::new(); // the gatekeeper waits here for the round to finish

    println!("{WORKERS} workers wait at the closed gate");
    thread::scope(|scope| {
        for id in 1..=WORKERS {
            let (gate, gate_opened, worker_passed) = (&gate, &gate_opened, &worker_passed);
            scope.spawn(move || {
                let guard = gate.lock().unwrap();
                let mut guard = gate_opened.wait_while(guard, |g| g.passes == 0).unwrap();
                guard.passes -= 1;
                guard.passed += 1;
                // Printed under the lock, so the gatekeeper's summary cannot overtake it.
                println!("worker {id} passes the gate");
                worker_passed.notify_one();
            });
        }

        for round in 1..=WORKERS / PER_ROUND {
            shared::pace::sleep_secs(1.0);
            let mut guard = gate.lock().unwrap();
            guard.passes += PER_ROUND;
            println!("round {round}: the gate opens for {PER_ROUND}");
            for _ in 0..PER_ROUND {
                gate_opened.notify_one(); // Python's notify(PER_ROUND)
            }
            let guard = worker_passed.wait_while(guard, |g| g.passes > 0).unwrap();
            println!(
                "round {round}: {} through, {} still waiting",
                guard.passed,
                WORKERS - guard.passed
            );
        }
    });
    println!("the gate is empty");
    Ok(())
}
