//! `semaphore`'s `Semaphore` and `Permit`, under loom, in every interleaving: three
//! threads take one of two permits each; never more than two are inside at once, and every
//! thread gets in (a permit given back always wakes a waiter).

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use loom::sync::Arc;
use loom::thread;
use models::Executions;
use models::semaphore::Semaphore;

/// Every interleaving with at most this many preemptions (a thread switched out while it could
/// go on): without a bound, three threads and a semaphore take loom longer than CI can wait.
const PREEMPTIONS: usize = 3;

#[test]
fn never_more_than_its_permits_inside_and_nobody_left_waiting() {
    static EXECUTIONS: Executions = Executions::new();
    static PEAK: AtomicUsize = AtomicUsize::new(0);
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(PREEMPTIONS);
    model.check(|| {
        EXECUTIONS.start();
        let semaphore = Arc::new(Semaphore::new(2));
        // A plain std counter: loom runs one thread at a time and switches only at its own
        // operations (and the yield inside), so the count is exact while a permit is held.
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let (semaphore, inside) = (Arc::clone(&semaphore), Arc::clone(&inside));
                thread::spawn(move || {
                    let _permit = semaphore.acquire();
                    let now = inside.fetch_add(1, SeqCst) + 1;
                    assert!(now <= 2, "{now} threads inside a semaphore of 2");
                    PEAK.fetch_max(now, SeqCst);
                    thread::yield_now(); // a point where loom may switch to another thread
                    inside.fetch_sub(1, SeqCst);
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    });
    println!(
        "Semaphore(2): 3 threads, at most {PREEMPTIONS} preemptions, {} executions",
        EXECUTIONS.count()
    );
    assert_eq!(
        PEAK.load(SeqCst),
        2,
        "some schedule has both permits taken at once"
    );
}
