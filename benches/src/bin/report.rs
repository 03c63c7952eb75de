//! Runs both sides of every benchmark, then writes `BENCHMARKS.md` and `benches/chart.svg`.
//!
//! Run: `cargo run --release -p benches --bin report` (about five minutes once built;
//! `-- --quick` for a smoke run of about a minute and a half whose numbers mean little).
//!
//! 1. Notes the machine (CPU, cores, kernel, rustc, python, load average), builds the benches,
//!    then measures how busy the CPU is for two seconds, to tell a quiet run from a noisy one.
//! 2. Runs the criterion benches of `cargo bench -p benches` and reads each median from
//!    `target/criterion/<group>/<name>/new/estimates.json`, refusing files older than the run;
//!    then the task queue bench, which prints its medians as one JSON line.
//! 3. Runs each script in `benches/python/` and reads the JSON object it prints last; the I/O
//!    script gets the URL of a loopback server started here with the benches' 50 ms delay,
//!    the Celery script that of a `redis-server` started here.
//! 4. Checks that every figure is there (Celery's may be missing), checks the goals, draws the
//!    chart, writes the report.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use anyhow::{Context as _, bail, ensure};
use benches::chart::{self, ChartRow, ChartSection};
use benches::goals;
use benches::machine::Machine;
use benches::markdown::{self, Report};
use benches::results::{Median, Results, parse_python, read_criterion};
use benches::workloads::{
    CRITERION_BENCHES, PYTHON_SCRIPTS, REQUEST_SECS, SECTIONS, from_criterion, optional,
};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Runs the Rust and CPython benchmarks and writes BENCHMARKS.md")]
struct Args {
    /// One short sample per benchmark and one batch per CPython figure: checks the pipeline.
    #[arg(long)]
    quick: bool,
    /// Do not run `cargo bench`: use the criterion results already in target/criterion.
    #[arg(long)]
    skip_cargo_bench: bool,
}

const CHART: &str = "benches/chart.svg";
const BUSY_PERIOD: Duration = Duration::from_secs(2);

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();
    ensure!(
        std::env::var_os("EXAMPLES_TIME_SCALE").is_none(),
        "unset EXAMPLES_TIME_SCALE: it would scale the loopback server's 50 ms delay"
    );
    let root = tests::workspace();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let mut machine = Machine::describe(&python);
    let started = SystemTime::now();

    let quick: &[&str] = if args.quick { &["--", "--quick"] } else { &[] };
    let criterion_benches: Vec<&str> = CRITERION_BENCHES
        .iter()
        .flat_map(|bench| ["--bench", bench])
        .collect();
    if args.skip_cargo_bench {
        machine.measure_busy(BUSY_PERIOD);
    } else {
        cargo_bench(root, &["--benches", "--no-run"])?;
        // Built, and not yet running: whatever uses the CPU now is someone else's.
        machine.measure_busy(BUSY_PERIOD);
        cargo_bench(root, &[&criterion_benches[..], quick].concat())?;
    }
    let mut results = Results::default();
    let criterion = target_dir(root).join("criterion");
    let not_before = (!args.skip_cargo_bench).then_some(started);
    let rust_ids = || {
        SECTIONS
            .iter()
            .flat_map(|section| section.rows)
            .filter_map(|row| row.rust)
    };
    for id in rust_ids().filter(|id| from_criterion(id)) {
        results
            .rust
            .insert(id.to_owned(), read_criterion(&criterion, id, not_before)?);
    }
    if !args.skip_cargo_bench {
        for (id, secs) in task_queue_bench(root, quick)? {
            results.rust.insert(id, Median::exact(secs));
        }
    }
    for script in PYTHON_SCRIPTS {
        results
            .python
            .extend(run_python(&python, root, script, args.quick)?);
    }
    for id in rust_ids() {
        ensure!(
            results.rust.contains_key(id) || args.skip_cargo_bench,
            "no Rust figure for {id}"
        );
    }
    let python_ids = SECTIONS
        .iter()
        .flat_map(|section| section.rows)
        .filter_map(|row| row.python);
    for id in python_ids {
        ensure!(
            results.python.contains_key(id) || optional(id),
            "no CPython figure for {id}"
        );
    }

    let goals = goals::check(&results, &machine)?;
    chart::draw(
        &root.join(CHART),
        &chart_caption(&machine, args.quick),
        &chart_sections(&results),
    )?;
    let report = markdown::render(&Report {
        machine: &machine,
        results: &results,
        goals: &goals,
        quick: args.quick,
        reused_rust: args.skip_cargo_bench,
        chart: CHART,
    })?;
    std::fs::write(root.join("BENCHMARKS.md"), report)?;

    for goal in &goals {
        let verdict = if goal.met { "met   " } else { "MISSED" };
        println!("{verdict} {}: {}", goal.goal, goal.measured);
    }
    println!("wrote BENCHMARKS.md and {CHART}");
    Ok(())
}

fn cargo_bench(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["bench", "-p", "benches"])
        .args(args);
    eprintln!("report: running {command:?}");
    let status = command.status().context("running cargo bench")?;
    ensure!(status.success(), "cargo bench failed: {status}");
    Ok(())
}

/// The task queue bench: a run of 10,000 takes seconds, so it prints medians of a few runs.
fn task_queue_bench(
    root: &Path,
    quick: &[&str],
) -> anyhow::Result<std::collections::BTreeMap<String, f64>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["bench", "-p", "benches", "--bench", "task_queue"])
        .args(quick);
    eprintln!("report: running {command:?}");
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo bench")?;
    ensure!(
        output.status.success(),
        "the task queue bench failed: {}",
        output.status
    );
    parse_python(&String::from_utf8_lossy(&output.stdout)).context("reading the task queue bench")
}

/// Where cargo builds, and so where criterion writes: `CARGO_TARGET_DIR`, or `target/`.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Runs one CPython script (its progress goes to our stderr) and reads its figures.
fn run_python(
    python: &str,
    root: &Path,
    script: &str,
    quick: bool,
) -> anyhow::Result<std::collections::BTreeMap<String, f64>> {
    let mut command = Command::new(python);
    command
        .current_dir(root)
        .arg(Path::new("benches/python").join(script));
    // The I/O script requests from the same kind of server as `io.rs`, kept alive until it ends.
    let server = if script == "io.py" {
        let server = shared::http::Server::builder()
            .delay_secs(REQUEST_SECS)
            .start()?;
        command.arg(server.url(""));
        Some(server)
    } else {
        None
    };
    // Celery gets a Redis of its own, started as the task queue bench starts its own.
    let redis = (script == "celery_queue.py").then(tests::redis::RedisServer::start);
    if let Some(redis) = &redis {
        command.arg(redis.url());
    }
    if quick {
        command.arg("--quick");
    }
    eprintln!("report: running {command:?}");
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {python} (set PYTHON to another interpreter)"))?;
    if !output.status.success() {
        bail!("{script} failed: {}", output.status);
    }
    if let Some(server) = server {
        eprintln!(
            "report: {script}: at most {} requests in flight at once",
            server.max_in_flight()
        );
    }
    parse_python(&String::from_utf8_lossy(&output.stdout))
        .with_context(|| format!("reading the output of {script}"))
}

fn chart_caption(machine: &Machine, quick: bool) -> String {
    format!(
        "Rust and CPython on the tutorial's workloads ({} cores, {}{})",
        machine.cores,
        machine.date,
        if quick { ", SMOKE RUN" } else { "" }
    )
}

fn chart_sections(results: &Results) -> Vec<ChartSection> {
    SECTIONS
        .iter()
        .map(|section| ChartSection {
            title: section.short.to_owned(),
            rows: section
                .rows
                .iter()
                .map(|row| ChartRow {
                    label: row.label.to_owned(),
                    rust: row
                        .rust
                        .and_then(|id| results.rust.get(id))
                        .map(|median| median.secs),
                    python: row.python.and_then(|id| results.python.get(id).copied()),
                })
                .collect(),
            marker: section.marker.map(|(secs, label)| (secs, label.to_owned())),
        })
        .collect()
}
