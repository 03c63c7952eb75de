//! Ten tasks that each sleep three seconds finish together: three ways to create and gather them.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section asyncio中创建任务的语法有好几种
//! (`doit(i)`, `asyncio.gather`).
//! Python API: `asyncio.gather(*futures)`, `asyncio.ensure_future()`, `loop.create_task()`.
//!
//! Run: `cargo run -p examples-async --bin gather_tasks -- --style join-all` (`spawn`, `join-set`)
//!
//! What to watch for: all ten `Start N` lines come before any `End N`: on one thread, timers are
//! checked only when no task is ready to run, and each task is ready until it reaches its sleep.
//! The `End N` lines follow three seconds later, in any order; the result list is always in
//! submission order.
//!
//! Rust differences: `join-all` (`gather` of bare coroutines) polls all ten futures in the one task
//! that awaits them. `spawn` (`ensure_future`, `create_task`) makes each a task of its own, started
//! at once; its `JoinHandle`s, awaited in turn, give the results in order. A `JoinSet` owns its
//! tasks (dropping it aborts them) and yields results as they finish, so each returns its index.

use futures::future::join_all;
use tokio::task::JoinSet;

/// doit(i) from the tutorial, ten times, created in one of three styles.
#[derive(clap::Parser)]
struct Args {
    /// How the ten tasks are created and awaited.
    #[arg(long, value_enum, default_value_t = Style::JoinAll)]
    style: Style,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Style {
    /// Await ten plain futures together with futures::future::join_all.
    JoinAll,
    /// Start ten tasks with tokio::spawn, then await their JoinHandles.
    Spawn,
    /// Start ten tasks in a tokio::task::JoinSet and collect them as they finish.
    JoinSet,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();

    // One thread, like asyncio's event loop.
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let result = event_loop.block_on(async {
        match args.style {
            Style::JoinAll => Ok(gather_futures().await),
            Style::Spawn => gather_spawned().await,
            Style::JoinSet => gather_join_set().await,
        }
    })?;
    assert_eq!(result, (0..10).collect::<Vec<_>>());
    println!("{result:?}");
    Ok(())
}

async fn gather_futures() -> Vec<usize> {
    // Nothing has printed yet: ten futures exist, none has run.
    let futures: Vec<_> = (0..10).map(doit).collect();
    join_all(futures).await
}

async fn gather_spawned() -> anyhow::Result<Vec<usize>> {
    let handles: Vec<_> = (0..10).map(|i| tokio::spawn(doit(i))).collect();
    let mut result = Vec::new();
    for handle in handles {
        // A `JoinError` means the task panicked or was aborted.
        result.push(handle.await?);
    }
    Ok(result)
}

async fn gather_join_set() -> anyhow::Result<Vec<usize>> {
    let mut set = JoinSet::new();
    for i in 0..10 {
        set.spawn(async move { (i, doit(i).await) });
    }
    let mut result = vec![0; 10];
    while let Some(finished) = set.join_next().await {
        let (i, value) = finished?;
        result[i] = value;
    }
    Ok(result)
}

/// On a timeline (EXAMPLES_TIMELINE=1), each call is a span, entered at every poll, in a lane of
/// its own (`task`).
#[tracing::instrument(name = "poll", skip_all, fields(task = i))]
async fn doit(i: usize) -> usize {
    println!("Start {i}");
    shared::pace::tokio_sleep_secs(3.0).await;
    println!("End {i}");
    i
}
