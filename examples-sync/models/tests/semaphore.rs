//! `semaphore`'s `Semaphore` and `Permit`, under loom, in every interleaving: three threads take
//! one of two permits each; never more than two are inside at once, and every thread gets in (a
//! permit given back always wakes a waiter); and with one permit, never two inside (a release
//! gives back one permit, not two).

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use loom::sync::Arc;
use loom::thread;
use models::Executions;
use models::semaphore::Semaphore;

/// Three threads each take one of `permits`, in every interleaving with at most `preemptions`
/// preemptions (a thread switched out while it could go on: without a bound, three threads and a
/// semaphore take loom longer than CI can wait). Returns the most that were ever inside at once.
fn three_threads(permits: usize, preemptions: usize) -> usize {
    // Per call, not static: the two tests run at once.
    let executions = std::sync::Arc::new(Executions::new());
    let peak = std::sync::Arc::new(AtomicUsize::new(0));
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(preemptions);
    let (counted, highest) = (
        std::sync::Arc::clone(&executions),
        std::sync::Arc::clone(&peak),
    );
    model.check(move || {
        counted.start();
        let semaphore = Arc::new(Semaphore::new(permits));
        // A plain std counter: loom runs one thread at a time and switches only at its own
        // operations (and the yield inside), so the count is exact while a permit is held.
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let (semaphore, inside) = (Arc::clone(&semaphore), Arc::clone(&inside));
                let highest = std::sync::Arc::clone(&highest);
                thread::spawn(move || {
                    let _permit = semaphore.acquire();
                    let now = inside.fetch_add(1, SeqCst) + 1;
                    assert!(
                        now <= permits,
                        "{now} threads inside a semaphore of {permits}"
                    );
                    highest.fetch_max(now, SeqCst);
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
        "Semaphore({permits}): 3 threads, at most {preemptions} preemptions, {} executions",
        executions.count()
    );
    peak.load(SeqCst)
}

#[test]
fn never_more_than_its_permits_inside_and_nobody_left_waiting() {
    assert_eq!(
        three_threads(2, 3),
        2,
        "some schedule has both permits taken at once"
    );
}

/// A release that gave back two permits would pass the check above: with three threads and two
/// permits, a second thread inside is allowed. With one permit, it lets two in: the first thread
/// leaves (two free), and the other two both enter.
#[test]
fn a_permit_given_back_is_given_back_once() {
    three_threads(1, 2);
}
