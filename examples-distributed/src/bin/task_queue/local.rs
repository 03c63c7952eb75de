//! The run on one machine: three worker processes, started, watched and stopped by the parent.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use apalis::prelude::TaskId;
use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target};
use serde::{Deserialize, Serialize};

use crate::broker::{self, Broker};
use crate::submit::{Outcome, Store};
use crate::tasks::{Job, Victim};
use crate::{WORKERS, submit_tutorial_tasks, worker};

pub const WORKER: Target<WorkerArgs> = Target::new("task_queue_worker", worker_process);

/// What a worker process is given: the queue, and whether it makes it.
#[derive(Serialize, Deserialize)]
pub struct WorkerArgs {
    broker: Broker,
    /// The first worker makes the SQLite queue, then says so here.
    ready: Option<IpcSender<()>>,
    victim: Option<(Job, IpcSender<u32>)>,
}

/// The whole run on this machine: a queue, three worker processes, the tasks, the results.
pub async fn run_here(
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
    println!("队列：{}", broker.describe());
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
    println!("worker 进程 pid：{pids:?}");

    let mut local = Local {
        workers,
        victim_pid: kill_a_worker.then_some(victim_pid),
    };
    // Ctrl-C (which the workers see too) or SIGTERM: stop the workers, then remove the queue.
    let outcome = tokio::select! {
        outcome = submit_tutorial_tasks(&broker, fail_tasks, Some(&mut local)) => outcome,
        interrupted = worker::interrupted() => match interrupted {
            Ok(()) => Err(anyhow::anyhow!("已中断；每个 worker 都先完成了手上的任务")),
            Err(error) => Err(error.into()),
        },
    };
    stop(local.workers)?;
    outcome
}

/// Celery's warm shutdown, then its cold one: SIGTERM asks every worker to finish the task in
/// hand and exit; one still there after its grace period (hung, or stopped) is killed and reaped.
fn stop(workers: Vec<Process>) -> anyhow::Result<()> {
    let mut running = Vec::new();
    for mut worker in workers {
        if worker.is_alive()? {
            worker.terminate()?;
            running.push(worker);
        }
    }
    // A worker gives up on its task when its grace is over: one second more lets it say so.
    let kill_after = worker::GRACE + Duration::from_secs(1);
    let deadline = Instant::now() + kill_after;
    for mut worker in running {
        let left = deadline.saturating_duration_since(Instant::now());
        if worker.join_timeout(left)?.is_none() {
            worker.kill()?;
            worker.wait()?;
            println!(
                "worker {} 收到 SIGTERM 后 {} 秒仍未退出，已用 SIGKILL 杀掉",
                worker.pid(),
                kill_after.as_secs()
            );
            continue;
        }
        worker.join()?; // a worker that failed says why
    }
    Ok(())
}

/// The worker processes of a run on this machine, which the submitter watches.
pub struct Local {
    workers: Vec<Process>,
    /// `--kill-a-worker`: the pid of the worker that started the victim.
    victim_pid: Option<ipc::IpcReceiver<u32>>,
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
        tokio::time::sleep(broker::POLL).await;
    }
}

impl Local {
    /// `--kill-a-worker`: SIGKILL, which no process can catch, for the worker that started
    /// square(3). Without the flag, nothing.
    pub async fn kill_the_victim(&mut self) -> anyhow::Result<()> {
        let Some(victim_pid) = self.victim_pid.take() else {
            return Ok(());
        };
        let pid = tokio::task::spawn_blocking(move || victim_pid.recv())
            .await?
            .map_err(|_| anyhow::anyhow!("every worker ended before square(3) started"))?;
        let victim = self.workers.iter_mut().find(|worker| worker.pid() == pid);
        victim.expect("the victim is one of our workers").kill()?;
        println!("已用 SIGKILL 杀掉正在执行 square(3) 的 worker {pid}");
        Ok(())
    }
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
