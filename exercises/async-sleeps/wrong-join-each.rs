//! Exercise 9, a wrong answer: each task is spawned and awaited at once, so the next one only
//! starts when it has ended.

fn main() -> anyhow::Result<()> {
    shared::example::start();

    // One thread, like asyncio's event loop.
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    event_loop.block_on(async {
        for task in 1..=10 {
            tokio::spawn(say_after(task)).await?;
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
