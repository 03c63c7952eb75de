//! The book's timeline pictures, from real runs: `cargo run -p benches --bin timelines`.
//!
//! Builds the examples, runs each picture's example with `EXAMPLES_TIMELINE=<file>` at a time
//! scale of 0.5 (`--scale` to change it), and draws its trace as an SVG in
//! `book/assets/timelines/` (`--out` for another folder). The runs are real, so the pictures
//! differ a little each time; `tests/tests/suite/timelines.rs` checks that each committed
//! picture still has the lanes a fresh run draws.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, ensure};

/// The book's timeline pictures, drawn from real runs.
#[derive(clap::Parser)]
struct Args {
    /// Where the pictures go.
    #[arg(long)]
    out: Option<PathBuf>,
    /// EXAMPLES_TIME_SCALE for the runs.
    #[arg(long, default_value_t = 0.5)]
    scale: f64,
    /// Use the example binaries already built next to this one.
    #[arg(long)]
    no_build: bool,
}

/// Each picture: its file (the binary, with a suffix for a variant), the example and its
/// arguments, and its title. The book shows each on its example's page.
const PICTURES: &[(&str, &str, &[&str], &str)] = &[
    (
        "gil_decrement",
        "gil_decrement",
        &[],
        "gil_decrement: no GIL, two threads count at once",
    ),
    (
        "gil_simulated",
        "gil_simulated",
        &[],
        "gil_simulated: under a GIL, the two threads take turns",
    ),
    (
        "pool_apply_async",
        "pool_apply_async",
        &[],
        "pool_apply_async: ten tasks on five workers, at most five at once",
    ),
    (
        "pool_apply",
        "pool_apply",
        &[],
        "pool_apply: the same ten tasks, one at a time",
    ),
    (
        "dummy_pool",
        "dummy_pool",
        &[],
        "dummy_pool: three fetches on a thread pool, side by side",
    ),
    (
        "process_long_time_task",
        "process_long_time_task",
        &[],
        "process_long_time_task: two processes sleep side by side",
    ),
    (
        "pool_cpu_count",
        "pool_cpu_count",
        &[],
        "pool_cpu_count: five tasks on four workers, two rounds",
    ),
    (
        "thread_long_time_task",
        "thread_long_time_task",
        &[],
        "thread_long_time_task: two threads sleep side by side (2 s, not 4 s)",
    ),
    (
        "event_traffic_light",
        "event_traffic_light",
        &[],
        "event_traffic_light: cars wait only while the light is red",
    ),
    (
        "countdown",
        "countdown",
        &[],
        "countdown: one thread, then two threads with half the count each",
    ),
    (
        "semaphore",
        "semaphore",
        &[],
        "semaphore: never more than three inside",
    ),
    (
        "barrier",
        "barrier",
        &[],
        "barrier: every phase 1 ends before any phase 2",
    ),
    (
        "queue_pids",
        "queue_pids",
        &[],
        "queue_pids: the children sleep side by side",
    ),
    (
        "pool_countdown",
        "pool_countdown",
        &[],
        "pool_countdown: the countdown split over two worker processes",
    ),
    (
        "thread_crawler",
        "thread_crawler",
        &[],
        "thread_crawler: ten workers fetch pages side by side",
    ),
    (
        "gather_tasks",
        "gather_tasks",
        &[],
        "gather_tasks: ten tasks on one thread, their sleeps at once",
    ),
    (
        "speak_async",
        "speak_async",
        &[],
        "speak_async: two speakers await their sleeps on one thread, at once",
    ),
    (
        "speak_async-blocking",
        "speak_async",
        &["--blocking"],
        "speak_async --blocking: a blocking sleep holds the thread, one speaker after the other",
    ),
    (
        "threadpool_hello",
        "threadpool_hello",
        &[],
        "threadpool_hello: four 2 s sleeps on a pool of ten threads take 2 s",
    ),
    (
        "pool_square",
        "pool_square",
        &["--processes", "4"],
        "pool_square --processes 4: ten squares, four at a time",
    ),
    (
        "pool_square-get-in-loop",
        "pool_square",
        &["--processes", "4", "--get-in-loop"],
        "pool_square --processes 4 --get-in-loop: get in the loop, one square at a time",
    ),
    (
        "gil_sum",
        "gil_sum",
        &[],
        "gil_sum: one thread sums four million numbers, then four threads a million each, at once",
    ),
    (
        "compare_calculate",
        "compare_calculate",
        &[],
        "compare_calculate: one thread, two processes, two threads",
    ),
];

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();
    let root = tests::workspace();
    let out = args
        .out
        .unwrap_or_else(|| root.join("book").join("assets").join("timelines"));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    if !args.no_build {
        build_examples(root)?;
    }
    let here = std::env::current_exe()?;
    let binaries = here.parent().context("no folder around this binary")?;
    for &(file, example, example_args, title) in PICTURES {
        let trace_file = out.join(format!("{file}.json"));
        let status = Command::new(binaries.join(example))
            .args(example_args)
            .env("EXAMPLES_TIMELINE", &trace_file)
            .env("EXAMPLES_TIME_SCALE", args.scale.to_string())
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .status()
            .with_context(|| format!("running {example}"))?;
        ensure!(status.success(), "{example} failed: {status}");
        let trace: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&trace_file)?)?;
        std::fs::remove_file(&trace_file)?;
        let picture = out.join(format!("{file}.svg"));
        benches::timeline_svg::draw(&picture, title, &trace)?;
        println!("wrote {}", picture.display());
    }
    Ok(())
}

/// The examples, in the profile this binary was built in.
fn build_examples(root: &Path) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .args([
            "build",
            "--quiet",
            "-p",
            "examples-threads",
            "-p",
            "examples-processes",
            "-p",
            "examples-sync",
            "-p",
            "examples-async",
        ])
        .current_dir(root);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    let status = command.status().context("running cargo build")?;
    ensure!(status.success(), "cargo build failed: {status}");
    Ok(())
}
