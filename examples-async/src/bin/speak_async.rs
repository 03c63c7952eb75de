//! A coroutine that awaits a sleep instead of blocking: `async fn` on a tokio event loop.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section Asyncio (`speak_async` with
//! `await asyncio.sleep(1)`).
//! Python API: `async def`, `await asyncio.sleep()`, `get_event_loop()`, `run_until_complete()`.
//!
//! Run: `cargo run -p examples-async --bin speak_async` (add `-- --blocking` for the mistake).
//!
//! What to watch for: two speakers share one thread. With `tokio::time::sleep` both print
//! `starting====`, then both `OMG asynchronicity!` a second later, one second in all. With
//! `--blocking`, `std::thread::sleep` holds the only thread: they run one after the other, two
//! seconds in all. That is the tutorial's warning "这里不能使用time.sleep(1)".
//!
//! Rust differences: `tokio::join!` is `asyncio.gather` for a fixed set of futures. On the
//! multi-threaded runtime of `#[tokio::main]` a blocking sleep would hide better, but would still
//! steal a worker.

use std::time::Instant;

/// speak_async from the tutorial, run by two speakers on one thread.
#[derive(clap::Parser)]
struct Args {
    /// Sleep with std::thread::sleep (blocks the event loop) instead of tokio::time::sleep.
    #[arg(long)]
    blocking: bool,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();

    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;

    let start = Instant::now();
    event_loop.block_on(async {
        if args.blocking {
            tokio::join!(speak_blocking(1), speak_blocking(2));
        } else {
            tokio::join!(speak_async(1), speak_async(2));
        }
    });
    println!("2 个协程共用时 {:.2} 秒", start.elapsed().as_secs_f64());
    Ok(())
}

/// On a timeline (EXAMPLES_TIMELINE=1), each speaker is a lane of its own (`task`).
#[tracing::instrument(name = "poll", skip_all, fields(task = speaker))]
async fn speak_async(speaker: u32) {
    println!("starting====");
    // Awaiting hands the thread back to the event loop until the timer fires.
    shared::pace::tokio_sleep_secs(1.0).await;
    println!("OMG asynchronicity!");
}

/// The mistake: an `async fn` that blocks. It compiles, and it stalls every other task.
#[tracing::instrument(name = "poll", skip_all, fields(task = speaker))]
async fn speak_blocking(speaker: u32) {
    println!("starting====");
    shared::pace::sleep_secs(1.0);
    println!("OMG asynchronicity!");
}
