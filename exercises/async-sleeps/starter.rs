//! Exercise 9: ten sleeps at once, on one thread.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 创建asyncio任务的几种方式
//! (`asyncio.gather`, `create_task`); example `gather_tasks`.
//!
//! `say_after` sleeps a second, without blocking its thread. Ten of them awaited one after the
//! other take ten seconds. Make the ten wait at the same time, on the event loop's one thread,
//! and wait for all of them before the program ends.
//!
//! Check: `cargo run -p exercises -- check 9` (the timeline of a run is graded).

fn main() -> anyhow::Result<()> {
    shared::example::start();

    // One thread, like asyncio's event loop.
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    event_loop.block_on(async {
        for task in 1..=10 {
            say_after(task).await;
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
