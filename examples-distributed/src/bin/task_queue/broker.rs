//! Where the tasks wait and their results come back (Celery's broker and result backend in one):
//! a SQLite file that the processes of one machine share, or a Redis server any machine reaches.

use std::path::{Path, PathBuf};
use std::time::Duration;

use apalis_redis::{RedisStorage, connect};
use apalis_sqlite::SqliteStorage;
use serde::{Deserialize, Serialize};

use crate::redis_url::{redact, scrub};
use crate::tasks::Job;

/// How long a dead worker's task waits for another worker to take it over. Workers beat every
/// second; timestamps in both stores have whole seconds, so a live worker may look 2 s old.
const HEARTBEAT: Duration = Duration::from_secs(1);
const MISSED_HEARTBEATS: usize = 5;
/// Both stores name the queue; every process of a run must use the same name.
const QUEUE: &str = "task_queue";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Broker {
    /// A SQLite database file, in a directory the run's workers make and remove.
    Sqlite(PathBuf),
    /// `redis://host:port`, `redis://:password@host:port`, or `rediss://…` for TLS.
    Redis(String),
}

impl Broker {
    /// What the output calls this broker: never a password.
    pub fn describe(&self) -> String {
        match self {
            Broker::Sqlite(_) => "SQLite，临时目录里的一个文件".to_owned(),
            Broker::Redis(url) => format!("Redis，地址 {}", redact(url)),
        }
    }
}

/// The directory of the SQLite queue's file: the file, its `-wal` and `-shm`, and `pushed`.
pub fn dir(path: &Path) -> &Path {
    path.parent().expect("the queue file has a directory")
}

pub type Sqlite = SqliteStorage<Job>;
pub type Redis = RedisStorage<Job>;

/// Opens the SQLite queue, making it the first time (`create`): `sqlite.rs` says how.
pub async fn sqlite(path: &Path, create: bool) -> anyhow::Result<Sqlite> {
    let pool = crate::sqlite::open(path, create).await?;
    let config = apalis_sqlite::Config::default()
        .queue(QUEUE)
        // One task at a time per worker: a batch would sit reserved behind a long task.
        .batch_size(1)
        .heartbeat_interval(HEARTBEAT)
        .missed_heartbeats(MISSED_HEARTBEATS);
    Ok(SqliteStorage::new(&pool).with_config(config))
}

/// Connects to Redis, giving up after a few seconds with one line that names the server.
pub async fn redis(url: &str) -> anyhow::Result<Redis> {
    let unreachable = || format!("cannot reach Redis at {}", redact(url));
    let fail = |error: redis::RedisError| {
        anyhow::anyhow!("{}: {}", unreachable(), scrub(&error.to_string(), url))
    };
    // One plain connection first: the connection manager below retries a refused connection
    // for a while, where a refusal (or a wrong password) should end the run at once.
    let client = redis::Client::open(url).map_err(fail)?;
    tokio::time::timeout(
        Duration::from_secs(3),
        client.get_multiplexed_async_connection(),
    )
    .await
    .map_err(|_| anyhow::anyhow!("{}: no answer within 3 s", unreachable()))?
    .map_err(fail)?;
    let connection = tokio::time::timeout(Duration::from_secs(3), connect(url))
        .await
        .map_err(|_| anyhow::anyhow!("{}: no answer within 3 s", unreachable()))?
        .map_err(|error| {
            anyhow::anyhow!("{}: {}", unreachable(), scrub(&error.to_string(), url))
        })?;
    let config = apalis_redis::Config::default()
        .queue(QUEUE)
        .batch_size(1)
        .heartbeat_interval(HEARTBEAT)
        .missed_heartbeats(MISSED_HEARTBEATS);
    Ok(RedisStorage::new(connection).with_config(config))
}

/// Removes the SQLite queue's directory when the run ends (the workers do if it is killed).
pub struct RemoveDir(pub PathBuf);

impl Drop for RemoveDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
