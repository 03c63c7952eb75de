//! Summing four million numbers in one thread, then in four threads that borrow a quarter each.
//!
//! Tutorial: `004_…txt`, section 测试 GIL (`normal(num_list*4)` vs `mutilThread(num_list)`: four
//! threads, each summing a copy of the one-million list and putting its total on a `Queue`).
//! Python API: `sum`, `threading.Thread`, `queue.Queue`, `time.time()`.
//!
//! Run: `cargo run --release -p examples-threads --bin gil_sum`
//!
//! What to watch for: `1999998000000` twice (the example checks both), each followed by its
//! time (`normal:`, then `mutilThread:`, spelt as in the tutorial). In CPython the four
//! threads are barely faster than one, or slower, because of the GIL; in Rust they share the
//! cores (with two cores, up to about twice as fast; summing is quick enough that reading
//! memory, not adding, may limit it). Times are real, never scaled.
//!
//! Rust differences:
//! - The tutorial passes `num_list[:]`, a copy, to each thread. Rust threads borrow: inside
//!   `thread::scope` all four read the one list through a `&[u64]`, with no copy and no lock.
//!   The compiler allows it because shared references only read (`[u64]` is `Sync`) and the
//!   scope joins every thread before the list can be changed or dropped.
//! - No queue is needed to bring a total back: `join()` returns the thread's result.
//! - The list is built before either clock starts (the tutorial's first timing includes
//!   building `num_list*4`), so both times measure only the summing.

use std::thread;
use std::time::Instant;

const TOTAL: u64 = 1_999_998_000_000;

fn main() -> anyhow::Result<()> {
    shared::cli::no_args();
    let num_list: Vec<u64> = (0..1_000_000).collect();
    let four_times = num_list.repeat(4);

    let normal_start = Instant::now();
    let total = normal(&four_times);
    println!("{total}");
    println!("normal: {}", normal_start.elapsed().as_secs_f64());
    assert_eq!(total, TOTAL);

    let threads_start = Instant::now();
    let total = mutil_thread(&num_list);
    println!("{total}");
    println!("mutilThread: {}", threads_start.elapsed().as_secs_f64());
    assert_eq!(total, TOTAL);
    Ok(())
}

fn normal(num_list: &[u64]) -> u64 {
    num_list.iter().sum()
}

/// Four threads, each summing the same borrowed list (the tutorial hands each a copy).
fn mutil_thread(num_list: &[u64]) -> u64 {
    thread::scope(|scope| {
        let threads: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| num_list.iter().sum::<u64>()))
            .collect();
        // A panic while summing would be a bug; pass it on.
        threads.into_iter().map(|t| t.join().unwrap()).sum()
    })
}
