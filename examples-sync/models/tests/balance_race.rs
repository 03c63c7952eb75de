//! `balance_race`'s `change_it`, under shuttle: t1 runs `change_it(5)` and t2 `change_it(8)`, once
//! each, in every order of their loads and stores. The checker reaches exactly the balances that
//! `balance_interleavings` enumerates, -8 among them, and an assertion that the balance ends at 0
//! fails.
//!
//! `cargo test -p models --test balance_race -- --nocapture` prints the failing schedule, which
//! `shuttle::replay` runs again step by step.

use std::collections::BTreeSet;
use std::sync::{Arc as StdArc, Mutex};

use models::Executions;
use models::balance_race::change_it;
use shuttle::sync::Arc;
use shuttle::sync::atomic::{AtomicI64, Ordering::Relaxed};
use shuttle::thread;

/// One execution: both calls, then the final balance.
fn both_threads() -> i64 {
    let balance = Arc::new(AtomicI64::new(0));
    let other = Arc::clone(&balance);
    let t2 = thread::spawn(move || change_it(&other, 8));
    change_it(&balance, 5);
    t2.join().unwrap();
    balance.load(Relaxed)
}

#[test]
fn the_checker_reaches_every_balance_the_enumeration_does() {
    static EXECUTIONS: Executions = Executions::new();
    let finals = StdArc::new(Mutex::new(BTreeSet::new()));
    let seen = StdArc::clone(&finals);
    shuttle::check_dfs(
        move || {
            EXECUTIONS.start();
            seen.lock().unwrap().insert(both_threads());
        },
        None,
    );
    let finals = finals.lock().unwrap().clone();
    println!(
        "balance_race: 2 threads × 4 steps, {} executions, final balances {finals:?}",
        EXECUTIONS.count()
    );
    assert_eq!(finals, BTreeSet::from([-8, -5, -3, 0, 3, 5, 8]));
}

#[test]
fn an_assertion_that_the_balance_ends_at_zero_fails_in_some_schedule() {
    let found = std::panic::catch_unwind(|| {
        shuttle::check_dfs(|| assert_eq!(both_threads(), 0, "an update was lost"), None);
    });
    let failure = found.expect_err("shuttle must find a schedule that loses an update");
    let message = models::panic_message(&*failure);
    assert!(
        message.contains("an update was lost"),
        "another failure: {message}"
    );
}
