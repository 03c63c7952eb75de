//! A worker: Celery's `celery worker --concurrency=1`, one per process.

use std::time::{Duration, Instant};

use apalis::prelude::{
    Attempt, BackendExt as _, BoxDynError, RetryPolicy, WorkerBuilder, WorkerBuilderExt as _,
};
use multiprocessing::Process;

use crate::broker::{self, Broker};
use crate::tasks::{self, Job, MAX_ATTEMPTS};
use crate::{events, sqlite};

/// How long a worker told to stop may take to finish the task in hand: longer than a square's
/// longest sleep (3 s).
pub const GRACE: Duration = Duration::from_secs(5);

/// Serves tasks from `broker` until `stop` completes. Then, as Celery's warm shutdown, the task in
/// hand is finished first; if it is not done within [`GRACE`], the worker leaves it (its heartbeats
/// stop, and another worker runs it again) and fails.
pub async fn serve(
    broker: &Broker,
    stop: impl Future<Output = std::io::Result<()>> + Send + 'static,
) -> anyhow::Result<()> {
    let (stopping, stopped) = tokio::sync::oneshot::channel();
    let stop = async move {
        let signal = stop.await;
        let _ = stopping.send(());
        signal
    };
    let grace_over = async move {
        match stopped.await {
            Ok(()) => tokio::time::sleep(GRACE).await,
            Err(_) => std::future::pending().await, // served to the end without a stop
        }
    };
    tokio::select! {
        served = work(broker, stop) => served,
        () = grace_over => anyhow::bail!(
            "worker {}：手上的任务 {} 秒内没有完成，放弃了它（心跳停止后，别的 worker 会重新执行）",
            std::process::id(),
            GRACE.as_secs()
        ),
    }
}

async fn work(
    broker: &Broker,
    stop: impl Future<Output = std::io::Result<()>> + Send + 'static,
) -> anyhow::Result<()> {
    // Names must be unique among the queue's workers, on every machine.
    let name = format!(
        "worker-{}-{:04x}",
        std::process::id(),
        rand::random::<u16>()
    );
    // A worker's own retries: the store records only the outcome of the last attempt.
    let retries = RetryPolicy::retries(MAX_ATTEMPTS - 1);
    // One worker over either store: their types differ, and a generic function would have to
    // spell out apalis' bounds, so the chain is written once, here, for both.
    macro_rules! worker_on {
        ($backend:expr) => {
            WorkerBuilder::new(name)
                .backend($backend)
                .concurrency(1)
                .retry(retries)
                .build(run)
                .run_until(stop)
                .await
        };
    }
    match broker {
        // Woken when tasks are pushed, and when one of ours ends: not every 20 ms.
        Broker::Sqlite(path) => {
            let storage = broker::sqlite(path, false).await?;
            let wakeups = events::worker_wakeups(sqlite::pushes(broker::dir(path))?);
            worker_on!(storage.poll_with_stream(wakeups))?;
        }
        Broker::Redis(url) => {
            let storage = broker::redis(url).await?;
            let pushed = events::messages(url, &[events::pushed(storage.get_config())]).await?;
            worker_on!(storage.poll_with_stream(events::worker_wakeups(pushed)))?;
        }
    }
    Ok(())
}

/// Runs a task, then wakes the worker so that it sends the result at once (`events.rs`).
async fn run(job: Job, attempt: Attempt) -> Result<u64, BoxDynError> {
    let result = tasks::run(job, attempt).await;
    events::TASK_ENDED.notify_one();
    result
}

/// Celery's warm shutdown, then its cold one: SIGTERM asks every worker to finish the task in
/// hand and exit; one still there after its grace period (hung, or stopped) is killed and reaped.
pub fn stop(workers: Vec<Process>) -> anyhow::Result<()> {
    let mut running = Vec::new();
    for mut worker in workers {
        if worker.is_alive()? {
            worker.terminate()?;
            running.push(worker);
        }
    }
    // A worker gives up on its task when its grace is over: one second more lets it say so.
    let kill_after = GRACE + Duration::from_secs(1);
    let deadline = Instant::now() + kill_after;
    for mut worker in running {
        let left = deadline.saturating_duration_since(Instant::now());
        if worker.join_timeout(left)?.is_none() {
            worker.kill()?;
            worker.wait()?;
            println!(
                "worker {} 收到 SIGTERM 后 {} 秒仍未退出，已用 SIGKILL 杀掉",
                worker.pid(),
                kill_after.as_secs()
            );
            continue;
        }
        worker.join()?; // a worker that failed says why
    }
    Ok(())
}

/// Ctrl-C, or `SIGTERM` from a parent or a service manager.
pub async fn interrupted() -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = terminate.recv() => Ok(()),
        _ = interrupt.recv() => Ok(()),
    }
}
