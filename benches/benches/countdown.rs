//! The tutorial's countdown (《python中多进程、多线程以及GIL记录》 (002), the single_threaded.py /
//! multi_threaded.py pair and the `Pool(processes=2)` version): 50,000,000 decrements, run four
//! ways, in release: `cargo bench -p benches --bench countdown`.
//!
//! - `countdown/one_thread`: `countdown(COUNT)` on the calling thread.
//! - `countdown/two_threads`: two scoped threads, `COUNT / 2` each.
//! - `countdown/rayon`: `rayon::join` of two halves on a pool of two threads (built once).
//! - `countdown/two_processes`: `apply_async` of two halves on a `multiprocessing::Pool` of two
//!   worker processes, then `get` both. The pool is started outside the timed part, as in the
//!   tutorial, where `Pool(processes=2)` is created before the clock starts.
//!
//! Goals (2 cores): two threads at least 1.8× as fast as one; rayon within 5% of the threads.
//! CPython's figures: `python3 benches/python/countdown.py`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode};
use multiprocessing::{Pool, Task, Workers, run_if_child};

const COUNT: u64 = 50_000_000;

const COUNTDOWN: Task<u64, ()> = Task::new("countdown", |n| {
    countdown(n);
    Ok(())
});
const WORKERS: Workers = Workers::new("countdown_worker", &[&COUNTDOWN]);

fn main() {
    // The pool's workers are this bench binary started again: they begin (and end) here.
    run_if_child(&[&WORKERS]);
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = criterion.benchmark_group("countdown");
    // A run takes milliseconds: ten samples of equal size, not criterion's growing ones, keep
    // the group to a few seconds.
    group.sample_size(10).sampling_mode(SamplingMode::Flat);

    group.bench_function("one_thread", |bench| bench.iter(|| countdown(COUNT)));

    group.bench_function("two_threads", |bench| {
        bench.iter(|| {
            std::thread::scope(|scope| {
                scope.spawn(|| countdown(COUNT / 2));
                scope.spawn(|| countdown(COUNT / 2));
            });
        });
    });

    let rayon = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a rayon pool of two threads");
    group.bench_function("rayon", |bench| {
        bench.iter(|| rayon.join(|| countdown(COUNT / 2), || countdown(COUNT / 2)));
    });

    let pool = Pool::new(&WORKERS, 2).expect("a pool of two worker processes");
    group.bench_function("two_processes", |bench| {
        bench.iter(|| {
            let first = pool
                .apply_async(&COUNTDOWN, COUNT / 2)
                .expect("apply_async");
            let second = pool
                .apply_async(&COUNTDOWN, COUNT / 2)
                .expect("apply_async");
            first.get().expect("first half");
            second.get().expect("second half");
        });
    });

    group.finish();
    criterion.final_summary();
}

/// The tutorial's loop. `black_box` hides `n` from the optimiser, which would otherwise
/// replace the whole loop with `n = 0`. Never inlined: every variant runs the same machine
/// code, so they differ only in how they share it out.
#[inline(never)]
fn countdown(mut n: u64) {
    while black_box(n) > 0 {
        n -= 1;
    }
}
