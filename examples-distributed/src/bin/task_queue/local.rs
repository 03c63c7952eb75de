//! The run on one machine: three worker processes, started, watched and stopped by the parent.

use std::time::Duration;

use apalis::prelude::TaskId;
use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target};
use serde::{Deserialize, Serialize};

use crate::broker::{self, Broker, RemoveDir};
use crate::submit::{Outcome, Store};
use crate::{WORKERS, submit_tutorial_tasks, worker};

/// How often the submitter looks whether its worker processes are still there.
const WATCH_WORKERS: Duration = Duration::from_millis(100);

pub const WORKER: Target<WorkerArgs> = Target::new("task_queue_worker", worker_process);

/// What a worker process is given: the queue, and whether it makes it.
#[derive(Serialize, Deserialize)]
pub struct WorkerArgs {
    broker: Broker,
    /// The first worker makes the SQLite queue, then says so here.
    ready: Option<IpcSender<()>>,
}

/// The whole run on this machine: a queue, three worker processes, the tasks, the results.
pub async fn run_here(redis: Option<String>, fail_tasks: bool) -> anyhow::Result<()> {
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
    println!("队列：{}", broker.describe());

    let mut workers = Vec::new();
    for index in 0..WORKERS {
        let (ready, made) = ipc::channel()?;
        let args = WorkerArgs {
            broker: broker.clone(),
            ready: (index == 0).then_some(ready),
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
    let pids: Vec<u32> = workers.iter().map(Process::pid).collect();
    println!("worker 进程 pid：{pids:?}");

    let mut local = Local { workers };
    // Ctrl-C (which the workers see too) or SIGTERM: stop the workers, then remove the queue.
    let outcome = tokio::select! {
        outcome = submit_tutorial_tasks(&broker, fail_tasks, Some(&mut local)) => outcome,
        interrupted = worker::interrupted() => match interrupted {
            Ok(()) => Err(anyhow::anyhow!("已中断；每个 worker 都先完成了手上的任务")),
            Err(error) => Err(error.into()),
        },
    };
    worker::stop(local.workers)?;
    outcome
}

/// The worker processes of a run on this machine, which the submitter watches.
pub struct Local {
    workers: Vec<Process>,
}

/// The results of `ids`; on this machine, an error instead should every worker die.
pub async fn wait(
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
        tokio::time::sleep(WATCH_WORKERS).await;
    }
}

/// The worker process: a tokio runtime serving the queue until the parent's SIGTERM.
fn worker_process(args: WorkerArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        if let Some(ready) = args.ready {
            if let Broker::Sqlite(path) = &args.broker {
                multiprocessing::scratch_dir(broker::dir(path))?;
                broker::sqlite(path, true).await?;
            }
            ready.send(())?;
        } else if let Broker::Sqlite(path) = &args.broker {
            multiprocessing::scratch_dir(broker::dir(path))?;
        }
        worker::serve(&args.broker, worker::interrupted()).await
    })
}
