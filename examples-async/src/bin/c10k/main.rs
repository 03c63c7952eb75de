//! 10,000 sleeping tokio tasks against 1,000 sleeping OS threads: time and memory side by side.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section Asyncio (its selling point
//! "Massive I/O concurrency").
//! Python API: `asyncio.gather` of `asyncio.sleep(0.1)`; `threading.Thread`s in `time.sleep(0.1)`.
//!
//! Run: `cargo run -p examples-async --bin c10k` (try `--tasks 100000`, `--threads 5000`)
//!
//! What to watch for: both rows take about the 0.1 s nap plus the time to start everything; the
//! memory differs. RSS/each is what one task or thread added to the memory touched: a few hundred
//! bytes for a task, a few stack pages for a thread (plus a kernel stack RSS does not show). Peak
//! virtual is what was reserved: 2 MiB of stack per thread (`RUST_MIN_STACK` changes it).
//!
//! Rust differences: a task is a compiled state machine (see `generator_coroutine`), not a heap of
//! Python frames. Each row runs in a fresh process, as peak RSS is a whole-process high-water mark.

mod usage;

use std::sync::RwLock;
use std::thread;

use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};
use usage::{Usage, measured, print_row};

/// The tutorial seconds every task and thread sleeps.
const NAP_SECS: f64 = 0.1;

const TASKS: Target<(u32, IpcSender<Usage>)> = Target::new("tokio_tasks", tokio_tasks);
const THREADS: Target<(u32, IpcSender<Usage>)> = Target::new("os_threads", os_threads);

/// 10,000 sleeping tokio tasks against 1,000 sleeping OS threads.
#[derive(clap::Parser)]
struct Args {
    /// How many tokio tasks sleep at once (a million take about half a GiB).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    tasks: u32,
    /// How many OS threads sleep at once (each reserves a 2 MiB stack).
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    threads: u32,
}

fn main() -> anyhow::Result<()> {
    run_if_child(&[&TASKS, &THREADS]);
    let args: Args = shared::example::start_with();

    let scale = shared::pace::scale();
    let nap = if scale == 1.0 {
        format!("{NAP_SECS} s")
    } else {
        let scaled = (NAP_SECS * scale * 1e6).round() / 1e6; // 0.005, not 0.005000000000000001
        format!("{NAP_SECS} s（EXAMPLES_TIME_SCALE={scale} 时为 {scaled} s）")
    };
    println!("每个任务或线程都 sleep {nap}；每一行都在一个新进程里测量");
    println!(
        "{:<12} {:>6} {:>8} {:>10} {:>10} {:>13}",
        "", "count", "elapsed", "peak RSS", "RSS/each", "peak virtual"
    );
    let rows = [
        ("tokio tasks", &TASKS, args.tasks),
        ("OS threads", &THREADS, args.threads),
    ];
    for (label, target, count) in rows {
        let (report, usage) = ipc::channel()?;
        // Join first: if the child died, `join` says how, where the receive would only fail.
        // Its one small message waits in the channel meanwhile.
        Process::spawn(target, (count, report))?.join()?;
        print_row(label, count, &usage.recv()?);
    }
    Ok(())
}

/// `asyncio.gather` of `count` sleeps, on one thread like asyncio's event loop.
fn tokio_tasks((count, report): (u32, IpcSender<Usage>)) -> anyhow::Result<()> {
    measured(report, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()?;
        runtime.block_on(async {
            // Nothing runs until the first `await`: all `count` tasks exist at once.
            let handles: Vec<_> = (0..count)
                .map(|_| tokio::spawn(shared::pace::tokio_sleep_secs(NAP_SECS)))
                .collect();
            for handle in handles {
                handle.await?;
            }
            anyhow::Ok(())
        })
    })
}

/// `count` threads, each sleeping once every one of them has started.
fn os_threads((count, report): (u32, IpcSender<Usage>)) -> anyhow::Result<()> {
    measured(report, || {
        // A start gate: while the write lock is held, no thread gets past its read lock, so all
        // `count` stacks exist at once. A failed spawn (`?`) still drops the write lock.
        let gate = RwLock::new(());
        thread::scope(|scope| {
            let _closed = gate.write().unwrap(); // poisoned only if a holder panicked
            for _ in 0..count {
                thread::Builder::new().spawn_scoped(scope, || {
                    drop(gate.read());
                    shared::pace::sleep_secs(NAP_SECS);
                })?;
            }
            anyhow::Ok(())
        })
    })
}
