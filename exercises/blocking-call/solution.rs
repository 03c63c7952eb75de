//! Exercise 8, a solution: `spawn_blocking` runs the call on tokio's blocking pool, and `fetch`
//! awaits it without holding the event loop.

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
    // `run_in_executor(None, slow_io)`: a pool thread waits, the event loop goes on.
    Ok(tokio::task::spawn_blocking(slow_io).await?)
}

/// A blocking call, standing in for `requests.get`: the thread that makes it waits.
fn slow_io() -> String {
    shared::pace::sleep_secs(1.0);
    "slow_io 的结果".to_owned()
}
