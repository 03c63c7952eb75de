//! The tasks: what Celery's `@app.task` functions are, as one apalis handler.

use std::fmt;

use apalis::prelude::{AbortError, Attempt, BoxDynError};
use serde::{Deserialize, Serialize};

/// How many times a task is tried before it is reported as failed: the first run and two
/// retries, whether a run returned an error, panicked or died with its worker.
pub const MAX_ATTEMPTS: usize = 3;

/// One task on the queue. Functions cannot travel to another machine, so a task is data that
/// names what to run, as Celery's message names its task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// 004 › 进程池: `square(num)`, which sleeps up to 3 s first.
    Square(u64),
    /// 002 › 多进程: one chunk of `countdown(COUNT)`; CPU work, never paced.
    Countdown(u64),
    /// `--fail-tasks`: returns an error on every attempt.
    Fails,
    /// `--fail-tasks`: panics on every attempt.
    Panics,
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Job::Square(num) => write!(f, "square({num})"),
            Job::Countdown(n) => write!(f, "countdown({n})"),
            Job::Fails => write!(f, "fails()"),
            Job::Panics => write!(f, "panics()"),
        }
    }
}

/// The handler every worker runs: apalis hands it the job and this run's attempt number.
pub async fn run(job: Job, attempt: Attempt) -> Result<u64, BoxDynError> {
    let pid = std::process::id();
    // Held across the awaits, never entered: on a timeline, this `task` spans the whole run.
    let _task = tracing::info_span!("task", name = %job);
    let of = match attempt.current() {
        1 => String::new(),
        n => format!("（第 {n} 次尝试，共 {MAX_ATTEMPTS} 次）"),
    };
    println!("进程id：{pid}启动 ({job}){of}");
    let seconds = rand::random::<f64>() * 3.0;
    // CPU work and panics belong on a blocking thread: the runtime's threads keep the
    // worker's heartbeat going, and a panic there comes back as an error, not a dead worker.
    let work = job.clone();
    let outcome = tokio::task::spawn_blocking(move || work.compute(seconds)).await;
    let result = match outcome {
        Ok(result) => result,
        Err(join_error) => Err(panic_message(join_error)),
    };
    match result {
        Ok(value) => {
            println!("进程id：{pid}执行完毕 ({job} = {value})");
            Ok(value)
        }
        Err(error) => {
            println!("进程id：{pid}失败 ({job}): {error}{of}");
            // Redis' backend would reschedule a plain error 25 times; an abort is final for both.
            if attempt.current() >= MAX_ATTEMPTS {
                return Err(AbortError::new(error).into());
            }
            Err(error.into())
        }
    }
}

impl Job {
    fn compute(&self, seconds: f64) -> Result<u64, String> {
        match *self {
            Job::Square(num) => {
                shared::pace::sleep_secs(seconds);
                Ok(num * num)
            }
            Job::Countdown(n) => Ok(countdown(n)),
            Job::Fails => Err("这个任务总是失败".to_owned()),
            Job::Panics => panic!("这个任务总是 panic"),
        }
    }
}

/// The tutorial's `while n > 0: n -= 1`; returns how far it counted.
fn countdown(n: u64) -> u64 {
    let mut left = n;
    while std::hint::black_box(left) > 0 {
        left -= 1;
    }
    n
}

fn panic_message(error: tokio::task::JoinError) -> String {
    match error.try_into_panic() {
        Ok(payload) => payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .map_or_else(|| "panic 了".to_owned(), |text| format!("panic 了：{text}")),
        Err(error) => error.to_string(),
    }
}
