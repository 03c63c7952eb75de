//! Exercise 11, a wrong answer: the halves overlap in time, but the second starts one number
//! too late, so `N / 2` is never added.

use std::ops::Range;
use std::thread;

const N: u64 = 20_000_000;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let total: u64 = thread::scope(|scope| {
        let halves = [0..N / 2, N / 2 + 1..N];
        let threads: Vec<_> = halves
            .into_iter()
            .map(|half| scope.spawn(move || sum(half)))
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).sum()
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
