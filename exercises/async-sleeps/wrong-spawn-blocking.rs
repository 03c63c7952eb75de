//! Exercise 9, a wrong answer: the ten sleeps overlap, but each blocks a thread of tokio's
//! blocking pool: ten threads, where asyncio needs one.

fn main() -> anyhow::Result<()> {
    shared::example::start();

    // One thread, like asyncio's event loop.
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    event_loop.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for task in 1..=10 {
            tasks.spawn_blocking(move || say_after(task));
        }
        while let Some(finished) = tasks.join_next().await {
            finished?;
        }
        anyhow::Ok(())
    })?;
    println!("十个任务都完成了");
    Ok(())
}

/// Blocks its thread for the second, as `time.sleep` would.
fn say_after(task: u32) {
    shared::pace::sleep_secs(1.0);
    println!("任务 {task} 完成");
}
