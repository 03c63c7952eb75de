//! `increment_not_atomic`'s `three_steps`, under loom: the checker finds the interleaving in which
//! two increments leave 1, the lost update, and no interleaving leaves anything but 1 or 2.
//!
//! `cargo test -p models --test increment_not_atomic -- --nocapture` prints what was found;
//! `LOOM_LOG=trace` with it prints every step of every execution.

use std::collections::BTreeSet;
use std::sync::Mutex;

use loom::sync::Arc;
use loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
use loom::thread;
use models::Executions;
use models::increment_not_atomic::three_steps;

/// Two threads, one `three_steps` each: every final value loom can reach.
fn final_values() -> (BTreeSet<u64>, usize) {
    static EXECUTIONS: Executions = Executions::new();
    static FINALS: Mutex<BTreeSet<u64>> = Mutex::new(BTreeSet::new());
    loom::model(|| {
        EXECUTIONS.start();
        let n = Arc::new(AtomicU64::new(0));
        let other = Arc::clone(&n);
        let t2 = thread::spawn(move || three_steps(&other));
        three_steps(&n);
        t2.join().unwrap();
        FINALS.lock().unwrap().insert(n.load(Relaxed));
    });
    (FINALS.lock().unwrap().clone(), EXECUTIONS.count())
}

#[test]
fn the_checker_finds_the_lost_increment() {
    let (finals, executions) = final_values();
    println!(
        "increment_not_atomic: 2 threads × 1 increment, {executions} executions, final values {finals:?}"
    );
    assert_eq!(finals, BTreeSet::from([1, 2]), "1 is an increment lost");
}

#[test]
fn an_assertion_that_both_increments_count_fails_in_some_interleaving() {
    let found = std::panic::catch_unwind(|| {
        loom::model(|| {
            let n = Arc::new(AtomicU64::new(0));
            let other = Arc::clone(&n);
            let t2 = thread::spawn(move || three_steps(&other));
            three_steps(&n);
            t2.join().unwrap();
            assert_eq!(n.load(Relaxed), 2, "an increment was lost");
        });
    });
    let failure = found.expect_err("loom must find the schedule that loses an increment");
    let message = models::panic_message(&*failure);
    assert!(
        message.contains("an increment was lost"),
        "another failure: {message}"
    );
}
