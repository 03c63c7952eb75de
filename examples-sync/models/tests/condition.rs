//! `condition`'s gate (`pass`, `open`, `wait_until_used`), under loom, in every interleaving:
//! two workers at a gate that opens for one per round, or for both at once (`notify(2)`, as the
//! example's rounds do); each round lets exactly its passes through, and no worker or gatekeeper
//! is left waiting.

use loom::sync::Arc;
use loom::thread;
use models::Executions;
use models::condition::{Gate, open, pass, wait_until_used};
use models::loom_sync::{Condvar, Mutex};

const WORKERS: usize = 2;

/// Two workers at the gate; each round of the gatekeeper hands out that many passes. Returns
/// the number of executions.
fn gate_with_rounds(rounds: &'static [usize]) -> usize {
    let executions = std::sync::Arc::new(Executions::new());
    let counted = std::sync::Arc::clone(&executions);
    loom::model(move || {
        counted.start();
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
        let mut through = 0;
        for &passes in rounds {
            let opened = open(&gate.0, &gate.1, passes);
            let closed = wait_until_used(&gate.2, opened);
            through += passes;
            assert_eq!((closed.passes, closed.passed), (0, through));
        }
        for worker in workers {
            worker.join().unwrap();
        }
    });
    executions.count()
}

#[test]
fn each_round_lets_exactly_its_passes_through() {
    let one_by_one = gate_with_rounds(&[1, 1]);
    let both_at_once = gate_with_rounds(&[2]);
    println!(
        "condition gate: 2 workers; rounds of 1 and 1, {one_by_one} executions; one round of 2, {both_at_once}"
    );
}
