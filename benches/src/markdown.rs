//! `BENCHMARKS.md`: the machine, the goals, the chart, then every workload's medians and ratios.

use std::fmt::Write as _;

use crate::format::{duration, percent, rate, ratio, versus};
use crate::goals::Goal;
use crate::machine::Machine;
use crate::results::Results;
use crate::workloads::{SECTIONS, Section};

pub struct Report<'a> {
    pub machine: &'a Machine,
    pub results: &'a Results,
    pub goals: &'a [Goal],
    /// A `--quick` run: one short sample each, only good for checking the pipeline.
    pub quick: bool,
    /// The Rust figures came from an earlier `cargo bench` (`--skip-cargo-bench`).
    pub reused_rust: bool,
    /// The chart, relative to the report.
    pub chart: &'a str,
}

/// The command that writes the report, as the report tells it.
pub const COMMAND: &str = "cargo run --release -p benches --bin report";

pub fn render(report: &Report<'_>) -> anyhow::Result<String> {
    let mut out = String::new();
    let machine = report.machine;
    writeln!(
        out,
        "# Benchmarks: the tutorial's workloads in Rust and in CPython\n"
    )?;
    if report.quick {
        writeln!(
            out,
            "> **Smoke run (`--quick`).** One short sample per benchmark and one batch per \
             CPython figure, taken to check that the pipeline works, possibly while other \
             builds were running. These numbers are not the measurements: the full run \
             (`{COMMAND}`) replaces them.\n"
        )?;
    }
    if report.reused_rust {
        writeln!(
            out,
            "> The Rust figures come from an earlier `cargo bench` (`--skip-cargo-bench`), not \
             from this sitting.\n"
        )?;
    }
    if machine.was_busy() {
        writeln!(
            out,
            "> **The machine was busy** when the benches started ({} of its CPU time in use): \
             other work shared the cores, which shows first in the parallel speedups and the \
             simulated GIL. Rerun on a quiet machine before trusting those.\n",
            machine.busy_text()
        )?;
    }
    writeln!(
        out,
        "Written by `{COMMAND}` on {}. Every figure is a median time per run: Rust's from \
         criterion (`cargo bench -p benches`, release build), CPython's from the scripts in \
         `benches/python/` (the median of several batches), on the same machine in one \
         sitting. Compare ratios more than absolute times.\n",
        machine.date
    )?;
    writeln!(out, "## Machine\n")?;
    writeln!(out, "| | |\n|---|---|")?;
    writeln!(out, "| CPU | {} |", machine.cpu)?;
    writeln!(out, "| cores available | {} |", machine.cores)?;
    writeln!(out, "| kernel | Linux {} |", machine.kernel)?;
    writeln!(out, "| Rust | {} |", machine.rustc)?;
    writeln!(out, "| CPython | {} |", machine.python)?;
    writeln!(
        out,
        "| load average at the start (1, 5, 15 min) | {} |",
        machine.load
    )?;
    writeln!(
        out,
        "| CPU in use just before the benches | {} |\n",
        machine.busy_text()
    )?;

    writeln!(out, "## Goals\n")?;
    writeln!(out, "| goal | measured | |\n|---|---|---|")?;
    for goal in report.goals {
        let verdict = if goal.met { "met" } else { "**missed**" };
        writeln!(out, "| {} | {} | {verdict} |", goal.goal, goal.measured)?;
    }
    writeln!(out)?;
    for goal in report.goals {
        writeln!(out, "- *{}*: {}", goal.goal, goal.why)?;
    }
    writeln!(out)?;

    writeln!(out, "## The chart\n")?;
    writeln!(
        out,
        "![Median time per run, Rust and CPython, per workload, on a log scale]({})\n",
        report.chart
    )?;

    for section in SECTIONS {
        write_section(&mut out, section, report.results)?;
    }

    writeln!(out, "## Run it yourself\n")?;
    writeln!(
        out,
        "`{COMMAND}` builds the benches, runs `cargo bench -p benches` and the CPython \
         scripts (`python3`, standard library only, but for Celery's; set `PYTHON` to use \
         another, such as a virtual environment with `pip install \"celery[redis]\"`), and \
         rewrites this file and `benches/chart.svg`. The task queue rows need `redis-server` \
         (the book's introduction, book/en/introduction.md). Once the benches are built it \
         takes about ten minutes (a minute of which is 100 sequential requests, ten times \
         over, and three the task queues, Celery's runs of 10,000 tasks the longest); run it \
         on a quiet machine, since other work on the cores shows up first in the parallel \
         speedups. `--quick` runs everything once, briefly, to check the pipeline. One side \
         alone: `cargo bench -p benches [--bench countdown]`, `python3 benches/python/countdown.py`. Criterion keeps every \
         benchmark's confidence intervals in `target/criterion/`."
    )?;
    Ok(out)
}

fn write_section(out: &mut String, section: &Section, results: &Results) -> anyhow::Result<()> {
    writeln!(out, "## {}\n\n{}\n", section.title, section.intro)?;
    writeln!(out, "| run | Rust | CPython | |\n|---|--:|--:|---|")?;
    let rust = |id: &str| results.rust.get(id).map(|median| median.secs);
    let python = |id: &str| results.python.get(id).copied();
    let cell = |secs: Option<f64>| secs.map_or_else(|| "—".to_owned(), duration);
    for row in section.rows {
        let rust = row.rust.and_then(rust);
        let python = row.python.and_then(python);
        let versus = match (rust, python) {
            (Some(rust), Some(python)) => versus(rust, python),
            _ => String::new(),
        };
        writeln!(
            out,
            "| {} | {} | {} | {versus} |",
            row.label,
            cell(rust),
            cell(python)
        )?;
    }
    writeln!(out)?;
    if !section.per_task.is_empty() {
        writeln!(
            out,
            "| per task | Rust | CPython | Rust, tasks/s | CPython, tasks/s |\n\
             |---|--:|--:|--:|--:|"
        )?;
        let rate = |secs: Option<f64>, tasks: f64| {
            secs.map_or_else(|| "—".to_owned(), |secs| rate(tasks / secs))
        };
        for run in section.per_task {
            let (rust, python) = (rust(run.id), python(run.id));
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                run.label,
                cell(rust.map(|secs| secs / run.tasks)),
                cell(python.map(|secs| secs / run.tasks)),
                rate(rust, run.tasks),
                rate(python, run.tasks)
            )?;
        }
        writeln!(out)?;
    }
    if !section.idle.is_empty() {
        writeln!(
            out,
            "| idle: CPU, share of a core | Rust | CPython |\n|---|--:|--:|"
        )?;
        let cell = |share: Option<f64>| share.map_or_else(|| "—".to_owned(), percent);
        for each in section.idle {
            let rust = results.rust.get(each.id).map(|median| median.secs);
            let python = results.python.get(each.id).copied();
            writeln!(
                out,
                "| {} | {} | {} |",
                each.label,
                cell(rust),
                cell(python)
            )?;
        }
        writeln!(out)?;
    }
    if !section.ratios.is_empty() {
        writeln!(out, "| ratio of times | Rust | CPython |\n|---|--:|--:|")?;
        for each in section.ratios {
            let rust = each.value(|id| results.rust.get(id).map(|median| median.secs));
            let python = each.value(|id| results.python.get(id).copied());
            let cell = |value: Option<f64>| value.map_or_else(|| "—".to_owned(), ratio);
            writeln!(out, "| {} | {} | {} |", each.name, cell(rust), cell(python))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
