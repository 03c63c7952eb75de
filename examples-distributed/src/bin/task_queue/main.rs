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
//! in submission order. `--kill-a-worker`: its task is run again elsewhere once its heartbeats
//! stop (5 s), and ends once. `--fail-tasks`: 3 attempts each, then a failure and exit code 1.
//!
//! Celery → apalis: a task is a handler (`tasks::run`), `.delay()` a job pushed to the storage
//! (`submit.rs`), `celery worker` a `WorkerBuilder` (`worker.rs`); one storage is broker and
//! result backend. Unlike Celery, the submitter picks the task ids it reads results by.

mod broker;
mod local;
mod submit;
mod tasks;
mod worker;

use std::time::Instant;

use clap::{Parser, Subcommand};
use multiprocessing::run_if_child;

use broker::Broker;
use local::{Local, run_here, wait};
use submit::{Outcome, Store};
use tasks::{Job, MAX_ATTEMPTS};

/// 002's `COUNT`, counted down by the workers in `CHUNKS` tasks.
const COUNT: u64 = 50_000_000;
const CHUNKS: u64 = 10;
const WORKERS: usize = 3;

#[derive(Parser)]
#[command(about = "The tutorial's pool tasks on a task queue (apalis)")]
struct Cli {
    #[command(subcommand)]
    role: Option<Role>,
    /// Use this Redis server as the queue instead of a SQLite file (`redis://host:port`,
    /// `redis://:password@host:port`, `rediss://…`).
    #[arg(long, global = true, value_parser = broker::redis_url)]
    redis: Option<String>,
    /// Kill (SIGKILL) the worker that starts square(3), in the middle of it.
    #[arg(long)]
    kill_a_worker: bool,
    /// Also submit a task that returns an error and one that panics, every time.
    #[arg(long)]
    fail_tasks: bool,
}

#[derive(Subcommand)]
enum Role {
    /// Serve the queue's tasks until Ctrl-C (which finishes the task in hand first).
    Worker,
    /// Submit the tasks and print their results.
    Submit,
}

fn main() {
    run_if_child(&[&local::WORKER]);
    let cli: Cli = shared::example::start_with();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    if let Err(error) = runtime.block_on(run(cli)) {
        shared::cli::exit_with(1, &format!("{error:#}"));
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match (cli.role, cli.redis) {
        (None, redis) => run_here(redis, cli.kill_a_worker, cli.fail_tasks).await,
        (Some(Role::Worker), Some(url)) => {
            println!(
                "worker 进程 pid {}，服务于 {}",
                std::process::id(),
                Broker::Redis(url.clone()).describe()
            );
            worker::serve(&Broker::Redis(url), None, worker::interrupted()).await
        }
        (Some(Role::Submit), Some(url)) => {
            submit_tutorial_tasks(&Broker::Redis(url), cli.fail_tasks, None).await
        }
        (Some(_), None) => {
            shared::cli::exit_usage("worker and submit need --redis URL, the queue they share")
        }
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
    if let Some(local) = local.as_deref_mut() {
        local.kill_the_victim().await?;
    }
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

fn values(outcomes: Vec<Outcome>) -> anyhow::Result<Vec<u64>> {
    outcomes
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)
}
