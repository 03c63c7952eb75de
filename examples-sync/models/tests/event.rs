//! `event_traffic_light`'s `Event`, under loom, in every interleaving: waiters that start before
//! or after `set`, with a `clear` and a second `set` in between, all return (no wake-up is lost),
//! and none returns before the first `set`.

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;
use models::Executions;
use models::event_traffic_light::Event;

#[test]
fn every_waiter_returns_once_the_flag_is_set() {
    static EXECUTIONS: Executions = Executions::new();
    loom::model(|| {
        EXECUTIONS.start();
        // loom's atomic, so that loom orders its loads against the stores, as it does the locks.
        let sets = Arc::new(AtomicUsize::new(0));
        let event = Arc::new(Event::default());
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (event, sets) = (Arc::clone(&event), Arc::clone(&sets));
                thread::spawn(move || {
                    event.wait();
                    assert!(sets.load(SeqCst) > 0, "wait returned before any set");
                })
            })
            .collect();
        // The light: green, red, green again; a waiter may see any of it.
        sets.fetch_add(1, SeqCst);
        event.set();
        event.clear();
        event.set();
        for waiter in waiters {
            waiter.join().unwrap(); // a waiter stuck for ever is a deadlock: the check fails
        }
        assert!(event.is_set());
    });
    println!(
        "Event: 2 waiters and a setter, {} executions",
        EXECUTIONS.count()
    );
}
