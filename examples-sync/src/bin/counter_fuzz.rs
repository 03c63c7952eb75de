//! The counter with random sleeps between reading it and writing it back: now the race shows, as
//! repeated counts and a final count below 10. `--lock` shows the fix.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section
//! 多线程环境下对资源的操作需要考虑线程安全问题 (`FUZZ = True`).
//! Python API: `threading.Thread`, `fuzz()` as `time.sleep(random.random())`.
//!
//! Run: `cargo run -p examples-sync --bin counter_fuzz` (add `-- --lock`, or `-- --seed N`)
//!
//! What to watch for: without `--lock`, counts repeat (two workers read the same value before
//! either wrote), the last is below 10, and workers' lines interleave. With `--lock`: 1 to 10 in
//! order, more slowly, as the sleeps happen inside the lock (`Finishing up` may come among them).
//! The first line is the seed; `--seed` with it replays the run, since the sleeps decide it.
//!
//! Rust differences: the unlocked counter is an atomic `load` and a later `store`. Each worker
//! seeds its own generator from the seed and its index, so replays do not depend on thread order.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::thread;

use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};

#[derive(clap::Parser)]
#[command(about = "The racy counter with random sleeps (the tutorial's FUZZ)")]
struct Args {
    /// Hold a lock from reading the counter to printing the separator.
    #[arg(long)]
    lock: bool,
    /// Replay a run: the seed printed by an earlier run.
    #[arg(long)]
    seed: Option<u64>,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();
    let seed = args.seed.unwrap_or_else(rand::random);
    println!("种子：{seed}");

    let counter = AtomicU32::new(0);
    let lock = Mutex::new(());
    let mut main_fuzz = fuzzer(seed, 0);
    println!("Starting up --------\n"); // the tutorial's own `\n`: a blank line follows
    main_fuzz();
    thread::scope(|scope| {
        for index in 1..=10 {
            let (counter, lock) = (&counter, &lock);
            let mut fuzz = fuzzer(seed, index);
            scope.spawn(move || {
                fuzz();
                // With --lock, held from the read to the separator; without, never taken.
                let _guard = args.lock.then(|| lock.lock().unwrap());
                let oldcnt = counter.load(Relaxed);
                fuzz();
                counter.store(oldcnt + 1, Relaxed);
                fuzz();
                println!("The count is {}", counter.load(Relaxed));
                fuzz();
                println!("------------");
            });
            main_fuzz();
        }
        // As in the tutorial, printed while workers may still run; the scope then joins them.
        println!("Finishing up");
    });
    println!("最终计数：{}", counter.load(Relaxed));
    Ok(())
}

/// The tutorial's `fuzz()`: sleep a random 0 to 1 second (paced), drawn from a generator of
/// our own, so that the same seed draws the same sleeps.
fn fuzzer(seed: u64, index: u64) -> impl FnMut() {
    let mut random = StdRng::seed_from_u64(seed.wrapping_add(index));
    move || shared::pace::sleep_secs(random.random::<f64>())
}
