//! One SQLite file as the queue of several processes: the settings that make it fast, and
//! wake-ups when another process writes, instead of asking every few milliseconds.
//!
//! What each setting trades:
//! - WAL: readers and the one writer do not wait for each other; every process must be on the
//!   same machine (they share memory through the `-shm` file), never on a network file system.
//! - `synchronous = NORMAL`: a commit does not wait for the disk. A crash of a process loses
//!   nothing; a power cut may lose the last commits (a task pushed, or a result, so a task runs
//!   again), never the file itself.
//! - busy timeout: a writer that finds another one writing sleeps and retries for up to 10 s
//!   instead of failing with "database is locked"; those sleeps are what a crowd of writers costs.
//! - statistics for SQLite's query planner, written once: on a table it has never measured, it
//!   picks an index on `status` for apalis' queries by id, and each result then reads every
//!   finished task (10,000 tasks took a minute). `ANALYZE` on a busy queue finds what is written.

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use apalis_sqlite::{SqliteConnectOptions, SqlitePool, SqliteStorage};
use futures::stream::{BoxStream, StreamExt as _};
use notify::Watcher as _;
use sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};

/// What `ANALYZE` records in a queue of 10,000 tasks: one row per id, thousands per status and
/// per worker.
const PLANNER_STATISTICS: &str = "INSERT INTO sqlite_stat1 VALUES \
    ('Jobs', 'sqlite_autoindex_Jobs_1', '10000 1'), \
    ('Jobs', 'idx_jobs_status_run_at', '10000 2500 2500'), \
    ('Jobs', 'LIdx', '10000 5000')";

/// Opens the queue's file with the settings above; `create` makes it and apalis' tables first.
pub async fn open(path: &Path, create: bool) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10));
    let cannot = || format!("cannot open the SQLite queue {}", path.display());
    if create {
        // A pool of its own: apalis' setup turns `synchronous` off on the connection it uses.
        let setup = SqlitePool::connect_with(options.clone().create_if_missing(true))
            .await
            .with_context(cannot)?;
        SqliteStorage::setup(&setup).await?;
        for statement in ["ANALYZE", PLANNER_STATISTICS, "ANALYZE sqlite_schema"] {
            sqlx::query(statement).execute(&setup).await?;
        }
        setup.close().await;
    }
    SqlitePool::connect_with(options).await.with_context(cannot)
}

/// The file in the queue's directory that a submitter writes to once it has pushed tasks.
const PUSHED: &str = "pushed";

/// Tells the workers of the queue in `dir` that tasks are waiting.
pub fn announce(dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join(PUSHED), [1])
}

/// A worker's messages: one each time a submitter says it has pushed tasks. Not every commit:
/// woken by one another's, the workers would contend for the lock, and a writer that finds it
/// taken sleeps at least a millisecond.
pub fn pushes(dir: &Path) -> anyhow::Result<BoxStream<'static, Option<String>>> {
    changes(dir, PUSHED.into())
}

/// A submitter's messages: one each time a process commits to the queue in the file `path`
/// (SQLite appends each commit to the `-wal` file beside it), such as a worker's result.
pub fn commits(path: &Path) -> anyhow::Result<BoxStream<'static, Option<String>>> {
    let mut wal = path
        .file_name()
        .context("a queue file has a name")?
        .to_owned();
    wal.push("-wal");
    changes(path.parent().context("a queue file has a directory")?, wal)
}

/// An item each time `file` in `dir` changes (one for a burst of changes), and `None` every tick.
/// The kernel tells every process watching the directory: inotify on Linux, FSEvents on macOS.
fn changes(dir: &Path, file: OsString) -> anyhow::Result<BoxStream<'static, Option<String>>> {
    let (sender, receiver) = futures::channel::mpsc::unbounded::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|event| {
            event.kind.is_modify() && event.paths.iter().any(|p| p.file_name() == Some(&file))
        }) {
            let _ = sender.unbounded_send(());
        }
    })?;
    watcher.watch(dir, notify::RecursiveMode::NonRecursive)?;
    let changes = receiver
        .ready_chunks(1024)
        // The watcher stops when dropped: it lives as long as the stream does.
        .map(move |_| {
            let _watching = &watcher;
            None
        });
    Ok(crate::events::with_ticks(changes))
}
