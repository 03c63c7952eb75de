//! When one machine is not enough: the tutorial's pool tasks on a task queue (apalis).
//!
//! Tutorial: `002_…txt`, section 牵涉到一些celery的点 (a todo), with the tasks of `004_…txt` ›
//! 进程池 (`square` over `range(10)`) and `002_…txt` › 多进程 (`countdown(COUNT)`, in 10 chunks).
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
mod submit;
mod tasks;
mod worker;

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};
use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};
use serde::{Deserialize, Serialize};

use apalis::prelude::TaskId;
use broker::Broker;
use submit::{Outcome, Store};
use tasks::{Job, MAX_ATTEMPTS, Victim};

/// 002's `COUNT`, counted down by the workers in `CHUNKS` tasks.
const COUNT: u64 = 50_000_000;
const CHUNKS: u64 = 10;
const WORKERS: usize = 3;

const WORKER: Target<WorkerArgs> = Target::new("task_queue_worker", worker_process);

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

/// What a worker process is given: the queue, and whether it makes it.
#[derive(Serialize, Deserialize)]
struct WorkerArgs {
    broker: Broker,
    /// The first worker makes the SQLite queue, then says so here.
    ready: Option<IpcSender<()>>,
    victim: Option<(Job, IpcSender<u32>)>,
}

fn main() {
    run_if_child(&[&WORKER]);
    let cli: Cli = shared::cli::parse();
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
                "worker pid {} serving {}",
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

/// The whole run on this machine: a queue, three worker processes, the tasks, the results.
async fn run_here(
    redis: Option<String>,
    kill_a_worker: bool,
    fail_tasks: bool,
) -> anyhow::Result<()> {
    let (broker, _remove_dir) = match redis {
        Some(url) => {
            broker::redis(&url).await?; // fails here, in one line, if Redis cannot be reached
            (Broker::Redis(url), None)
        }
        None => {
            let dir = std::env::temp_dir().join(format!("task_queue-{}", std::process::id()));
            (Broker::Sqlite(dir.join("queue.db")), Some(RemoveDir(dir)))
        }
    };
    println!("queue: {}", broker.describe());
    let (report, victim_pid) = ipc::channel::<u32>()?;
    let victim = kill_a_worker.then_some((Job::Square(3), report));

    let mut workers = Vec::new();
    for index in 0..WORKERS {
        let (ready, made) = ipc::channel()?;
        let args = WorkerArgs {
            broker: broker.clone(),
            ready: (index == 0).then_some(ready),
            victim: victim.clone(),
        };
        workers.push(Process::spawn(&WORKER, args)?);
        if index == 0 {
            // Until the first worker has made the SQLite queue, nobody else may open it.
            if made.recv().is_err() {
                return Err(workers.remove(0).join().err().unwrap_or_else(|| {
                    anyhow::anyhow!("the first worker ended before making the queue")
                }));
            }
        }
    }
    // Only the workers hold the victim's sender now: should they all die, `recv` fails.
    drop(victim);
    let pids: Vec<u32> = workers.iter().map(Process::pid).collect();
    println!("worker pids: {pids:?}");

    let mut local = Local {
        workers,
        victim_pid: kill_a_worker.then_some(victim_pid),
    };
    // Ctrl-C (which the workers see too) or SIGTERM: stop the workers, then remove the queue.
    let outcome = tokio::select! {
        outcome = submit_tutorial_tasks(&broker, fail_tasks, Some(&mut local)) => outcome,
        interrupted = worker::interrupted() => match interrupted {
            Ok(()) => Err(anyhow::anyhow!("interrupted; each worker finished the task in hand")),
            Err(error) => Err(error.into()),
        },
    };
    // SIGTERM: each worker finishes the task in hand (none is left by now) and exits.
    for mut worker in local.workers {
        if worker.is_alive()? {
            worker.terminate()?;
            worker.join()?;
        }
    }
    outcome
}

/// The worker processes of a run on this machine, which the submitter watches.
struct Local {
    workers: Vec<Process>,
    /// `--kill-a-worker`: the pid of the worker that started the victim.
    victim_pid: Option<ipc::IpcReceiver<u32>>,
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
    if let Some(local) = local.as_deref_mut()
        && let Some(victim_pid) = local.victim_pid.take()
    {
        kill_the_victim(&mut local.workers, victim_pid).await?;
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
                Err(error) => println!("{job} failed after {MAX_ATTEMPTS} attempts: {error}"),
            }
        }
        anyhow::bail!("2 tasks failed, after {MAX_ATTEMPTS} attempts each");
    }
    Ok(())
}

/// The results of `ids`; on this machine, an error instead should every worker die.
async fn wait(
    store: &mut Store,
    ids: &[TaskId],
    local: Option<&mut Local>,
) -> anyhow::Result<Vec<Outcome>> {
    let Some(local) = local else {
        return store.results(ids).await;
    };
    tokio::select! {
        results = store.results(ids) => results,
        () = every_worker_ended(&mut local.workers) => {
            anyhow::bail!("every worker process has ended, with tasks left in the queue")
        }
    }
}

async fn every_worker_ended(workers: &mut [Process]) {
    while workers
        .iter_mut()
        .any(|worker| worker.is_alive().unwrap_or(false))
    {
        tokio::time::sleep(broker::POLL).await;
    }
}

/// `--kill-a-worker`: SIGKILL, which no process can catch, for the worker that started square(3).
async fn kill_the_victim(
    workers: &mut [Process],
    victim_pid: ipc::IpcReceiver<u32>,
) -> anyhow::Result<()> {
    let pid = tokio::task::spawn_blocking(move || victim_pid.recv())
        .await?
        .map_err(|_| anyhow::anyhow!("every worker ended before square(3) started"))?;
    let victim = workers.iter_mut().find(|worker| worker.pid() == pid);
    victim.expect("the victim is one of our workers").kill()?;
    println!("killed worker {pid} (SIGKILL) in the middle of square(3)");
    Ok(())
}

fn values(outcomes: Vec<Outcome>) -> anyhow::Result<Vec<u64>> {
    outcomes
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)
}

/// The worker process: a tokio runtime serving the queue until the parent's SIGTERM.
fn worker_process(args: WorkerArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        if let Some(ready) = args.ready {
            if let Broker::Sqlite(path) = &args.broker {
                let dir = path.parent().expect("the queue file has a directory");
                multiprocessing::scratch_dir(dir)?;
                broker::sqlite(path, true).await?;
            }
            ready.send(())?;
        } else if let Broker::Sqlite(path) = &args.broker {
            multiprocessing::scratch_dir(path.parent().expect("the queue file has a directory"))?;
        }
        let victim = args.victim.map(|(job, report)| Victim {
            job,
            report: std::sync::Arc::new(std::sync::Mutex::new(report)),
        });
        worker::serve(&args.broker, victim, worker::interrupted()).await
    })
}

/// Removes the SQLite queue's directory when the run ends (the workers do if it is killed).
struct RemoveDir(PathBuf);

impl Drop for RemoveDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
