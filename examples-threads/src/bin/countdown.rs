//! The tutorial's countdown, single-threaded and then split over two threads.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题
//! (`single_threaded.py` and `multi_threaded.py`, `COUNT = 50000000`).
//! Python API: `threading.Thread(target=countdown, args=(COUNT//2,))`, `start()`, `join()`.
//!
//! Run: `cargo run -p examples-threads --bin countdown` (`-- --threads 4`, `-- --count 1000000000`)
//!
//! What to watch for: the tutorial's `Time taken in seconds - X`, once per version, each line
//! prefixed with the version that printed it (`1 个线程：`, `2 个线程：`): the tutorial's two
//! scripts print one line each, this one program prints both. CPython's two threads are no
//! faster, as the GIL lets one count at a time; here they take about half as long on two or more
//! cores. `--threads N` runs only the N-thread version, each counting its share.
//!
//! Rust differences: `std::hint::black_box` hides the counter from the optimiser, which would
//! otherwise delete a loop whose result nobody reads. `thread::scope` joins both threads before the
//! clock is read, as the tutorial's two `join()` calls do.

use std::hint::black_box;
use std::thread;
use std::time::Instant;

/// single_threaded.py and multi_threaded.py in one binary.
#[derive(clap::Parser)]
struct Args {
    /// Run only the version with this many threads (1 = single_threaded.py).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
    /// How far to count down in total (at most 10^10: about ten seconds of counting).
    // Negative numbers are let through so that `--count -1` is reported as a bad count.
    #[arg(long, default_value_t = 50_000_000, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u64).range(0..=10_000_000_000))]
    count: u64,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();
    let versions = match args.threads {
        Some(threads) => vec![threads],
        None => vec![1, 2],
    };

    for threads in versions {
        let start = Instant::now();
        if threads == 1 {
            countdown(args.count);
        } else {
            thread::scope(|scope| {
                for share in shares(args.count, threads) {
                    scope.spawn(move || countdown(share));
                }
            });
        }
        let end = start.elapsed();
        println!(
            "{threads} 个线程：Time taken in seconds - {}",
            end.as_secs_f64()
        );
    }
    Ok(())
}

/// `COUNT // threads` each; the first `COUNT % threads` threads count one more.
fn shares(count: u64, threads: u64) -> impl Iterator<Item = u64> {
    (0..threads).map(move |i| count / threads + u64::from(i < count % threads))
}

fn countdown(mut n: u64) {
    // A `tracing` span marks the work on a timeline (EXAMPLES_TIMELINE=1); without one, it is free.
    // A field borrowing `n` would not be: it made this loop 12% slower, subscriber or not.
    let _cpu = tracing::info_span!("cpu", work = "countdown").entered();
    while black_box(n) > 0 {
        n -= 1;
    }
}
