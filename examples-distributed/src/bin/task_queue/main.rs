//! When one machine is not enough: the tutorial's pool tasks on a task queue (apalis).
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 牵涉到一些celery的点 (a todo),
//! with the tasks of 《什么是 GIL》 (004) › 进程池 (`square` over `range(10)`) and
//! 《python中多进程、多线程以及GIL记录》 (002) › 多进程 (`countdown(COUNT)`, in 10 chunks).
//! Python API: Celery's `@app.task`, `.delay()`, `AsyncResult.get()`, `celery worker`, a broker.
//!
//! Run: `cargo run -p examples-distributed --bin task_queue` (SQLite, three worker processes);
//! add `-- --redis redis://127.0.0.1:6379` for Redis, or run `worker`/`submit` on other machines.
//!
//! What to watch for: each worker runs one task at a time, the next in the queue; results print
//! in submission order. Kill a worker (`kill -9 PID`, the pid on its task's first line): its
//! task runs again elsewhere once its heartbeats stop (5 s), and ends once. `--fail-tasks`: 3
//! attempts each, then a failure and exit code 1.
//!
//! Celery → apalis: a task is a handler (`tasks::run`), `.delay()` a job pushed to the storage
//! (`submit.rs`), `celery worker` a `WorkerBuilder` (`worker.rs`); one storage is broker and
//! result backend. Unlike Celery, the submitter picks the task ids it reads results by.

mod broker;
mod cli;
mod events;
mod local;
mod redis_url;
mod sqlite;
mod submit;
mod tasks;
mod worker;

use std::time::Instant;

use multiprocessing::run_if_child;

use broker::Broker;
use cli::{Cli, Role};
use local::{Local, run_here, wait};
use submit::{Store, values};
use tasks::{Job, MAX_ATTEMPTS};

/// 002's `COUNT`, counted down by the workers in `CHUNKS` tasks.
const COUNT: u64 = 50_000_000;
const CHUNKS: u64 = 10;
const WORKERS: usize = 3;

fn main() {
    run_if_child(&[&local::WORKER]);
    let cli: Cli = shared::example::start_with();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    if let Err(error) = runtime.block_on(run(cli)) {
        shared::cli::exit_with(1, &format!("{error:#}"));
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let Some(role) = cli.role else {
        return run_here(cli.redis, cli.fail_tasks).await;
    };
    let Some(url) = cli.redis else {
        shared::cli::exit_usage("worker and submit need --redis URL, the queue they share")
    };
    let broker = Broker::Redis(url);
    match role {
        Role::Worker => {
            println!(
                "worker 进程 pid {}，服务于 {}",
                std::process::id(),
                broker.describe()
            );
            worker::serve(&broker, worker::interrupted()).await
        }
        Role::Submit => submit_tutorial_tasks(&broker, cli.fail_tasks, None).await,
    }
}

/// 004's `square` over `0..10`, then 002's countdown in chunks, then (`--fail-tasks`) two tasks
/// that always fail.
async fn submit_tutorial_tasks(
    broker: &Broker,
    fail_tasks: bool,
    mut local: Option<&mut Local>,
) -> anyhow::Result<()> {
    let mut store = Store::open(broker).await?;

    let ids = store
        .push(&(0..10).map(Job::Square).collect::<Vec<_>>())
        .await?;
    let squares = values(wait(&mut store, &ids, local.as_deref_mut()).await?)?;
    println!("{squares:?}");

    let start = Instant::now();
    let ids = store
        .push(&vec![Job::Countdown(COUNT / CHUNKS); CHUNKS as usize])
        .await?;
    let counted = values(wait(&mut store, &ids, local.as_deref_mut()).await?)?;
    println!("Time taken in seconds - {}", start.elapsed().as_secs_f64());
    anyhow::ensure!(
        counted.iter().sum::<u64>() == COUNT,
        "the chunks did not count down COUNT"
    );

    if fail_tasks {
        let jobs = [Job::Fails, Job::Panics];
        let ids = store.push(&jobs).await?;
        for (job, outcome) in jobs.iter().zip(wait(&mut store, &ids, local).await?) {
            match outcome {
                Ok(value) => println!("{job} = {value}"),
                Err(error) => println!("{job} 尝试 {MAX_ATTEMPTS} 次后仍失败：{error}"),
            }
        }
        anyhow::bail!("{} 个任务失败，每个都试了 {MAX_ATTEMPTS} 次", jobs.len());
    }
    Ok(())
}
