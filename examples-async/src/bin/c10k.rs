//! 10,000 tokio tasks against 1,000 OS threads, every one sleeping at the same time: elapsed
//! time and peak memory side by side.
//!
//! Tutorial: `002_…txt`, section Asyncio (its selling point "Massive I/O concurrency").
//! Python API: `asyncio.gather(*(asyncio.sleep(0.1) for _ in range(10_000)))` against 1,000
//! `threading.Thread`s each calling `time.sleep(0.1)`.
//!
//! Run: `cargo run --release -p examples-async --bin c10k` (try `--tasks 100000`, `--threads 5000`)
//!
//! What to watch for: both rows take about the 0.1 s sleep plus the time it took to start
//! everything; the numbers vary from run to run. Memory is the difference:
//! - peak RSS (VmHWM) is memory touched, and RSS/each is what one task or thread added to it.
//!   A task is the state machine of its `async` block (see `generator_coroutine`) plus a header:
//!   a few hundred bytes, one allocation. A thread touches a few pages of its stack, and it also
//!   costs a kernel object (a 16 KiB kernel stack on x86-64 Linux, and bookkeeping) that RSS
//!   does not show;
//! - peak virtual (VmPeak) is address space reserved: every thread gets a 2 MiB stack (Rust's
//!   default; `RUST_MIN_STACK` changes it), so 1,000 threads reserve about 2 GiB. Most of the
//!   rest, in both rows, is glibc's malloc arenas, 64 MiB each (`MALLOC_ARENA_MAX=1` drops them).
//!
//! Each row runs in a fresh child process (`multiprocessing`), because VmHWM is a high-water
//! mark for the whole process. Resetting it between rows (writing `5` to
//! `/proc/self/clear_refs`) would start the second row from the first row's leftovers: memory
//! the allocator keeps after the tasks are gone. A fresh process gives both rows the same start.
//!
//! Rust differences: the tasks run on one thread, like asyncio's event loop, but a tokio task is
//! a compiled state machine where an asyncio task is a heap of Python frames. The threads are
//! real parallel threads (no GIL), which changes nothing here: they all sleep.

use std::sync::RwLock;
use std::thread;
use std::time::Instant;

use anyhow::Context as _;
use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};
use serde::{Deserialize, Serialize};

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

/// What a child measured, in KiB where it is memory.
#[derive(Serialize, Deserialize)]
struct Usage {
    secs: f64,
    rss_at_start: u64,
    peak_rss: u64,
    peak_virtual: u64,
}

fn main() -> anyhow::Result<()> {
    // In a child: runs one row and exits here. In the parent: returns at once.
    run_if_child(&[&TASKS, &THREADS]);
    let args: Args = shared::cli::parse();

    println!("each sleeps {NAP_SECS} s; each row is measured in a fresh process");
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
        let child = Process::spawn(target, (count, report))?;
        // Join first: if the child died, `join` says how, where the receive would only fail.
        // Its one small message waits in the channel meanwhile.
        child.join()?;
        let usage: Usage = usage.recv()?;
        let mib = |kib: u64| kib as f64 / 1024.0;
        let each = (usage.peak_rss.saturating_sub(usage.rss_at_start) * 1024) / u64::from(count);
        println!(
            "{label:<12} {count:>6} {:>6.2} s {:>6.1} MiB {each:>8} B {:>9.1} MiB",
            usage.secs,
            mib(usage.peak_rss),
            mib(usage.peak_virtual)
        );
    }
    Ok(())
}

/// `asyncio.gather` of `count` sleeps, on one thread like asyncio's event loop.
fn tokio_tasks((count, report): (u32, IpcSender<Usage>)) -> anyhow::Result<()> {
    let rss_at_start = status_kib("VmRSS:")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let start = Instant::now();
    runtime.block_on(async {
        // Nothing runs until the first `await`: all `count` tasks exist at once.
        let handles: Vec<_> = (0..count)
            .map(|_| tokio::spawn(shared::pace::tokio_sleep_secs(NAP_SECS)))
            .collect();
        for handle in handles {
            handle.await?;
        }
        anyhow::Ok(())
    })?;
    report.send(measure(start, rss_at_start)?)?;
    Ok(())
}

/// `count` threads, each sleeping once every one of them has started.
fn os_threads((count, report): (u32, IpcSender<Usage>)) -> anyhow::Result<()> {
    let rss_at_start = status_kib("VmRSS:")?;
    let start = Instant::now();
    // A start gate: while `main` holds the write lock, no thread gets past its read lock. So all
    // `count` stacks exist at once even when starting them takes longer than the nap, and a
    // failed spawn (`?`) still opens the gate, letting the scope join the others.
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
    })?;
    report.send(measure(start, rss_at_start)?)?;
    Ok(())
}

/// Elapsed time and the process's peak memory so far.
fn measure(start: Instant, rss_at_start: u64) -> anyhow::Result<Usage> {
    Ok(Usage {
        secs: start.elapsed().as_secs_f64(),
        rss_at_start,
        peak_rss: status_kib("VmHWM:")?,
        peak_virtual: status_kib("VmPeak:")?,
    })
}

/// One memory figure of this process, in KiB (Linux: `/proc/self/status`).
fn status_kib(field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status").context("this needs Linux")?;
    status
        .lines()
        .find_map(|line| {
            line.strip_prefix(field)?
                .trim()
                .strip_suffix(" kB")?
                .parse()
                .ok()
        })
        .with_context(|| format!("no {field} in /proc/self/status"))
}
