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
    ])
}

fn pool(results: &Results) -> anyhow::Result<Goal> {
    let rust = results.rust("pool_map/chunk_size_1")?.secs;
    let python = results.python("pool_map/chunk_size_1")?;
    let speedup = python / rust;
    let met = speedup >= 3.0;
    let why = if met {
        format!(
            "10,000 one-item tasks of `x + 1` cost {} each in Rust, {} in CPython: once the \
             first results show the task is quick, the pool sends jobs ahead in batches, so a \
             worker finds its next jobs waiting instead of waiting a round trip for each. \
             CPython's workers take theirs from a shared queue that already holds them.",
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
