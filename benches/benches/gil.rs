//! A simulated GIL: the tutorial's `decrement` (《第16章 协程-补充内容》 (000), section GIL例子:
//! 100,000,000 decrements on one thread, against two threads of 50,000,000) when every thread must
//! hold one global lock to run, in release: `cargo bench -p benches --bench gil`.
//!
//! - `gil/one_thread`: one thread decrements 1,000,000,000 while holding the GIL (nobody asks
//!   for it, so it never lets go).
//! - `gil/two_threads`: two threads, 500,000,000 each, taking turns on the GIL.
//!
//! Ten times the tutorial's count, on purpose. CPython needs about 2 s for the tutorial's
//! 100,000,000, some 400 switch intervals of 5 ms; Rust needs about 29 ms, six intervals, and
//! then a fixed cost of about 3 ms per run that is not the GIL's (starting the second thread,
//! waking it on an idle core: `gil_simulated --switch-ms 50`, which forces no switch at
//! all, shows the same gap). Ten times the work spans some 60 intervals, so the ratio
//! measures the handovers, as CPython's does.
//!
//! The lock is the `gil_simulated` example's own: this file includes
//! `examples-threads/src/bin/gil_simulated/gil.rs`, so the numbers are those of the code a
//! reader runs (CPython's design since 3.2; the file's doc block explains it).
//!
//! Goal: two threads no faster than one (at most 1.1× one thread's time): only one thread
//! runs at a time, whatever the number of cores. CPython's own figures, the row this one is
//! compared with: `python3 benches/python/gil.py`.

use std::time::Duration;

use criterion::{Criterion, SamplingMode};

// The example's own lock, included as it is (the bench does not count its switches).
#[allow(dead_code)]
#[path = "../../examples-threads/src/bin/gil_simulated/gil.rs"]
mod gil;

use gil::{Gil, decrement};

const COUNT: u64 = 1_000_000_000;
const SWITCH_INTERVAL: Duration = Duration::from_millis(5);

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = criterion.benchmark_group("gil");
    // About 0.3 s a run: ten samples of equal size keep the group to about ten seconds.
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("one_thread", |bench| {
        bench.iter(|| {
            let gil = Gil::new(SWITCH_INTERVAL);
            decrement(&gil, COUNT);
        });
    });
    group.bench_function("two_threads", |bench| {
        bench.iter(|| {
            let gil = Gil::new(SWITCH_INTERVAL);
            std::thread::scope(|scope| {
                scope.spawn(|| decrement(&gil, COUNT / 2));
                scope.spawn(|| decrement(&gil, COUNT / 2));
            });
        });
    });
    group.finish();
    criterion.final_summary();
}
