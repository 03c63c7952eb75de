//! Waking on the store's messages instead of asking every 20 ms, as Celery does: its worker
//! blocks on Redis (`BRPOP`) and its client is sent each result. On Redis, the submitter
//! publishes a message once it has pushed tasks; a worker subscribes to it, and the submitter to
//! the message apalis-redis publishes when a task ends. On SQLite, the message is a write to the
//! queue's file (`sqlite.rs`). A slow tick stays for what comes without a message: a dead
//! worker's task, put back once its heartbeats stop.
//!
//! Three things apalis 1.0 does not do, done here: apalis-redis' own "task available" message is
//! never sent for a task pushed to run now (such a task goes through its schedule); a worker sends
//! a task's result only the next time it asks the store for work, so [`TASK_ENDED`] wakes it; and
//! a wake-up that comes while a fetch is under way is used up, so [`worker_wakeups`] wakes again.

use std::time::Duration;

use apalis_redis::Config;
use futures::FutureExt as _;
use futures::stream::{BoxStream, StreamExt as _};
use tokio::sync::Notify;

/// How often an idle worker or submitter looks anyway.
pub const TICK: Duration = Duration::from_secs(1);

/// Notified by a worker's handler as a task ends: the worker then sends its result at once.
pub static TASK_ENDED: Notify = Notify::const_new();

/// The channel the submitter publishes on once it has pushed tasks to `config`'s queue.
pub fn pushed(config: &Config) -> String {
    format!("{}:pushed", config.queue.as_ref() as &str)
}

/// The channels apalis-redis publishes on when a task of `config`'s queue ends: done, or failed
/// for good.
pub fn ended(config: &Config) -> Vec<String> {
    vec![
        format!("tasks:{}", config.done_jobs_set()),
        format!("tasks:{}", config.dead_jobs_set()),
    ]
}

/// Tells the queue's workers that tasks are waiting.
pub async fn announce(connection: &mut redis::aio::MultiplexedConnection, config: &Config) {
    // A lost message costs a tick, not a task: the task itself is in Redis already.
    let _: Result<(), _> = redis::cmd("PUBLISH")
        .arg(pushed(config))
        .arg(1)
        .query_async(connection)
        .await;
}

/// Each message on `channels` (its payload: for a task that ended, the task's id), and `None`
/// every [`TICK`]. Subscribed before it returns: what is published from then on is in it.
pub async fn messages(
    url: &str,
    channels: &[String],
) -> anyhow::Result<BoxStream<'static, Option<String>>> {
    let mut subscriber = redis::Client::open(url)?.get_async_pubsub().await?;
    for channel in channels {
        subscriber.subscribe(channel).await?;
    }
    let messages = subscriber
        .into_on_message()
        .map(|message| Some(message.get_payload::<String>().unwrap_or_default()));
    Ok(with_ticks(messages))
}

/// `messages`, and `None` every [`TICK`].
pub fn with_ticks(
    messages: impl futures::Stream<Item = Option<String>> + Send + 'static,
) -> BoxStream<'static, Option<String>> {
    let ticks = futures::stream::unfold((), |()| async {
        tokio::time::sleep(TICK).await;
        Some((None, ()))
    });
    futures::stream::select(messages, ticks).boxed()
}

/// A worker's wake-ups: a message from the store (tasks pushed), a task of its own ended, or the
/// tick.
pub fn worker_wakeups(store: BoxStream<'static, Option<String>>) -> BoxStream<'static, ()> {
    let ended = futures::stream::unfold((), |()| async {
        TASK_ENDED.notified().await;
        // The handler has returned; its result is handed to apalis right after.
        tokio::task::yield_now().await;
        Some(((), ()))
    });
    let mut wakeups = futures::stream::select(store.map(|_| ()), ended.boxed()).ready_chunks(64);
    futures::stream::poll_fn(move |cx| {
        let next = wakeups.poll_next_unpin(cx);
        if next.is_ready() {
            // apalis may take this while a fetch is under way, and fetches again only when woken:
            // wake it, or what this says would wait for the next heartbeat.
            cx.waker().wake_by_ref();
        }
        next.map(|chunk| chunk.map(|_| ()))
    })
    .boxed()
}

/// Waits for the next messages that tasks ended, and returns their ids: every one already there,
/// as a burst of messages is one reason to look. `None` if the tick, or a message without an id
/// (SQLite's), came first: look at every task still waiting.
pub async fn ended_next(messages: &mut BoxStream<'static, Option<String>>) -> Option<Vec<String>> {
    let mut ids = vec![messages.next().await.flatten()?];
    // A tick among them is dropped: the burst names what to look at.
    while let Some(Some(message)) = messages.next().now_or_never() {
        ids.extend(message);
    }
    Some(ids)
}
