//! The README's timeline pictures, from real runs: `cargo run -p benches --bin timelines`.
//!
//! Builds the examples, runs each picture's example with `EXAMPLES_TIMELINE=<file>` at a time
//! scale of 0.5 (`--scale` to change it), and draws its trace as an SVG in `benches/timelines/`
//! (`--out` for another folder). The runs are real, so the pictures differ a little each time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, ensure};

/// The README's timeline pictures, drawn from real runs.
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

/// Each picture: its file, the example and its arguments, and its title.
const PICTURES: [(&str, &str, &[&str], &str); 5] = [
    (
        "thread_long_time_task",
        "thread_long_time_task",
        &[],
        "thread_long_time_task: two threads sleep side by side (2 s, not 4 s)",
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
];

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();
    let root = tests::workspace();
    let out = args
        .out
        .unwrap_or_else(|| root.join("benches").join("timelines"));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    if !args.no_build {
        build_examples(root)?;
    }
    let here = std::env::current_exe()?;
    let binaries = here.parent().context("no folder around this binary")?;
    for (file, example, example_args, title) in PICTURES {
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
        ])
        .current_dir(root);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    let status = command.status().context("running cargo build")?;
    ensure!(status.success(), "cargo build failed: {status}");
    Ok(())
}
