//! What a task queue costs per task, in release: `cargo bench -p benches --bench task_queue`.
//!
//! - `task_queue/sqlite/10k` and `task_queue/redis/10k`: 10,000 tasks of `x + 1` pushed to an
//!   apalis queue, and every result read back from it; two worker processes serve them, one
//!   task at a time each. A run's time over 10,000 is what one task costs in a full queue.
//! - `task_queue/sqlite/one` and `task_queue/redis/one`: one task pushed, then its result read,
//!   on an idle queue: the latency a caller of `.delay().get()` sees.
//!
//! The queues are set up as the `task_queue` example sets them up (examples-distributed): the
//! same SQLite settings (`sqlite.rs`), heartbeats every second, and no polling: idle workers and
//! the submitter wait for the store's messages (`events.rs`; both files included here). One
//! difference: a worker here fetches [`PREFETCH`] tasks at a time, as Celery's workers do by
//! default; the example's tasks take seconds, so it fetches one. Redis is a `redis-server`
//! started here on a free loopback port, as in the tests. Runs of 10,000 take seconds, too long
//! for criterion's ten samples at least: like the CPython scripts, this prints the median of a
//! few runs, as one JSON line (`--quick`: one run). `celery_queue.py` beside this file measures
//! CPython Celery the same way; `pool.rs` has the local `Pool(2).map` of the same 10,000 tasks.

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
#[path = "../../examples-distributed/src/bin/task_queue/sqlite.rs"]
mod sqlite;

const TASKS: u64 = 10_000;
const WORKERS: usize = 2;
/// Runs of 10,000, and single round trips, per store (one each with `--quick`).
const RUNS: usize = 3;
const ROUND_TRIPS: usize = 30;
/// How long the workers are watched while the queue is empty, for their CPU time.
const IDLE: Duration = Duration::from_secs(10);
/// Tasks a worker fetches at a time: Celery's default prefetch (`worker_prefetch_multiplier`),
/// which suits tasks of microseconds. The example fetches one at a time: its tasks take seconds.
const PREFETCH: usize = 4;
/// How many of the oldest unfinished tasks the submitter asks about when no message names any
/// (the queue is served in order): all that could have ended since the last look, on SQLite
/// (where a look costs the submitter's CPU, which the workers need); more on Redis, which looks
/// only at a tick.
const WINDOW_SQLITE: usize = 32;
const WINDOW_REDIS: usize = 200;
/// apalis-redis asks three questions per id, one after the other: asked in this many groups at
/// once, they share the connection's pipeline.
const CHECKS_AT_ONCE: usize = 8;
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

/// The submitter's side of the example's wake-ups: how it says that tasks were pushed, and the
/// messages that say a task may have ended.
enum Announcer {
    Sqlite(PathBuf),
    Redis(redis::aio::MultiplexedConnection, apalis_redis::Config),
}

struct Messages {
    announcer: Announcer,
    ended: BoxStream<'static, Option<String>>,
    window: usize,
}

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKER]);
    let quick = std::env::args().any(|arg| arg == "--quick");
    let runtime = tokio::runtime::Runtime::new()?;
    let mut medians = BTreeMap::new();

    let dir = tempfile::tempdir()?;
    let path = dir.path().join("queue.db");
    let mut storage = runtime.block_on(sqlite_storage(&path, true))?;
    let mut messages = Messages {
        announcer: Announcer::Sqlite(dir.path().to_owned()),
        ended: runtime.block_on(async { sqlite::commits(&path) })?,
        window: WINDOW_SQLITE,
    };
    let store = Store::Sqlite(path);
    medians.extend(runtime.block_on(measure(
        "sqlite",
        store,
        &mut storage,
        &mut messages,
        quick,
    ))?);

    let server = tests::redis::RedisServer::start();
    let url = server.url();
    let mut redis = runtime.block_on(redis(&url))?;
    let mut messages = runtime.block_on(async {
        let config = redis.get_config().clone();
        let announcer = ::redis::Client::open(url.as_str())?
            .get_multiplexed_async_connection()
            .await?;
        anyhow::Ok(Messages {
            ended: events::messages(&url, &events::ended(&config)).await?,
            announcer: Announcer::Redis(announcer, config),
            window: WINDOW_REDIS,
        })
    })?;
    let store = Store::Redis(url);
    medians.extend(runtime.block_on(measure("redis", store, &mut redis, &mut messages, quick))?);
    println!("{}", serde_json::to_string(&medians)?);
    Ok(())
}

/// The median time of a run of 10,000 and of one round trip, on two worker processes.
async fn measure<S>(
    name: &str,
    store: Store,
    storage: &mut S,
    messages: &mut Messages,
    quick: bool,
) -> anyhow::Result<BTreeMap<String, f64>>
where
    S: TaskSink<u64, Durable> + WaitForCompletion<u64> + Vacuum + Backend + Clone + Send,
{
    let mut workers = (0..WORKERS)
        .map(|_| Process::spawn(&WORKER, store.clone()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    submit_and_wait(storage, 100, messages).await?; // warm up
    let mut medians = BTreeMap::new();
    for (label, count, runs) in [("10k", TASKS, RUNS), ("one", 1, ROUND_TRIPS)] {
        let mut times = Vec::new();
        for run in 0..if quick { 1 } else { runs } {
            // Finished tasks stay in the store: each run of 10,000, and the round trips, start
            // from an empty one. Not before each round trip: SQLite's VACUUM rewrites the file,
            // and every connection then prepares its statements again.
            if (count > 1 || run == 0) && storage.vacuum().await.is_err() {
                anyhow::bail!("cannot vacuum the {name} queue");
            }
            let started = Instant::now();
            submit_and_wait(storage, count, messages).await?;
            times.push(started.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        eprintln!("task_queue/{name}/{label}: {median:.4} s");
        medians.insert(format!("task_queue/{name}/{label}"), median);
    }
    // Idle: the queue is empty, the workers and this submitter wait for messages.
    let pids: Vec<u32> = workers.iter().map(Process::pid).collect();
    let idle = if quick { IDLE / 5 } else { IDLE };
    let before = (cpu_time(&pids), cpu_time(&[std::process::id()]));
    tokio::time::sleep(idle).await;
    let after = (cpu_time(&pids), cpu_time(&[std::process::id()]));
    if let ((Some(workers_before), Some(me_before)), (Some(workers_after), Some(me_after))) =
        (before, after)
    {
        let share = |cpu: Duration| cpu.as_secs_f64() / idle.as_secs_f64();
        let per_worker = share(workers_after - workers_before) / WORKERS as f64;
        eprintln!(
            "task_queue/{name}: idle, {:.3}% of a core a worker",
            per_worker * 100.0
        );
        medians.insert(format!("task_queue/{name}/idle_worker"), per_worker);
        medians.insert(
            format!("task_queue/{name}/idle_submitter"),
            share(me_after - me_before),
        );
    }
    for worker in &mut workers {
        worker.kill()?;
    }
    Ok(medians)
}

/// The CPU time that the processes `pids` have used so far, all their threads together
/// (Linux' `/proc/PID/task/*/schedstat`, in nanoseconds; `None` elsewhere).
fn cpu_time(pids: &[u32]) -> Option<Duration> {
    let mut nanos = 0;
    for pid in pids {
        for thread in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
            let stat = std::fs::read_to_string(thread.ok()?.path().join("schedstat")).ok()?;
            nanos += stat.split_whitespace().next()?.parse::<u64>().ok()?;
        }
    }
    Some(Duration::from_nanos(nanos))
}

/// Pushes `count` tasks and reads every result back: `.delay()` each, then `get()` each.
async fn submit_and_wait<S>(
    storage: &mut S,
    count: u64,
    messages: &mut Messages,
) -> anyhow::Result<()>
where
    S: TaskSink<u64, Durable> + WaitForCompletion<u64> + Backend + Clone + Send,
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
        match &mut messages.announcer {
            _ if !pushed => {}
            Announcer::Sqlite(dir) => sqlite::announce(dir)?,
            Announcer::Redis(connection, config) => events::announce(connection, config).await,
        }
        if pending.is_empty() {
            break;
        }
        let window: Vec<TaskId> = match named.take() {
            Some(named) => named
                .into_iter()
                .filter(|id| pending.contains(id))
                .collect(),
            None => pending.iter().take(messages.window).cloned().collect(),
        };
        let group = window.len().div_ceil(CHECKS_AT_ONCE).max(1);
        let checks = window.chunks(group).map(|ids| {
            let mut storage = storage.clone();
            async move { storage.check_status(ids.to_vec()).await }
        });
        let Ok(done) = futures::future::try_join_all(checks).await else {
            anyhow::bail!("cannot read the results");
        };
        let done: Vec<_> = done.into_iter().flatten().collect();
        if pending.len() > done.len() {
            named = events::ended_next(&mut messages.ended)
                .await
                .map(|ids| ids.iter().filter_map(|id| id.parse().ok()).collect());
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
                let storage = sqlite_storage(&path, false).await?;
                let pushes = sqlite::pushes(path.parent().expect("a directory"))?;
                let wakeups = events::worker_wakeups(pushes);
                let worker = WorkerBuilder::new(name).backend(storage.poll_with_stream(wakeups));
                worker.concurrency(1).build(add_one).run().await?;
            }
            Store::Redis(url) => {
                let storage = redis(&url).await?;
                let pushed =
                    events::messages(&url, &[events::pushed(storage.get_config())]).await?;
                let wakeups = events::worker_wakeups(pushed);
                let worker = WorkerBuilder::new(name).backend(storage.poll_with_stream(wakeups));
                worker.concurrency(1).build(add_one).run().await?;
            }
        }
        Ok(())
    })
}

async fn sqlite_storage(
    path: &std::path::Path,
    create: bool,
) -> anyhow::Result<apalis_sqlite::SqliteStorage<u64>> {
    let pool = sqlite::open(path, create).await?;
    let config = apalis_sqlite::Config::default()
        .queue("bench")
        .batch_size(PREFETCH)
        .heartbeat_interval(Duration::from_secs(1))
        .missed_heartbeats(5);
    Ok(apalis_sqlite::SqliteStorage::new(&pool).with_config(config))
}

async fn redis(url: &str) -> anyhow::Result<apalis_redis::RedisStorage<u64>> {
    let connection = apalis_redis::connect(url).await?;
    let config = apalis_redis::Config::default()
        .queue("bench")
        .batch_size(PREFETCH)
        .heartbeat_interval(Duration::from_secs(1))
        .missed_heartbeats(5);
    Ok(apalis_redis::RedisStorage::new(connection).with_config(config))
}
