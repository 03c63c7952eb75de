//! Exercise 9, a solution: ten tasks in a `JoinSet` (`asyncio.create_task`), all started
//! before the first is awaited.

fn main() -> anyhow::Result<()> {
    shared::example::start();

    // One thread, like asyncio's event loop.
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    event_loop.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for task in 1..=10 {
            tasks.spawn(say_after(task));
        }
        // `asyncio.gather`: the tasks are already running; this waits for each to end.
        while let Some(finished) = tasks.join_next().await {
            finished?;
        }
        anyhow::Ok(())
    })?;
    println!("十个任务都完成了");
    Ok(())
}

async fn say_after(task: u32) {
    shared::pace::tokio_sleep_secs(1.0).await;
    println!("任务 {task} 完成");
}
