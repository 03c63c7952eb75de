//! A coroutine that awaits a sleep instead of blocking: `async fn` on a tokio event loop.
//!
//! Tutorial: `002_…txt`, section Asyncio (`speak_async` with `await asyncio.sleep(1)`, run by
//! `loop.run_until_complete`).
//! Python API: `async def`, `await asyncio.sleep()`, `asyncio.get_event_loop()`,
//! `run_until_complete()`.
//!
//! Run: `cargo run -p examples-async --bin speak_async` (add `-- --blocking` for the mistake).
//!
//! What to watch for: two speakers share one thread. With `tokio::time::sleep` both print
//! `starting====` first, both `OMG asynchronicity!` a second later, and the pair takes about one
//! second. With `--blocking` each speaker calls `std::thread::sleep`, which holds the only
//! thread: the speakers run one after the other and the pair takes two seconds. That is the
//! tutorial's warning "这里不能使用time.sleep(1)", made visible.
//!
//! Rust differences:
//! - An `async fn` does nothing until it is polled; `block_on` is `run_until_complete`.
//! - A current-thread runtime is asyncio's single-threaded event loop. (`#[tokio::main]` would
//!   build a multi-threaded one, where a blocking sleep hides better but still steals a worker.)
//! - `tokio::join!` is `asyncio.gather` for a fixed set of futures.

use std::time::Instant;

/// speak_async from the tutorial, run by two speakers on one thread.
#[derive(clap::Parser)]
struct Args {
    /// Sleep with std::thread::sleep (blocks the event loop) instead of tokio::time::sleep.
    #[arg(long)]
    blocking: bool,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::cli::parse();

    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;

    let start = Instant::now();
    event_loop.block_on(async {
        if args.blocking {
            tokio::join!(speak_blocking(), speak_blocking());
        } else {
            tokio::join!(speak_async(), speak_async());
        }
    });
    println!(
        "2 speakers took {:.2} seconds",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn speak_async() {
    println!("starting====");
    // Awaiting hands the thread back to the event loop until the timer fires.
    shared::pace::tokio_sleep_secs(1.0).await;
    println!("OMG asynchronicity!");
}

/// The mistake: an `async fn` that blocks. It compiles, and it stalls every other task.
async fn speak_blocking() {
    println!("starting====");
    shared::pace::sleep_secs(1.0);
    println!("OMG asynchronicity!");
}
