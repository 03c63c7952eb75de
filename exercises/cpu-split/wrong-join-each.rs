//! Exercise 11, a wrong answer: each half is joined as soon as it is spawned, so the second
//! starts when the first has ended: two threads, but never at the same time.

use std::ops::Range;
use std::thread;

const N: u64 = 20_000_000;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let total = thread::scope(|scope| {
        let first = scope.spawn(|| sum(0..N / 2)).join().unwrap();
        let second = scope.spawn(|| sum(N / 2..N)).join().unwrap();
        first + second
    });
    println!("sum = {total}");
    Ok(())
}

/// CPU work: a `cpu` span on a timeline (`EXAMPLES_TIMELINE=1`).
fn sum(numbers: Range<u64>) -> u64 {
    let _cpu = tracing::info_span!("cpu", work = "sum").entered();
    // `black_box`: the optimiser would otherwise replace the loop by a formula.
    numbers.map(std::hint::black_box).sum()
}
