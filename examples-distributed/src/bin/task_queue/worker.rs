//! A worker: Celery's `celery worker --concurrency=1`, one per process.

use apalis::prelude::{RetryPolicy, WorkerBuilder, WorkerBuilderExt as _};

use crate::broker::{self, Broker};
use crate::tasks::{self, MAX_ATTEMPTS, Victim};

/// Serves tasks from `broker` until `stop` completes; the task in hand is finished first.
pub async fn serve(
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
