//! `condition`'s gate (`pass`, `open`, `wait_until_used`), under shuttle, in every schedule
//! (`check_dfs`): two workers at a gate that opens for one per round; each round lets exactly
//! one through, and no worker or gatekeeper is left waiting.

use loom::sync::Arc;
use loom::thread;
use models::Executions;
use models::condition::{Gate, open, pass, wait_until_used};
use models::loom_sync::{Condvar, Mutex};

const WORKERS: usize = 2;

#[test]
fn each_round_lets_exactly_its_passes_through() {
    static EXECUTIONS: Executions = Executions::new();
    loom::model(|| {
        EXECUTIONS.start();
        let gate = Arc::new((
            Mutex::new(Gate {
                passes: 0,
                passed: 0,
            }),
            Condvar::new(),
            Condvar::new(),
        ));
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let gate = Arc::clone(&gate);
                thread::spawn(move || drop(pass(&gate.0, &gate.1, &gate.2)))
            })
            .collect();
        for round in 1..=WORKERS {
            let opened = open(&gate.0, &gate.1, 1);
            let closed = wait_until_used(&gate.2, opened);
            assert_eq!((closed.passes, closed.passed), (0, round));
        }
        for worker in workers {
            worker.join().unwrap();
        }
    });
    println!(
        "condition gate: 2 workers, 2 rounds of 1, {} executions",
        EXECUTIONS.count()
    );
}
