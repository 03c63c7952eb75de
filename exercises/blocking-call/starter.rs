//! Exercise 8: a blocking call that does not stop the event loop.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section Asyncio
//! (`loop.run_in_executor`); example `run_in_executor`.
//!
//! The event loop is one thread. `ticker` should tick every quarter second while `fetch` waits
//! for `slow_io`, a blocking call of one second. It does not: `fetch` makes the call on the
//! event loop's thread, and no tick happens until it returns. Move the call off the event loop,
//! as `run_in_executor` does, so that the ticks go on while it runs.
//!
//! Check: `cargo run -p exercises -- check 8` (the timeline of a run is graded).

fn main() -> anyhow::Result<()> {
    shared::example::start();

    // One thread, like asyncio's event loop.
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    event_loop.block_on(async {
        let ((), body) = tokio::join!(ticker(), fetch());
        println!("{}", body?);
        anyhow::Ok(())
    })
}

async fn ticker() {
    for tick in 1..=4 {
        shared::pace::tokio_sleep_secs(0.25).await;
        println!("tick {tick}");
    }
}

async fn fetch() -> anyhow::Result<String> {
    Ok(slow_io())
}

/// A blocking call, standing in for `requests.get`: the thread that makes it waits.
fn slow_io() -> String {
    shared::pace::sleep_secs(1.0);
    "slow_io 的结果".to_owned()
}
