//! The synchronisation chapter (package `examples-sync`).

use tests::example;

#[test]
fn balance_lock_always_ends_at_zero() {
    // The example asserts the balance itself; running it a few times guards against a lock
    // that only looked right once. Each run does 2 × 1,000,000 locked rounds.
    for _ in 0..3 {
        let run = example("balance_lock").run().success();
        assert_eq!(run.stdout, "0\n");
    }
}
