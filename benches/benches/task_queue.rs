//! What a task queue costs per task, in release: `cargo bench -p benches --bench task_queue`.
//!
//! - `task_queue/sqlite/10k` and `task_queue/redis/10k`: 10,000 tasks of `x + 1` pushed to an
//!   apalis queue, and every result read back from it; two worker processes serve them, one
//!   task at a time each. A run's time over 10,000 is what one task costs in a full queue.
//! - `task_queue/sqlite/one` and `task_queue/redis/one`: one task pushed, then its result read,
//!   on an idle queue: the latency a caller of `.delay().get()` sees.
//!
//! The queues are set up as the `task_queue` example sets them up (examples-distributed,
//! `broker.rs`): one task per fetch, heartbeats every second; on SQLite, idle workers and the
//! submitter poll every 20 ms; on Redis, they wait for Redis' messages (the example's
//! `events.rs`, included here). Redis is a `redis-server` started here on a free loopback port, as in
//! the tests. A SQLite run of 10,000 takes half a minute, too long for criterion's ten samples
//! at least: like the CPython scripts, this prints the median of a few runs, as one JSON line
//! (`--quick`: one run). `celery_queue.py` beside this file measures CPython Celery the same
//! way; `pool.rs` has the local `Pool(2).map` of the same 10,000 tasks.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use apalis::prelude::{
    Backend, BackendExt as _, TaskBuilder, TaskId, TaskSink, WaitForCompletion, WorkerBuilder,
    WorkerBuilderExt as _,
};
use apalis_core::backend::Vacuum;
use apalis_core::backend::finalize::Durable;
use futures::stream::BoxStream;
use multiprocessing::{Process, Target, run_if_child};
use serde::{Deserialize, Serialize};

#[path = "../../examples-distributed/src/bin/task_queue/events.rs"]
mod events;

const POLL: Duration = Duration::from_millis(20);
const TASKS: u64 = 10_000;
const WORKERS: usize = 2;
/// Runs of 10,000, and single round trips, per store (one each with `--quick`).
const RUNS: usize = 3;
const ROUND_TRIPS: usize = 30;
/// How many of the oldest unfinished tasks the submitter asks about per poll: the queue is
/// served in order, and Redis answers `check_status` with one request per id.
const WINDOW: usize = 200;
/// At most this many tasks pushed and not yet finished. apalis-redis 1.0 moves every due task
/// from its schedule to its queue in one Lua `unpack`, which fails beyond about 8,000 values
/// (`fetch_next.lua`): with 10,000 pushed at once, every fetch would fail.
const IN_FLIGHT: usize = 4_000;

#[derive(Clone, Serialize, Deserialize)]
enum Store {
    Sqlite(PathBuf),
    Redis(String),
}

const WORKER: Target<Store> = Target::new("queue_worker", worker);

async fn add_one(x: u64) -> Result<u64, std::io::Error> {
    events::TASK_ENDED.notify_one();
    Ok(x + 1)
}

/// On Redis, the submitter's side of the example's wake-ups: a connection to say that tasks
/// were pushed, and the messages that say a task has ended.
struct Messages {
    announcer: redis::aio::MultiplexedConnection,
    config: apalis_redis::Config,
    ended: BoxStream<'static, Option<String>>,
}

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKER]);
    let quick = std::env::args().any(|arg| arg == "--quick");
    let runtime = tokio::runtime::Runtime::new()?;
    let mut medians = BTreeMap::new();

    let dir = tempfile::tempdir()?;
    let path = dir.path().join("queue.db");
    let mut sqlite = runtime.block_on(sqlite(&path, true))?;
    let store = Store::Sqlite(path);
    medians.extend(runtime.block_on(measure("sqlite", store, &mut sqlite, None, quick))?);

    let server = tests::redis::RedisServer::start();
    let url = server.url();
    let mut redis = runtime.block_on(redis(&url))?;
    let mut messages = runtime.block_on(async {
        let config = redis.get_config().clone();
        anyhow::Ok(Messages {
            announcer: ::redis::Client::open(url.as_str())?
                .get_multiplexed_async_connection()
                .await?,
            ended: events::messages(&url, &events::ended(&config)).await?,
            config,
        })
    })?;
    let store = Store::Redis(url);
    medians.extend(runtime.block_on(measure(
        "redis",
        store,
        &mut redis,
        Some(&mut messages),
        quick,
    ))?);
    println!("{}", serde_json::to_string(&medians)?);
    Ok(())
}

/// The median time of a run of 10,000 and of one round trip, on two worker processes.
async fn measure<S>(
    name: &str,
    store: Store,
    storage: &mut S,
    mut messages: Option<&mut Messages>,
    quick: bool,
) -> anyhow::Result<BTreeMap<String, f64>>
where
    S: TaskSink<u64, Durable> + WaitForCompletion<u64> + Vacuum + Backend + Send,
{
    let mut workers = (0..WORKERS)
        .map(|_| Process::spawn(&WORKER, store.clone()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    submit_and_wait(storage, 100, messages.as_deref_mut()).await?; // warm up
    let mut medians = BTreeMap::new();
    for (label, count, runs) in [("10k", TASKS, RUNS), ("one", 1, ROUND_TRIPS)] {
        let mut times = Vec::new();
        for _ in 0..if quick { 1 } else { runs } {
            // Finished tasks stay in the store: each run starts from an empty one.
            if storage.vacuum().await.is_err() {
                anyhow::bail!("cannot vacuum the {name} queue");
            }
            let started = Instant::now();
            submit_and_wait(storage, count, messages.as_deref_mut()).await?;
            times.push(started.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        eprintln!("task_queue/{name}/{label}: {median:.4} s");
        medians.insert(format!("task_queue/{name}/{label}"), median);
    }
    for worker in &mut workers {
        worker.kill()?;
    }
    Ok(medians)
}

/// Pushes `count` tasks and reads every result back: `.delay()` each, then `get()` each.
async fn submit_and_wait<S>(
    storage: &mut S,
    count: u64,
    mut messages: Option<&mut Messages>,
) -> anyhow::Result<()>
where
    S: TaskSink<u64, Durable> + WaitForCompletion<u64> + Backend + Send,
{
    let mut unpushed = (0..count).map(|x| (x, TaskId::from_ulid(ulid::Ulid::generate())));
    let mut pending: Vec<TaskId> = Vec::new();
    let mut sum = 0;
    // The ids a message said have ended; `None`: the oldest unfinished.
    let mut named: Option<Vec<TaskId>> = None;
    loop {
        let room = IN_FLIGHT.saturating_sub(pending.len());
        let batch: Vec<(u64, TaskId)> = unpushed.by_ref().take(room).collect();
        pending.extend(batch.iter().map(|(_, id)| id.clone()));
        let pushed = !batch.is_empty();
        let tasks = batch
            .into_iter()
            .map(|(x, id)| TaskBuilder::new(x).task_id(id).build());
        if storage
            .push_all(futures::stream::iter(tasks))
            .await
            .is_err()
        {
            anyhow::bail!("cannot push the tasks");
        }
        if let Some(messages) = messages.as_deref_mut().filter(|_| pushed) {
            events::announce(&mut messages.announcer, &messages.config).await;
        }
        if pending.is_empty() {
            break;
        }
        let window: Vec<TaskId> = match named.take() {
            Some(named) => named
                .into_iter()
                .filter(|id| pending.contains(id))
                .collect(),
            None => pending.iter().take(WINDOW).cloned().collect(),
        };
        let done = if window.is_empty() {
            Vec::new()
        } else {
            let Ok(done) = storage.check_status(window).await else {
                anyhow::bail!("cannot read the results");
            };
            done
        };
        match messages.as_deref_mut() {
            Some(messages) if pending.len() > done.len() => {
                named = events::ended_next(&mut messages.ended)
                    .await
                    .map(|ids| ids.iter().filter_map(|id| id.parse().ok()).collect());
            }
            Some(_) => {}
            None if done.is_empty() => tokio::time::sleep(POLL).await,
            None => {}
        }
        for result in done {
            sum += result.result.map_err(anyhow::Error::msg)?;
            pending.retain(|id| *id != result.task_id);
        }
    }
    anyhow::ensure!(sum == count * (count + 1) / 2, "every result arrives once");
    Ok(())
}

/// A worker process: one apalis worker, one task at a time, until the bench kills it.
fn worker(store: Store) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let name = format!("bench-{}", std::process::id());
        match store {
            Store::Sqlite(path) => {
                let storage = sqlite(&path, false).await?.poll_with_interval(POLL);
                let worker = WorkerBuilder::new(name).backend(storage);
                worker.concurrency(1).build(add_one).run().await?;
            }
            Store::Redis(url) => {
                let storage = redis(&url).await?;
                let wakeups = events::worker_wakeups(&url, storage.get_config()).await?;
                let worker = WorkerBuilder::new(name).backend(storage.poll_with_stream(wakeups));
                worker.concurrency(1).build(add_one).run().await?;
            }
        }
        Ok(())
    })
}

async fn sqlite(
    path: &std::path::Path,
    create: bool,
) -> anyhow::Result<apalis_sqlite::SqliteStorage<u64>> {
    let options = apalis_sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(create)
        .busy_timeout(Duration::from_secs(10));
    let pool = apalis_sqlite::SqlitePool::connect_with(options).await?;
    if create {
        apalis_sqlite::SqliteStorage::setup(&pool).await?;
    }
    let config = apalis_sqlite::Config::default()
        .queue("bench")
        .batch_size(1)
        .heartbeat_interval(Duration::from_secs(1))
        .missed_heartbeats(5);
    Ok(apalis_sqlite::SqliteStorage::new(&pool).with_config(config))
}

async fn redis(url: &str) -> anyhow::Result<apalis_redis::RedisStorage<u64>> {
    let connection = apalis_redis::connect(url).await?;
    let config = apalis_redis::Config::default()
        .queue("bench")
        .batch_size(1)
        .heartbeat_interval(Duration::from_secs(1))
        .missed_heartbeats(5);
    Ok(apalis_redis::RedisStorage::new(connection).with_config(config))
}
