//! A worker: Celery's `celery worker --concurrency=1`, one per process.

use std::time::Duration;

use apalis::prelude::{RetryPolicy, WorkerBuilder, WorkerBuilderExt as _};

use crate::broker::{self, Broker};
use crate::tasks::{self, MAX_ATTEMPTS, Victim};

/// How long a worker told to stop may take to finish the task in hand: longer than a square's
/// longest sleep (3 s).
pub const GRACE: Duration = Duration::from_secs(5);

/// Serves tasks from `broker` until `stop` completes. Then, as Celery's warm shutdown, the task in
/// hand is finished first; if it is not done within [`GRACE`], the worker leaves it (its heartbeats
/// stop, and another worker runs it again) and fails.
pub async fn serve(
    broker: &Broker,
    victim: Option<Victim>,
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
        served = work(broker, victim, stop) => served,
        () = grace_over => anyhow::bail!(
            "worker {}：手上的任务 {} 秒内没有完成，放弃了它（心跳停止后，别的 worker 会重新执行）",
            std::process::id(),
            GRACE.as_secs()
        ),
    }
}

async fn work(
    broker: &Broker,
    victim: Option<Victim>,
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
    match broker {
        Broker::Sqlite(path) => {
            let storage = broker::polled(broker::sqlite(path, false).await?);
            WorkerBuilder::new(name)
                .backend(storage)
                .data(victim)
                .concurrency(1)
                .retry(retries)
                .build(tasks::run)
                .run_until(stop)
                .await?;
        }
        Broker::Redis(url) => {
            let storage = broker::polled(broker::redis(url).await?);
            WorkerBuilder::new(name)
                .backend(storage)
                .data(victim)
                .concurrency(1)
                .retry(retries)
                .build(tasks::run)
                .run_until(stop)
                .await?;
        }
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
