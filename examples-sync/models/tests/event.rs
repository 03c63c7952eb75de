//! `event_traffic_light`'s `Event`, under loom, in every interleaving: waiters that
//! start before or after `set`, with a `clear` and a second `set` in between, all return: no
//! wake-up is lost, and `wait` never returns while the flag is clear for good.

use loom::sync::Arc;
use loom::thread;
use models::Executions;
use models::event_traffic_light::Event;

#[test]
fn every_waiter_returns_once_the_flag_is_set() {
    static EXECUTIONS: Executions = Executions::new();
    loom::model(|| {
        EXECUTIONS.start();
        let event = Arc::new(Event::default());
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait())
            })
            .collect();
        // The light: green, red, green again; a waiter may see any of it.
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
