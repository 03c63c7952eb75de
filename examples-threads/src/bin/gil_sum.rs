//! Summing four million numbers in one thread, then in four threads that share one borrowed list.
//!
//! Tutorial: 《什么是 GIL》 (004), section 测试 GIL (`normal(num_list*4)` vs
//! `mutilThread(num_list)`: four threads, each summing a copy of the one-million list and putting
//! its total on a `Queue`).
//! Python API: `sum`, `threading.Thread`, `queue.Queue`, `time.time()`.
//!
//! Run: `cargo run -p examples-threads --bin gil_sum`
//!
//! What to watch for: `1999998000000` twice (both checked), each followed by its time: `normal:`,
//! then `mutilThread:` (the tutorial's spelling). CPython's four threads are barely faster than
//! one, or slower (the GIL); Rust's share the cores, up to twice as fast on two, though reading
//! memory, not adding, may limit them.
//!
//! Rust differences: the threads borrow the one list (`&[u64]`, in `thread::scope`) instead of each
//! taking a copy, `num_list[:]`. `join()` returns each total, so no queue is needed. The list is
//! built before either clock starts; the tutorial's first time also includes building it.

use std::thread;
use std::time::Instant;

const TOTAL: u64 = 1_999_998_000_000;

fn main() -> anyhow::Result<()> {
    shared::example::start();
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
    // A `tracing` span marks the work on a timeline (EXAMPLES_TIMELINE=1); without one, it is free.
    let _cpu = tracing::info_span!("cpu", work = "sum").entered();
    num_list.iter().sum()
}

/// Four threads, each summing the same borrowed list (the tutorial hands each a copy).
fn mutil_thread(num_list: &[u64]) -> u64 {
    thread::scope(|scope| {
        let threads: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let _cpu = tracing::info_span!("cpu", work = "sum").entered();
                    num_list.iter().sum::<u64>()
                })
            })
            .collect();
        // A panic while summing would be a bug; pass it on.
        threads.into_iter().map(|t| t.join().unwrap()).sum()
    })
}
