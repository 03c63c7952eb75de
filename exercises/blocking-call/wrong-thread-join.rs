//! Exercise 8, a wrong answer: the call runs on a thread of its own, but `join` waits for that
//! thread on the event loop's thread, which is blocked just the same.

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
    Ok(std::thread::spawn(slow_io)
        .join()
        .expect("slow_io panicked"))
}

/// A blocking call, standing in for `requests.get`: the thread that makes it waits.
fn slow_io() -> String {
    shared::pace::sleep_secs(1.0);
    "slow_io 的结果".to_owned()
}
