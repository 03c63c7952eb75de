//! `balance_lock`'s `run_thread`, under loom: in every interleaving of two threads' rounds and a
//! third thread that looks at the balance under the lock, that thread sees 0 (no deposit is
//! seen without its withdrawal), and the balance ends at 0.

use loom::sync::{Arc, Mutex};
use loom::thread;
use models::Executions;
use models::balance_lock::run_thread;

#[test]
fn every_interleaving_of_two_locked_threads_ends_at_zero() {
    static EXECUTIONS: Executions = Executions::new();
    loom::model(|| {
        EXECUTIONS.start();
        let balance = Arc::new(Mutex::new(0_i64));
        let other = Arc::clone(&balance);
        // Two rounds each: enough for every order of the four lock holds.
        let t2 = thread::spawn(move || run_thread(&other, 8, 2));
        let other = Arc::clone(&balance);
        let looker = thread::spawn(move || assert_eq!(*other.lock().unwrap(), 0));
        run_thread(&balance, 5, 2);
        t2.join().unwrap();
        looker.join().unwrap();
        assert_eq!(*balance.lock().unwrap(), 0);
    });
    println!(
        "balance_lock: 2 threads × 2 rounds and a looker, {} executions",
        EXECUTIONS.count()
    );
    assert!(EXECUTIONS.count() > 1, "loom explored more than one order");
}
