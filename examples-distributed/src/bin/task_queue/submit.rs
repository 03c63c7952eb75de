//! The client side: Celery's `.delay()` and `AsyncResult.get()`.

use std::collections::HashMap;
use std::path::PathBuf;

use apalis::prelude::{Backend, TaskBuilder, TaskId, TaskResult, TaskSink, WaitForCompletion};
use apalis_core::backend::finalize::Durable;
use futures::stream::BoxStream;
use redis::aio::MultiplexedConnection;

use crate::broker::{self, Broker};
use crate::tasks::{Job, MAX_ATTEMPTS};
use crate::{events, sqlite};

/// What came back for one job: its value, or the error of its last attempt.
pub type Outcome = Result<u64, String>;

/// A connection to either store, for the submitting side, with the messages that say a task may
/// have ended (`events.rs`); on Redis, also a connection to say that tasks were pushed.
pub enum Store {
    Sqlite(broker::Sqlite, PathBuf, BoxStream<'static, Option<String>>),
    Redis(
        broker::Redis,
        MultiplexedConnection,
        BoxStream<'static, Option<String>>,
    ),
}

impl Store {
    pub async fn open(broker: &Broker) -> anyhow::Result<Self> {
        Ok(match broker {
            Broker::Sqlite(path) => {
                // Watching before the first push: no result of a worker's can be missed.
                let commits = sqlite::commits(path)?;
                let dir = broker::dir(path).to_owned();
                Store::Sqlite(broker::sqlite(path, false).await?, dir, commits)
            }
            Broker::Redis(url) => {
                let storage = broker::redis(url).await?;
                let announcer = redis::Client::open(url.as_str())?
                    .get_multiplexed_async_connection()
                    .await?;
                let ended = events::messages(url, &events::ended(storage.get_config())).await?;
                Store::Redis(storage, announcer, ended)
            }
        })
    }

    /// Celery's `delay()` for each job: the tasks are queued, and their ids returned.
    pub async fn push(&mut self, jobs: &[Job]) -> anyhow::Result<Vec<TaskId>> {
        match self {
            Store::Sqlite(storage, dir, _) => {
                let ids = push(storage, jobs).await?;
                sqlite::announce(dir)?;
                Ok(ids)
            }
            Store::Redis(storage, announcer, _) => {
                let ids = push(storage, jobs).await?;
                events::announce(announcer, storage.get_config()).await;
                Ok(ids)
            }
        }
    }

    /// Celery's `AsyncResult.get()` for every id: the results, in the order of `ids`.
    pub async fn results(&mut self, ids: &[TaskId]) -> anyhow::Result<Vec<Outcome>> {
        match self {
            Store::Sqlite(storage, _, commits) => results(storage, ids, commits).await,
            Store::Redis(storage, _, ended) => results(storage, ids, ended).await,
        }
    }
}

async fn push<S: TaskSink<Job, Durable>>(
    storage: &mut S,
    jobs: &[Job],
) -> anyhow::Result<Vec<TaskId>> {
    // The id is chosen here, so that this process can ask for the result: Celery's task id.
    let ids: Vec<TaskId> = jobs
        .iter()
        .map(|_| TaskId::from_ulid(ulid::Ulid::generate()))
        .collect();
    for (job, id) in jobs.iter().zip(&ids) {
        let task = TaskBuilder::new(job.clone())
            .task_id(id.clone())
            .max_attempts(MAX_ATTEMPTS)
            .build();
        storage
            .push_task(task)
            .await
            .map_err(|error| anyhow::anyhow!("cannot push {job}: {error}"))?;
    }
    Ok(ids)
}

/// The results come back in the order the tasks end, and are returned in the order of `ids`,
/// as `Pool.map` returns them. It looks again when `ended` says a task may have ended: on Redis,
/// only at the tasks a message named.
async fn results<S>(
    storage: &mut S,
    ids: &[TaskId],
    ended: &mut BoxStream<'static, Option<String>>,
) -> anyhow::Result<Vec<Outcome>>
where
    S: WaitForCompletion<u64> + Backend,
{
    let mut done: HashMap<TaskId, Outcome> = HashMap::new();
    // The ids a message named; `None`: look at every task still waiting.
    let mut named: Option<Vec<String>> = None;
    while done.len() < ids.len() {
        let waiting: Vec<TaskId> = ids
            .iter()
            .filter(|id| !done.contains_key(*id))
            .filter(|id| {
                named
                    .as_ref()
                    .is_none_or(|named| named.contains(&id.to_string()))
            })
            .cloned()
            .collect();
        // A task's result is there once it has ended for good (done, or its last attempt failed).
        let finished: Vec<TaskResult<u64>> = if waiting.is_empty() {
            Vec::new()
        } else {
            storage
                .check_status(waiting)
                .await
                .map_err(|error| anyhow::anyhow!("cannot read the results: {error}"))?
        };
        for result in finished {
            let outcome = result
                .result
                .map_err(|error| error.trim_start_matches("AbortError: ").to_owned());
            done.insert(result.task_id, outcome);
        }
        if done.len() < ids.len() {
            // Not apalis' `wait_for`, which asks every 500 ms: a countdown chunk takes milliseconds.
            named = events::ended_next(ended).await;
        }
    }
    Ok(ids
        .iter()
        .map(|id| done.remove(id).expect("every id is done"))
        .collect())
}

/// The values of `outcomes`, or the first failure.
pub fn values(outcomes: Vec<Outcome>) -> anyhow::Result<Vec<u64>> {
    outcomes
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)
}
