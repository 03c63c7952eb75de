//! Exercise 11: a sum split over two threads that work at the same time.
//!
//! Tutorial: 《什么是 GIL》 (004), section 测试 GIL; example `gil_sum`.
//!
//! This program sums 0 to 19,999,999 on the main thread. Split the range in two halves and sum
//! each on a thread of its own, with `thread::scope` (which lets the threads borrow and makes
//! sure they end), so that the two pieces of work overlap; then print the total. In CPython
//! the GIL would let only one half run at a time; Rust's threads share the cores.
//!
//! Check: `cargo run -p exercises -- check 11` (the output and the timeline of a run are
//! graded).

use std::ops::Range;

const N: u64 = 20_000_000;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let total = sum(0..N);
    println!("sum = {total}");
    Ok(())
}

/// CPU work: a `cpu` span on a timeline (`EXAMPLES_TIMELINE=1`).
fn sum(numbers: Range<u64>) -> u64 {
    let _cpu = tracing::info_span!("cpu", work = "sum").entered();
    // `black_box`: the optimiser would otherwise replace the loop by a formula.
    numbers.map(std::hint::black_box).sum()
}
