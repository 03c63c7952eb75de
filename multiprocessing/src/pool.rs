//! A pool of worker processes: Python's `multiprocessing.Pool`, built on [`crate::process`].
//!
//! ```text
//! const SQUARE: Task<u64, u64> = Task::new("square", square);
//! const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);
//!
//! fn main() -> anyhow::Result<()> {
//!     run_if_child(&[&WORKERS]);           // a worker process starts here, and serves tasks
//!     let mut pool = Pool::new(&WORKERS, 4)?;
//!     println!("{:?}", pool.map(&SQUARE, 0..10)?);
//!     pool.close();
//!     pool.join()
//! }
//! ```
//!
//! How it works, and how it differs from Python:
//! - N worker processes start with the pool and live until it ends. Each can run any [`Task`]
//!   its [`Workers`] list names (Python pickles a function by its name; here the list is
//!   explicit, and the argument and result types are fixed by the task at compile time).
//! - Each worker has its own job and result channels, and runs one job at a time, so at most N
//!   jobs run at once. The next pending job goes to the worker that frees up first, in
//!   submission order, as from Python's shared task queue. A task seen to take under a
//!   millisecond is also sent ahead, in batches, to workers still busy: then a worker finds its
//!   next jobs waiting instead of waiting a round trip for each (see `dispatch`). A worker that
//!   dies takes the jobs sent ahead to it with it: they fail, "before it could run".
//! - One collector thread in the parent receives every result, in the order they complete, and
//!   runs the callbacks there, one at a time, as Python's result-handler thread does. A job
//!   that fails before it reaches a worker (none is left, the send failed, `terminate`) runs
//!   its callback on the thread that found out: the submitting one, or `terminate`'s.
//! - `map` sends the items in chunks (one message per chunk, not per item); the default chunk
//!   size is Python's rule: `ceil(len / (4 × workers))`.
//! - A task that returns an error, or panics, fails its own result (`get` returns the error);
//!   the worker carries on.
//! - A worker that dies (killed, or aborted) fails the job it was running with its exit
//!   status. It is not replaced: the pool carries on with the others, and fails every pending
//!   job once none is left. (Python replaces the worker, but the task it was running never
//!   completes, and `get()` on it waits forever.) A worker slow to exit is reaped while the
//!   others' results keep coming, and killed after a grace period.
//! - Every job ends: in its result, in the error of its task or its worker, or, should the
//!   result thread ever stop, in an error saying so. `get()` never waits for a job that can no
//!   longer finish. A callback that panics fails its own job's result, not the pool.
//! - `terminate` stops the workers (SIGTERM) and fails every job not finished; dropping a pool
//!   that was not joined terminates it. Either way every worker is reaped.

mod imap;

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use ipc_channel::TrySelectError;
use ipc_channel::ipc::{
    self, IpcMessage, IpcReceiverSet, IpcSelectionResult, OpaqueIpcReceiver, OpaqueIpcSender,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::process::{AnyTarget, ChildRole, Handshake, Process};

pub use imap::IMap;

/// How long a worker whose channels have closed gets to exit before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(1);
/// How often the result thread checks a worker that is exiting.
const REAP_INTERVAL: Duration = Duration::from_millis(5);

/// A function pool workers can run, under a name unique among the tasks of one [`Workers`].
///
/// Like a process [`crate::process::Target`], it returns `anyhow::Result`: an error (or a
/// panic) in a worker comes back to the parent as the error of that task's result.
pub struct Task<A, R> {
    name: &'static str,
    function: fn(A) -> anyhow::Result<R>,
}

impl<A, R> Task<A, R> {
    /// A task that workers run by `name`, which must be unique in its [`Workers`] list.
    pub const fn new(name: &'static str, function: fn(A) -> anyhow::Result<R>) -> Self {
        Self { name, function }
    }

    /// The task's name, as errors and the worker list know it.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// Jobs sent together: each an id and the items to run the task on (one for `apply`, a chunk
/// for `map`). A batch holds more than one job only for a quick task (see `dispatch`).
type JobMessage<A> = Vec<(u64, Vec<A>)>;
/// Results sent together: each a job's id, and a result per item, or why the job failed.
type ResultMessage<R> = Vec<(u64, Result<Vec<R>, String>)>;

/// Both ends of one task's job and result channels, for one worker.
pub struct TaskChannels {
    jobs: (OpaqueIpcSender, OpaqueIpcReceiver),
    results: (OpaqueIpcSender, OpaqueIpcReceiver),
}

/// A [`Task`] with its types erased, so that a [`Workers`] list can hold tasks of any type.
///
/// Sealed: [`Task`] is its only implementation.
pub trait AnyTask: TaskRole {}

mod sealed {
    /// What a pool does with a task, out of its users' sight: [`super::AnyTask`] is sealed
    /// by it (a public trait in a private module).
    pub trait TaskRole: Sync {
        fn name(&self) -> &'static str;
        /// Parent: new job and result channels for one worker.
        fn channels(&self) -> anyhow::Result<super::TaskChannels>;
        /// Parent: sends `jobs` (each a boxed `Vec<A>` of items) in one message.
        fn send_jobs(
            &self,
            sender: &mut Option<super::OpaqueIpcSender>,
            jobs: Vec<(u64, Box<dyn std::any::Any + Send>)>,
        ) -> anyhow::Result<()>;
        /// Worker: runs a batch of jobs and sends their results.
        fn run_job(
            &self,
            job: super::IpcMessage,
            results: &mut Option<super::OpaqueIpcSender>,
        ) -> anyhow::Result<()>;
        /// Parent: reads results, each with the id of its job; the `Vec<R>` comes boxed.
        fn read_result(
            &self,
            message: super::IpcMessage,
        ) -> anyhow::Result<Vec<(u64, super::Outcome)>>;
    }
}
pub(crate) use sealed::TaskRole;

impl<A, R> AnyTask for Task<A, R>
where
    A: Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
}

impl<A, R> TaskRole for Task<A, R>
where
    A: Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn channels(&self) -> anyhow::Result<TaskChannels> {
        let (job_sender, job_receiver) = ipc::channel::<JobMessage<A>>()?;
        let (result_sender, result_receiver) = ipc::channel::<ResultMessage<R>>()?;
        Ok(TaskChannels {
            jobs: (job_sender.to_opaque(), job_receiver.to_opaque()),
            results: (result_sender.to_opaque(), result_receiver.to_opaque()),
        })
    }

    fn send_jobs(
        &self,
        sender: &mut Option<OpaqueIpcSender>,
        jobs: Vec<(u64, Box<dyn Any + Send>)>,
    ) -> anyhow::Result<()> {
        let batch: JobMessage<A> = jobs
            .into_iter()
            .map(|(id, items)| Ok((id, downcast_items::<A>(items)?)))
            .collect::<anyhow::Result<_>>()?;
        send_on(sender, batch)
    }

    fn run_job(
        &self,
        job: IpcMessage,
        results: &mut Option<OpaqueIpcSender>,
    ) -> anyhow::Result<()> {
        let batch: JobMessage<A> = job.to()?;
        let mut done: ResultMessage<R> = Vec::new();
        let mut last_sent = Instant::now();
        let jobs = batch.len();
        for (index, (id, items)) in batch.into_iter().enumerate() {
            // The pool's record of the job, for a trace (see `crate::plumbing::trace`): closed before the
            // result goes, so that the next job, which the result releases, starts after it.
            let task = tracing::info_span!("task", name = self.name).entered();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                items
                    .into_iter()
                    .map(self.function)
                    .collect::<anyhow::Result<Vec<R>>>()
            }));
            drop(task);
            done.push((
                id,
                match outcome {
                    Ok(Ok(results)) => Ok(results),
                    Ok(Err(error)) => Err(format!("task {} failed: {error:#}", self.name)),
                    Err(panic) => Err(format!(
                        "task {} panicked: {}",
                        self.name,
                        panic_text(&*panic)
                    )),
                },
            ));
            // A batch's results go back together, unless it has taken long enough that the
            // parent should hear of the jobs already done.
            if index + 1 == jobs || last_sent.elapsed() > QUICK {
                send_on(results, std::mem::take(&mut done))?;
                last_sent = Instant::now();
            }
        }
        Ok(())
    }

    fn read_result(&self, message: IpcMessage) -> anyhow::Result<Vec<(u64, Outcome)>> {
        let results: ResultMessage<R> = message.to()?;
        Ok(results
            .into_iter()
            .map(|(id, outcome)| {
                let outcome = outcome
                    .map(|results| Box::new(results) as Box<dyn Any + Send>)
                    .map_err(|error| anyhow!(error));
                (id, outcome)
            })
            .collect())
    }
}

fn downcast_items<A: 'static>(items: Box<dyn Any + Send>) -> anyhow::Result<Vec<A>> {
    items
        .downcast::<Vec<A>>()
        .map(|items| *items)
        .map_err(|_| anyhow!("a job of the wrong type reached this task's channel"))
}

/// Sends on an opaque sender as `T`; the sender is typed for the send and put back.
fn send_on<T: Serialize + DeserializeOwned>(
    slot: &mut Option<OpaqueIpcSender>,
    message: T,
) -> anyhow::Result<()> {
    let sender = slot.take().context("the channel is closed")?.to::<T>();
    let sent = sender.send(message);
    *slot = Some(sender.to_opaque());
    Ok(sent?)
}

fn panic_text(panic: &(dyn Any + Send)) -> &str {
    crate::plumbing::panic_text(panic).unwrap_or("(no message)")
}

/// The tasks a pool's workers can run, and the child role of a worker process.
///
/// List it in [`crate::process::run_if_child`], as any target: a worker process starts there.
pub struct Workers {
    name: &'static str,
    tasks: &'static [&'static dyn AnyTask],
}

impl Workers {
    /// The worker processes' role `name`, and the tasks they can run.
    pub const fn new(name: &'static str, tasks: &'static [&'static dyn AnyTask]) -> Self {
        Self { name, tasks }
    }
}

/// A worker's channels: per task, where jobs arrive and where results go.
#[derive(Serialize, Deserialize)]
struct WorkerChannels {
    jobs: Vec<OpaqueIpcReceiver>,
    results: Vec<OpaqueIpcSender>,
}

impl AnyTarget for Workers {}

impl ChildRole for Workers {
    fn name(&self) -> &'static str {
        self.name
    }

    /// The worker loop: run each job as it arrives, until the parent closes the job channels.
    fn run_in_child(&self, handshake: Handshake) -> anyhow::Result<()> {
        let channels: WorkerChannels = handshake.arguments();
        anyhow::ensure!(
            channels.jobs.len() == self.tasks.len(),
            "the parent and the worker disagree on the task list"
        );
        let mut receivers = IpcReceiverSet::new()?;
        let mut task_of = HashMap::new();
        for (task, jobs) in channels.jobs.into_iter().enumerate() {
            task_of.insert(receivers.add_opaque(jobs)?, task);
        }
        let mut results: Vec<_> = channels.results.into_iter().map(Some).collect();
        while !task_of.is_empty() {
            for event in receivers.select()? {
                match event {
                    IpcSelectionResult::MessageReceived(id, job) => {
                        let task = task_of[&id];
                        self.tasks[task].run_job(job, &mut results[task])?;
                    }
                    IpcSelectionResult::ChannelClosed(id) => {
                        task_of.remove(&id);
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether the pool takes new jobs (Python's pool states).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    Running,
    Closed,
    Terminated,
}

/// A job's outcome: its results (a boxed `Vec<R>`), or why it failed.
type Outcome = anyhow::Result<Box<dyn Any + Send>>;
/// What to do with a job's outcome: fill its result handle, run its callback.
type Done = Box<dyn FnOnce(Outcome) + Send>;

struct Job {
    id: u64,
    task: usize,
    /// The items, a boxed `Vec<A>` of the task's argument type.
    items: Box<dyn Any + Send>,
    done: Done,
}

/// A job sent to a worker, running or waiting there behind another.
struct InFlight {
    id: u64,
    task: usize,
    done: Done,
    sent: Instant,
}

struct Worker {
    process: Option<Process>,
    /// Job senders, one per task; `None` once the worker was told to stop.
    jobs: Option<Vec<Option<OpaqueIpcSender>>>,
    /// Sent and not yet answered, oldest first: the first is the one running.
    in_flight: Vec<InFlight>,
    alive: bool,
    /// When the worker last became idle, on the pool's clock.
    idle_since: u64,
    /// When its last result arrived, to tell how long the next job took.
    last_result: Option<Instant>,
}

struct State {
    status: Status,
    /// Why the result thread stopped, if it stopped before the workers did.
    broken: Option<String>,
    next_id: u64,
    /// Counts dispatches; orders the workers' idle times.
    clock: u64,
    pending: VecDeque<Job>,
    workers: Vec<Worker>,
    /// Per task: how many results in a row came back within [`QUICK`].
    quick_runs: Vec<u32>,
}

struct Shared {
    state: Mutex<State>,
    tasks: &'static [&'static dyn AnyTask],
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Callbacks run outside the lock, so a poisoned lock means a bug in this module; the
        // state is still consistent between statements, so carry on rather than cascade panics.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn task_name(&self, task: usize) -> &'static str {
        self.tasks[task].name()
    }
}

/// Python's `multiprocessing.Pool`: `size` worker processes that run [`Task`]s.
pub struct Pool {
    shared: Arc<Shared>,
    collector: Option<JoinHandle<()>>,
    size: usize,
}

impl Pool {
    /// Starts `size` worker processes (`Pool(size)`).
    pub fn new(workers: &'static Workers, size: usize) -> anyhow::Result<Self> {
        anyhow::ensure!(size > 0, "a pool needs at least one worker");
        // A worker with no channel would leave the result thread nothing to wait on.
        anyhow::ensure!(
            !workers.tasks.is_empty(),
            "the pool's Workers list {} names no task",
            workers.name
        );
        let mut receivers = IpcReceiverSet::new()?;
        let mut routes = HashMap::new();
        let mut slots = Vec::new();
        for worker in 0..size {
            let mut job_senders = Vec::new();
            let mut child_channels = WorkerChannels {
                jobs: Vec::new(),
                results: Vec::new(),
            };
            for (task, definition) in workers.tasks.iter().enumerate() {
                let channels = definition.channels()?;
                job_senders.push(Some(channels.jobs.0));
                child_channels.jobs.push(channels.jobs.1);
                child_channels.results.push(channels.results.0);
                routes.insert(receivers.add_opaque(channels.results.1)?, (worker, task));
            }
            // The child's ends go with the arguments and are closed here once sent, so a dead
            // worker shows up as closed result channels.
            let process = Process::spawn_role(workers.name, child_channels)?;
            slots.push(Worker {
                process: Some(process),
                jobs: Some(job_senders),
                in_flight: Vec::new(),
                alive: true,
                idle_since: 0,
                last_result: None,
            });
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                status: Status::Running,
                broken: None,
                next_id: 0,
                clock: 0,
                pending: VecDeque::new(),
                workers: slots,
                quick_runs: vec![0; workers.tasks.len()],
            }),
            tasks: workers.tasks,
        });
        let collector = {
            let shared = Arc::clone(&shared);
            let tasks_per_worker = workers.tasks.len();
            thread::Builder::new()
                .name("pool-results".into())
                .spawn(move || collect(&shared, receivers, &routes, size, tasks_per_worker))
                .map_err(|error| {
                    anyhow!(
                        "cannot start the pool's result thread: {error}{}",
                        crate::plumbing::limits::suffix(&error)
                    )
                })?
        };
        Ok(Self {
            shared,
            collector: Some(collector),
            size,
        })
    }

    /// One worker per CPU, as Python's `Pool()`.
    pub fn with_cpus(workers: &'static Workers) -> anyhow::Result<Self> {
        Self::new(workers, crate::cpu_count())
    }

    /// The number of worker processes the pool started with.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The workers' pids, in worker order (for examples that show them).
    pub fn pids(&self) -> Vec<u32> {
        let state = self.shared.lock();
        state
            .workers
            .iter()
            .filter_map(|worker| worker.process.as_ref().map(Process::pid))
            .collect()
    }

    /// `apply`: runs `task(argument)` in a worker and waits for its result.
    pub fn apply<A, R>(&self, task: &Task<A, R>, argument: A) -> anyhow::Result<R>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.apply_async(task, argument)?.get()
    }

    /// `apply_async`: queues `task(argument)` and returns at once.
    pub fn apply_async<A, R>(
        &self,
        task: &Task<A, R>,
        argument: A,
    ) -> anyhow::Result<AsyncResult<R>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.apply_async_with_callback(task, argument, |_: &R| {})
    }

    /// `apply_async(..., callback=...)`: `callback` runs in the parent, on the pool's result
    /// thread, when the task succeeds; keep it short, as it holds up the other results.
    pub fn apply_async_with_callback<A, R>(
        &self,
        task: &Task<A, R>,
        argument: A,
        callback: impl FnOnce(&R) + Send + 'static,
    ) -> anyhow::Result<AsyncResult<R>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.apply_async_with_callbacks(task, argument, callback, |_| {})
    }

    /// `apply_async(..., callback=..., error_callback=...)`: as
    /// [`Pool::apply_async_with_callback`], and `error_callback` runs with the error when the
    /// task fails or is lost with its worker: on the result thread, as the callback does, or,
    /// for a job that never reached a worker, on the thread that found out (see the module's
    /// notes).
    ///
    /// A callback that panics fails the job's result with the panic's message; the pool and
    /// the other jobs carry on.
    pub fn apply_async_with_callbacks<A, R>(
        &self,
        task: &Task<A, R>,
        argument: A,
        callback: impl FnOnce(&R) + Send + 'static,
        error_callback: impl FnOnce(&anyhow::Error) + Send + 'static,
    ) -> anyhow::Result<AsyncResult<R>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        let result = AsyncResult::new();
        let slot = Arc::clone(&result.slot);
        let name = task.name;
        let done: Done = Box::new(move |outcome| {
            let value = outcome.and_then(|boxed| {
                let mut values = downcast::<R>(boxed)?;
                values
                    .pop()
                    .with_context(|| format!("task {name} returned no result"))
            });
            let value = match value {
                Ok(value) => match catch_unwind(AssertUnwindSafe(|| callback(&value))) {
                    Ok(()) => Ok(value),
                    Err(panic) => Err(anyhow!(
                        "the callback of task {name} panicked: {}",
                        panic_text(&*panic)
                    )),
                },
                Err(error) => match catch_unwind(AssertUnwindSafe(|| error_callback(&error))) {
                    Ok(()) => Err(error),
                    Err(panic) => Err(anyhow!(
                        "the error callback of task {name} panicked: {} (the task: {error:#})",
                        panic_text(&*panic)
                    )),
                },
            };
            slot.fill(value);
        });
        self.submit(task, vec![argument], done)?;
        Ok(result)
    }

    /// `map`: runs `task` on every item, in chunks, and returns the results in item order.
    pub fn map<A, R>(
        &self,
        task: &Task<A, R>,
        items: impl IntoIterator<Item = A>,
    ) -> anyhow::Result<Vec<R>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.map_async(task, items, None)?.get()
    }

    /// `map_async(task, items, chunksize)`: as [`Pool::map`], without waiting. `None` picks
    /// Python's default chunk size.
    pub fn map_async<A, R>(
        &self,
        task: &Task<A, R>,
        items: impl IntoIterator<Item = A>,
        chunk_size: Option<usize>,
    ) -> anyhow::Result<AsyncResult<Vec<R>>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        let items: Vec<A> = items.into_iter().collect();
        let result = AsyncResult::new();
        if items.is_empty() {
            result.slot.fill(Ok(Vec::new()));
            return Ok(result);
        }
        let chunk_size = chunk_size.unwrap_or_else(|| default_chunk_size(items.len(), self.size));
        anyhow::ensure!(chunk_size > 0, "the chunk size must be at least 1");
        let mut chunks = Vec::new();
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            chunks.push(items.by_ref().take(chunk_size).collect::<Vec<A>>());
        }
        let gather = Arc::new(Mutex::new(Gather {
            chunks: (0..chunks.len()).map(|_| None).collect(),
            missing: chunks.len(),
            slot: Some(Arc::clone(&result.slot)),
        }));
        for (index, chunk) in chunks.into_iter().enumerate() {
            let gather = Arc::clone(&gather);
            let done: Done = Box::new(move |outcome| {
                let mut gather = gather.lock().unwrap_or_else(PoisonError::into_inner);
                gather.add(index, outcome.and_then(downcast::<R>));
            });
            self.submit(task, chunk, done)?;
        }
        Ok(result)
    }

    fn submit<A, R>(&self, task: &Task<A, R>, items: Vec<A>, done: Done) -> anyhow::Result<()>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        let index = self
            .shared
            .tasks
            .iter()
            .position(|known| known.name() == task.name)
            .with_context(|| format!("task {} is not in this pool's Workers list", task.name))?;
        let mut state = self.shared.lock();
        match state.status {
            Status::Running => {}
            Status::Closed => bail!("the pool is closed: it takes no new tasks"),
            Status::Terminated => bail!("the pool is terminated: it takes no new tasks"),
        }
        if let Some(reason) = &state.broken {
            bail!("the pool's result thread stopped ({reason}): it takes no new tasks");
        }
        let id = state.next_id;
        state.next_id += 1;
        let job = Job {
            id,
            task: index,
            items: Box::new(items),
            done,
        };
        if !state.workers.iter().any(|worker| worker.alive) {
            drop(state);
            (job.done)(Err(anyhow!(
                "task {} could not run: every worker of the pool has died",
                task.name
            )));
            return Ok(());
        }
        state.pending.push_back(job);
        let failed = dispatch(&self.shared, &mut state);
        drop(state);
        run_all(failed);
        Ok(())
    }

    /// `close()`: no new tasks; the workers exit once the queued ones are done.
    pub fn close(&self) {
        let mut state = self.shared.lock();
        if state.status == Status::Running {
            state.status = Status::Closed;
            release_idle_workers(&mut state);
        }
    }

    /// `terminate()`: stops every worker now (SIGTERM). Jobs not finished fail with an error.
    pub fn terminate(&self) {
        let mut state = self.shared.lock();
        state.status = Status::Terminated;
        let mut failed: Vec<Done> = state.pending.drain(..).map(|job| job.done).collect();
        for worker in &mut state.workers {
            worker.jobs = None;
            failed.extend(worker.in_flight.drain(..).map(|job| job.done));
            if let Some(process) = &mut worker.process {
                let _ = process.terminate();
            }
        }
        drop(state);
        for done in failed {
            done(Err(anyhow!(
                "the pool was terminated before the task finished"
            )));
        }
    }

    /// `join()`: waits until every worker has exited and been reaped. Like Python, it is an
    /// error to call it before [`Pool::close`] or [`Pool::terminate`].
    pub fn join(&mut self) -> anyhow::Result<()> {
        if self.shared.lock().status == Status::Running {
            bail!("join() needs close() or terminate() first: the pool is still running");
        }
        if let Some(collector) = self.collector.take() {
            collector
                .join()
                .map_err(|_| anyhow!("the pool's result thread panicked"))?;
        }
        // Its jobs have failed already; join says so too, as the workers may not be reaped.
        if let Some(reason) = &self.shared.lock().broken {
            bail!("the pool's result thread stopped ({reason})");
        }
        Ok(())
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        if self.collector.is_some() {
            self.terminate();
            let _ = self.join();
        }
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pool(size {})", self.size)
    }
}

/// Python's default `chunksize` for `map`: `ceil(len / (4 × workers))`.
pub fn default_chunk_size(items: usize, workers: usize) -> usize {
    items.div_ceil(4 * workers.max(1))
}

fn downcast<R: 'static>(boxed: Box<dyn Any + Send>) -> anyhow::Result<Vec<R>> {
    boxed
        .downcast::<Vec<R>>()
        .map(|values| *values)
        .map_err(|_| anyhow!("a result of the wrong type reached this task's handle"))
}

/// A result back this soon after its job started means the job costs less than the wake-ups
/// around it: its task may then be sent ahead, to a worker that is still busy.
const QUICK: Duration = Duration::from_millis(1);
/// How many quick results in a row make a task quick.
const QUICK_RUNS: u32 = 8;
/// The most jobs of a quick task sent in one message.
const BATCH: usize = 8;
/// The most jobs a worker holds at once: the one it runs, and those sent ahead. Two batches,
/// so that the next is already there when a worker finishes one.
const AHEAD: usize = 2 * BATCH;

/// Hands pending jobs to workers. Returns the `done`s of jobs whose send failed, to be run once
/// the lock is released.
///
/// An idle worker always goes first, the one idle the longest, as in Python, where the workers
/// take turns at one shared queue: sequential `apply` calls rotate through the pool, and the
/// next task goes to the worker that frees up first. Only a quick task (see [`QUICK`]) is sent
/// ahead, to busy workers too, in batches of up to [`BATCH`] jobs and [`AHEAD`] per worker, so
/// that a worker finds its next jobs waiting instead of waiting a round trip for each: a free
/// worker then waits at most for a few quick jobs, never behind a long one.
fn dispatch(shared: &Shared, state: &mut State) -> Vec<(Done, anyhow::Error)> {
    let mut failed = Vec::new();
    while let Some(next) = state.pending.front() {
        let task = next.task;
        let quick = state.quick_runs[task] >= QUICK_RUNS;
        let open = |worker: &Worker| worker.alive && worker.jobs.is_some();
        let idle = (0..state.workers.len())
            .filter(|&index| {
                open(&state.workers[index]) && state.workers[index].in_flight.is_empty()
            })
            .min_by_key(|&index| state.workers[index].idle_since);
        let busy = || {
            (0..state.workers.len())
                .filter(|&index| {
                    let worker = &state.workers[index];
                    open(worker) && worker.in_flight.len() + BATCH <= AHEAD
                })
                .min_by_key(|&index| state.workers[index].in_flight.len())
        };
        let Some(worker) = idle.or_else(|| if quick { busy() } else { None }) else {
            break;
        };
        // The batch: the pending jobs at the front that are of this task, in their order, and
        // no more than a fair share of them, so that every worker gets some.
        let workers = state.workers.iter().filter(|worker| open(worker)).count();
        let share = state.pending.len().div_ceil(workers.max(1));
        let size = if quick { share.clamp(1, BATCH) } else { 1 };
        let mut batch = Vec::new();
        while batch.len() < size && state.pending.front().is_some_and(|job| job.task == task) {
            batch.extend(state.pending.pop_front());
        }
        let (ids, items): (Vec<_>, Vec<_>) = batch
            .iter_mut()
            .map(|job| (job.id, std::mem::replace(&mut job.items, Box::new(()))))
            .unzip();
        let slot = &mut state.workers[worker];
        let sender = slot.jobs.as_mut().map(|senders| &mut senders[task]);
        let sent = match sender {
            Some(sender) => {
                shared.tasks[task].send_jobs(sender, ids.into_iter().zip(items).collect())
            }
            None => Err(anyhow!("the worker was released")),
        };
        match sent {
            Ok(()) => {
                state.clock += 1;
                let now = Instant::now();
                state.workers[worker]
                    .in_flight
                    .extend(batch.into_iter().map(|job| InFlight {
                        id: job.id,
                        task: job.task,
                        done: job.done,
                        sent: now,
                    }));
            }
            Err(error) => {
                // A channel that refused one message would refuse the next: no more jobs go
                // to this worker, which sees its job channels close and exits.
                state.workers[worker].jobs = None;
                let error = format!(
                    "cannot send task {} to a pool worker: {error:#}",
                    shared.task_name(task)
                );
                failed.extend(
                    batch
                        .into_iter()
                        .map(|job| (job.done, anyhow!(error.clone()))),
                );
            }
        }
    }
    failed
}

fn run_all(failed: Vec<(Done, anyhow::Error)>) {
    for (done, error) in failed {
        done(Err(error));
    }
}

/// After `close()`, an idle worker with nothing pending is told to stop: its job channels close.
fn release_idle_workers(state: &mut State) {
    if state.status != Status::Running && state.pending.is_empty() {
        for worker in &mut state.workers {
            if worker.in_flight.is_empty() {
                worker.jobs = None;
            }
        }
    }
}

/// The collector thread: every result of every worker arrives here, and every worker that
/// exits is reaped here, without holding up the others' results.
fn collect(
    shared: &Shared,
    mut receivers: IpcReceiverSet,
    routes: &HashMap<u64, (usize, usize)>,
    workers: usize,
    tasks_per_worker: usize,
) {
    // If this thread stops early (an error, a bug), every job still waiting must hear of it.
    let mut stopped = Stopped {
        shared,
        reason: Some("it panicked".into()),
    };
    let mut open = vec![tasks_per_worker; workers];
    let mut live_workers = workers;
    // Workers whose channels have closed, and when each is killed if it has not exited.
    let mut exiting: Vec<(usize, Instant)> = Vec::new();
    while live_workers > 0 || !exiting.is_empty() {
        let events = if live_workers == 0 {
            thread::sleep(REAP_INTERVAL);
            Vec::new()
        } else if exiting.is_empty() {
            match receivers.select() {
                Ok(events) => events,
                Err(error) => {
                    stopped.reason = Some(format!("select failed: {error}"));
                    return;
                }
            }
        } else {
            match receivers.try_select_timeout(REAP_INTERVAL) {
                Ok(events) => events,
                Err(TrySelectError::Empty) => Vec::new(),
                Err(TrySelectError::IoError(error)) => {
                    stopped.reason = Some(format!("select failed: {error}"));
                    return;
                }
            }
        };
        for event in events {
            match event {
                IpcSelectionResult::MessageReceived(id, message) => {
                    let (worker, task) = routes[&id];
                    match shared.tasks[task].read_result(message) {
                        Ok(results) => {
                            for (job, outcome) in results {
                                finish(shared, worker, job, outcome);
                            }
                        }
                        Err(error) => unreadable(shared, worker, task, &error),
                    }
                }
                IpcSelectionResult::ChannelClosed(id) => {
                    let (worker, _) = routes[&id];
                    open[worker] -= 1;
                    if open[worker] == 0 {
                        live_workers -= 1;
                        leaving(shared, worker);
                        exiting.push((worker, Instant::now() + EXIT_GRACE));
                    }
                }
            }
        }
        exiting.retain(|&(worker, deadline)| !reap(shared, worker, deadline));
    }
    stopped.reason = None;
}

/// Fails every job left, should the collector stop before the workers do.
struct Stopped<'a> {
    shared: &'a Shared,
    reason: Option<String>,
}

impl Drop for Stopped<'_> {
    fn drop(&mut self) {
        let Some(reason) = self.reason.take() else {
            return;
        };
        let mut state = self.shared.lock();
        state.broken = Some(reason.clone());
        let mut lost: Vec<(usize, Done)> = state
            .pending
            .drain(..)
            .map(|job| (job.task, job.done))
            .collect();
        for worker in &mut state.workers {
            lost.extend(worker.in_flight.drain(..).map(|job| (job.task, job.done)));
        }
        drop(state);
        for (task, done) in lost {
            let task = self.shared.task_name(task);
            done(Err(anyhow!(
                "task {task} was lost: the pool's result thread stopped ({reason})"
            )));
        }
    }
}

/// A worker reported the result of job `id`: complete the job and give the worker the next.
fn finish(shared: &Shared, worker: usize, id: u64, outcome: Outcome) {
    let mut state = shared.lock();
    let now = Instant::now();
    let slot = &mut state.workers[worker];
    // None when the job has failed already (its result message before was unreadable).
    let job = slot
        .in_flight
        .iter()
        .position(|job| job.id == id)
        .map(|position| slot.in_flight.remove(position));
    if let Some(job) = &job {
        // The job started when it was sent, or when the worker finished the one before it.
        let started = slot.last_result.map_or(job.sent, |last| last.max(job.sent));
        let quick = now.duration_since(started) < QUICK;
        let runs = &mut state.quick_runs[job.task];
        *runs = if quick { runs.saturating_add(1) } else { 0 };
    }
    state.workers[worker].last_result = Some(now);
    hand_out(shared, state, worker);
    if let Some(job) = job {
        (job.done)(outcome);
    }
}

/// Some of `worker`'s jobs were answered: it is idle if it holds no more, and pending jobs go
/// out; the `done`s of those whose send failed run once the lock is released.
fn hand_out(shared: &Shared, mut state: MutexGuard<'_, State>, worker: usize) {
    let clock = state.clock;
    let slot = &mut state.workers[worker];
    if slot.in_flight.is_empty() {
        slot.idle_since = clock;
    }
    let failed = dispatch(shared, &mut state);
    release_idle_workers(&mut state);
    drop(state);
    run_all(failed);
}

/// A result message of `task` from `worker` could not be read, so which of its jobs it answered
/// is unknown: every job of that task the worker holds fails (a result that still comes for
/// one of them finds no job and is dropped), and the worker takes new ones.
fn unreadable(shared: &Shared, worker: usize, task: usize, error: &anyhow::Error) {
    let mut state = shared.lock();
    let slot = &mut state.workers[worker];
    let (lost, kept): (Vec<InFlight>, Vec<InFlight>) =
        slot.in_flight.drain(..).partition(|job| job.task == task);
    slot.in_flight = kept;
    hand_out(shared, state, worker);
    let task = shared.task_name(task);
    for job in lost {
        (job.done)(Err(anyhow!(
            "a result of task {task} could not be read: {error:#}"
        )));
    }
}

/// A worker's channels all closed: it is exiting or dead. It takes no more jobs from now on.
fn leaving(shared: &Shared, worker: usize) {
    let mut state = shared.lock();
    let slot = &mut state.workers[worker];
    slot.alive = false;
    slot.jobs = None;
}

/// Reaps a leaving worker if it has exited, or kills it once `deadline` has passed; then fails
/// the job it was running. Returns whether the worker is reaped.
fn reap(shared: &Shared, worker: usize, deadline: Instant) -> bool {
    let mut state = shared.lock();
    let Some(process) = state.workers[worker].process.as_mut() else {
        return true;
    };
    let status = match process.exit_status() {
        Ok(Some(status)) => Ok(status),
        Ok(None) if Instant::now() < deadline => return false,
        // Past its grace period: SIGKILL ends it at once, so the wait is short.
        Ok(None) => process.kill().and_then(|()| process.wait()),
        Err(error) => Err(error),
    };
    let description = match status {
        Ok(status) => format!("{process} exited with {}", crate::process::describe(status)),
        Err(error) => format!("{process} could not be reaped: {error:#}"),
    };
    let lost: Vec<InFlight> = state.workers[worker].in_flight.drain(..).collect();
    let orphaned: Vec<Job> = if state.workers.iter().any(|worker| worker.alive) {
        Vec::new()
    } else {
        state.pending.drain(..).collect()
    };
    drop(state);

    for (position, job) in lost.into_iter().enumerate() {
        let task = shared.task_name(job.task);
        let when = if position == 0 {
            "while running"
        } else {
            "before it could run"
        };
        (job.done)(Err(anyhow!("{description} {when} task {task}")));
    }
    for job in orphaned {
        let task = shared.task_name(job.task);
        (job.done)(Err(anyhow!(
            "task {task} could not run: every worker of the pool has died ({description})"
        )));
    }
    true
}

/// Collects `map`'s chunks in order and completes its handle once all have arrived.
struct Gather<R> {
    chunks: Vec<Option<Vec<R>>>,
    missing: usize,
    slot: Option<Arc<Slot<Vec<R>>>>,
}

impl<R> Gather<R> {
    fn add(&mut self, index: usize, chunk: anyhow::Result<Vec<R>>) {
        let Some(slot) = &self.slot else {
            return; // an earlier chunk failed: the map has already failed
        };
        match chunk {
            Err(error) => {
                slot.fill(Err(error));
                self.slot = None;
            }
            Ok(chunk) => {
                self.chunks[index] = Some(chunk);
                self.missing -= 1;
                if self.missing == 0 {
                    let values = self.chunks.drain(..).flatten().flatten().collect();
                    slot.fill(Ok(values));
                    self.slot = None;
                }
            }
        }
    }
}

/// Where a job's outcome lands, and a condvar for whoever waits on it.
struct Slot<R> {
    outcome: Mutex<Option<anyhow::Result<R>>>,
    ready: Condvar,
    filled: std::sync::atomic::AtomicBool,
}

impl<R> Slot<R> {
    fn fill(&self, outcome: anyhow::Result<R>) {
        let mut slot = self.outcome.lock().unwrap_or_else(PoisonError::into_inner);
        *slot = Some(outcome);
        self.filled
            .store(true, std::sync::atomic::Ordering::Release);
        self.ready.notify_all();
    }
}

/// Python's `AsyncResult`: the handle of a job queued with `apply_async` or `map_async`.
pub struct AsyncResult<R> {
    slot: Arc<Slot<R>>,
}

impl<R> AsyncResult<R> {
    fn new() -> Self {
        Self {
            slot: Arc::new(Slot {
                outcome: Mutex::new(None),
                ready: Condvar::new(),
                filled: std::sync::atomic::AtomicBool::new(false),
            }),
        }
    }

    /// `ready()`: whether the job has finished (well or not).
    pub fn ready(&self) -> bool {
        self.slot.filled.load(std::sync::atomic::Ordering::Acquire)
    }

    /// `wait()`: blocks until the job has finished.
    pub fn wait(&self) {
        let slot = self
            .slot
            .outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let _filled = self
            .slot
            .ready
            .wait_while(slot, |outcome| outcome.is_none() && !self.ready())
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// `wait(timeout)`: blocks at most `timeout`; whether the job has finished.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let slot = self
            .slot
            .outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let _filled = self
            .slot
            .ready
            .wait_timeout_while(slot, timeout, |_| !self.ready())
            .unwrap_or_else(PoisonError::into_inner);
        self.ready()
    }

    /// `get()`: waits for the job and returns its result, or why it failed.
    pub fn get(self) -> anyhow::Result<R> {
        self.wait();
        self.take()
    }

    /// `get(timeout)`: as [`AsyncResult::get`], but an error if the job is not done in time.
    pub fn get_timeout(self, timeout: Duration) -> anyhow::Result<R> {
        if !self.wait_timeout(timeout) {
            bail!("the result was not ready within {timeout:?}");
        }
        self.take()
    }

    fn take(&self) -> anyhow::Result<R> {
        let mut slot = self
            .slot
            .outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.take()
            .unwrap_or_else(|| Err(anyhow!("the result was already taken")))
    }
}

impl<R> fmt::Debug for AsyncResult<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AsyncResult(ready: {})", self.ready())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A running pool's shared state with these workers and no process behind any.
    fn shared_with(tasks: &'static [&'static dyn AnyTask], workers: Vec<Worker>) -> Shared {
        Shared {
            state: Mutex::new(State {
                status: Status::Running,
                broken: None,
                next_id: 0,
                clock: workers.len() as u64,
                pending: VecDeque::new(),
                workers,
                quick_runs: vec![0; tasks.len()],
            }),
            tasks,
        }
    }

    /// A live worker slot with no process, idle since `idle_since` on the pool's clock.
    fn worker(jobs: Option<Vec<Option<OpaqueIpcSender>>>, idle_since: u64) -> Worker {
        Worker {
            process: None,
            jobs,
            in_flight: Vec::new(),
            alive: true,
            idle_since,
            last_result: None,
        }
    }

    #[test]
    fn the_default_chunk_size_is_pythons() {
        // multiprocessing.Pool._map_async: divmod(len, 4 * processes), rounded up.
        assert_eq!(default_chunk_size(10, 5), 1);
        assert_eq!(default_chunk_size(10_000, 2), 1250);
        assert_eq!(default_chunk_size(10_001, 2), 1251);
        assert_eq!(default_chunk_size(3, 8), 1);
        assert_eq!(default_chunk_size(0, 2), 0);
    }

    #[test]
    fn map_chunks_are_gathered_in_item_order_whatever_order_they_arrive_in() -> anyhow::Result<()> {
        let result = AsyncResult::<Vec<u32>>::new();
        let mut gather = Gather {
            chunks: vec![None, None, None],
            missing: 3,
            slot: Some(Arc::clone(&result.slot)),
        };
        gather.add(2, Ok(vec![5]));
        assert!(!result.ready());
        gather.add(0, Ok(vec![1, 2]));
        gather.add(1, Ok(vec![3, 4]));
        assert_eq!(result.get()?, [1, 2, 3, 4, 5]);
        Ok(())
    }

    #[test]
    fn a_result_thread_that_stops_fails_every_waiting_job_and_marks_the_pool_broken() {
        const SQUARE: Task<u32, u32> = Task::new("square", |n| Ok(n * n));
        const TASKS: &[&dyn AnyTask] = &[&SQUARE];
        let shared = shared_with(TASKS, Vec::new());
        let result = AsyncResult::<Vec<u32>>::new();
        let slot = Arc::clone(&result.slot);
        shared.lock().pending.push_back(Job {
            id: 0,
            task: 0,
            items: Box::new(vec![3_u32]),
            done: Box::new(move |outcome| slot.fill(outcome.and_then(downcast::<u32>))),
        });
        drop(Stopped {
            shared: &shared,
            reason: Some("select failed: on purpose".into()),
        });
        assert_eq!(
            result.get().unwrap_err().to_string(),
            "task square was lost: the pool's result thread stopped (select failed: on purpose)"
        );
        assert_eq!(
            shared.lock().broken.as_deref(),
            Some("select failed: on purpose")
        );
    }

    #[test]
    fn an_unreadable_result_fails_every_job_of_its_task_on_that_worker_and_no_other() {
        const SQUARE: Task<u32, u32> = Task::new("square", |n| Ok(n * n));
        const CUBE: Task<u32, u32> = Task::new("cube", |n| Ok(n * n * n));
        const TASKS: &[&dyn AnyTask] = &[&SQUARE, &CUBE];
        let results: Vec<AsyncResult<Vec<u32>>> = (0..3).map(|_| AsyncResult::new()).collect();
        let in_flight = results
            .iter()
            .zip([0, 0, 1])
            .enumerate()
            .map(|(id, (result, task))| {
                let slot = Arc::clone(&result.slot);
                InFlight {
                    id: id as u64,
                    task,
                    done: Box::new(move |outcome| slot.fill(outcome.and_then(downcast::<u32>))),
                    sent: Instant::now(),
                }
            })
            .collect();
        let shared = shared_with(
            TASKS,
            vec![Worker {
                in_flight,
                ..worker(None, 0)
            }],
        );
        unreadable(&shared, 0, 0, &anyhow!("bad bytes"));
        let mut results = results.into_iter();
        let cube = results.next_back().expect("three results");
        assert!(!cube.ready(), "the cube job is still the worker's");
        for result in results {
            assert_eq!(
                result.get().unwrap_err().to_string(),
                "a result of task square could not be read: bad bytes"
            );
        }
        // A late result of a job that has failed already finds nothing to complete.
        finish(&shared, 0, 1, Ok(Box::new(vec![4_u32])));
        finish(&shared, 0, 2, Ok(Box::new(vec![8_u32])));
        assert_eq!(cube.get().unwrap(), [8]);
    }

    #[test]
    fn a_worker_whose_channel_refused_a_job_gets_no_more_and_the_next_go_elsewhere()
    -> anyhow::Result<()> {
        const SQUARE: Task<u32, u32> = Task::new("square", |n| Ok(n * n));
        const TASKS: &[&dyn AnyTask] = &[&SQUARE];
        let channels = SQUARE.channels()?;
        // Worker 0, idle the longest, is asked first; its channel is gone.
        let shared = shared_with(
            TASKS,
            vec![
                worker(Some(vec![None]), 0),
                worker(Some(vec![Some(channels.jobs.0)]), 1),
            ],
        );
        let results: Vec<AsyncResult<Vec<u32>>> = (0..2).map(|_| AsyncResult::new()).collect();
        let mut state = shared.lock();
        for (id, result) in results.iter().enumerate() {
            let slot = Arc::clone(&result.slot);
            state.pending.push_back(Job {
                id: id as u64,
                task: 0,
                items: Box::new(vec![id as u32]),
                done: Box::new(move |outcome| slot.fill(outcome.and_then(downcast::<u32>))),
            });
        }
        let failed = dispatch(&shared, &mut state);
        assert!(state.workers[0].jobs.is_none(), "worker 0 is closed");
        assert_eq!(
            state.workers[1].in_flight.len(),
            1,
            "job 1 went to worker 1"
        );
        drop(state);
        assert_eq!(failed.len(), 1, "only job 0 failed");
        run_all(failed);
        let mut results = results.into_iter();
        let error = results.next().expect("two results").get().unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot send task square to a pool worker: the channel is closed"
        );
        assert!(!results.next().expect("two results").ready());
        Ok(())
    }

    #[test]
    fn a_pool_whose_workers_list_names_no_task_is_refused() {
        static NO_TASK: Workers = Workers::new("no_task", &[]);
        let error = Pool::new(&NO_TASK, 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the pool's Workers list no_task names no task"
        );
    }

    #[test]
    fn a_failed_chunk_fails_the_map_once() {
        let result = AsyncResult::<Vec<u32>>::new();
        let mut gather = Gather {
            chunks: vec![None, None],
            missing: 2,
            slot: Some(Arc::clone(&result.slot)),
        };
        gather.add(1, Err(anyhow!("task square panicked: boom")));
        gather.add(0, Ok(vec![1]));
        let error = result.get().unwrap_err();
        assert_eq!(error.to_string(), "task square panicked: boom");
    }
}
