//! Grading a program by its run: the learner's `main` runs in `grade`, recorded
//! (`EXAMPLES_TIMELINE=<file>`, scaled sleeps), and the trace and the output say whether it did
//! what the exercise asks. Only structure is judged (what overlapped, how many at once, which
//! thread or process, which lines in which order), never a duration.

use std::fmt::Write as _;

use shared::trace::{Span, Trace, lanes, most_at_once};

use crate::Verdict;

/// What a run left: its output and its timeline.
pub struct Run {
    pub stdout: String,
    pub trace: Trace,
}

/// Judges exercise `name`'s run.
pub fn judge(name: &str, run: &Run) -> Verdict {
    let judged = match name {
        "processes-overlap" => processes_overlap(run),
        "threads-overlap" => threads_overlap(run),
        "blocking-call" => blocking_call(run),
        "async-sleeps" => async_sleeps(run),
        "cpu-split" => cpu_split(run),
        "pool-order" => pool_order(run),
        other => Err(format!("no exercise {other} is graded by its run")),
    };
    match judged {
        Ok(what) => Verdict::pass(what),
        Err(why) => Verdict::fail(why),
    }
}

type Judged = Result<String, String>;

/// Two `sleep`s, each in a child process, at the same time.
fn processes_overlap(run: &Run) -> Judged {
    let sleeps = count(
        &run.trace,
        "sleep",
        2,
        "did both children run long_time_task?",
    )?;
    let parent = run.trace.main_pid();
    if sleeps.iter().any(|sleep| sleep.pid == parent) {
        return Err(drawn(
            "a sleep ran in the parent process: each task should run in a child process of its own",
            run,
            &sleeps,
        ));
    }
    overlapping(run, &sleeps, "the two children's sleeps")?;
    Ok("the two sleeps ran at the same time, in two child processes".into())
}

/// Two `sleep`s, each on a thread of its own, at the same time.
fn threads_overlap(run: &Run) -> Judged {
    let sleeps = count(
        &run.trace,
        "sleep",
        2,
        "did every thread finish before main returned? Rust ends the program with main",
    )?;
    if sleeps
        .iter()
        .any(|s| run.trace.lane_name(s.lane()) == "MainThread")
    {
        return Err(drawn(
            "a sleep ran on the main thread: each task should run on a thread of its own",
            run,
            &sleeps,
        ));
    }
    overlapping(run, &sleeps, "the two threads' sleeps")?;
    Ok("the two sleeps ran at the same time, on two threads".into())
}

/// The ticker's sleeps go on ending while the blocking call runs.
fn blocking_call(run: &Run) -> Judged {
    let sleeps = run.trace.named("sleep");
    let is_blocking =
        |span: &&Span| span.arg("secs").and_then(|s| s.parse::<f64>().ok()) == Some(1.0);
    let Some(blocking) = sleeps.iter().copied().find(is_blocking) else {
        return Err("no 1-second sleep: did slow_io run?".into());
    };
    let ticks: Vec<&Span> = sleeps.iter().copied().filter(|s| !is_blocking(s)).collect();
    if ticks.len() != 4 {
        return Err(format!("4 ticks expected, found {}", ticks.len()));
    }
    let ended_inside = ticks
        .iter()
        .filter(|tick| blocking.start < tick.end && tick.end < blocking.end)
        .count();
    if ended_inside == 0 {
        let mut spans = ticks.clone();
        spans.push(blocking);
        return Err(drawn(
            "no tick ended while the blocking call ran: it held the event loop's only thread",
            run,
            &spans,
        ));
    }
    Ok(format!(
        "{ended_inside} tick(s) ended while the blocking call ran"
    ))
}

/// Ten `sleep`s at once, on one thread.
fn async_sleeps(run: &Run) -> Judged {
    let sleeps = count(&run.trace, "sleep", 10, "did all ten tasks run?")?;
    let threads = lanes(&sleeps);
    if threads != 1 {
        return Err(drawn(
            &format!("the sleeps ran on {threads} threads: asyncio's are on the event loop's one"),
            run,
            &sleeps,
        ));
    }
    match most_at_once(&sleeps) {
        10 => Ok("ten sleeps at once, on one thread".into()),
        most => Err(drawn(
            &format!("at most {most} at once: the ten sleeps should all wait together"),
            run,
            &sleeps,
        )),
    }
}

/// The right sum, from pieces of work that overlapped on two threads or more.
fn cpu_split(run: &Run) -> Judged {
    lines(run, &["sum = 199999990000000"])?;
    let pieces = run.trace.named("cpu");
    if lanes(&pieces) < 2 || most_at_once(&pieces) < 2 {
        return Err(drawn(
            &format!(
                "the work ran in {} piece(s) on {} thread(s), and never overlapped",
                pieces.len(),
                lanes(&pieces)
            ),
            run,
            &pieces,
        ));
    }
    Ok(format!(
        "the sum is right, and {} pieces overlapped",
        most_at_once(&pieces)
    ))
}

/// The results in submission order, from tasks that ran side by side.
fn pool_order(run: &Run) -> Judged {
    let expected: Vec<String> = (1..=5_u64)
        .map(|n| format!("square({n}) = {}", n * n))
        .collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    lines(run, &expected)?;
    let tasks = run.trace.named("task");
    match most_at_once(&tasks) {
        0 | 1 => Err(drawn(
            "the pool ran one task at a time: submit them all before waiting for a result",
            run,
            &tasks,
        )),
        most => Ok(format!("in submission order, with {most} tasks at once")),
    }
}

/// The spans called `name`, which must be `expected` many.
fn count<'t>(
    trace: &'t Trace,
    name: &str,
    expected: usize,
    hint: &str,
) -> Result<Vec<&'t Span>, String> {
    let spans = trace.named(name);
    if spans.len() == expected {
        Ok(spans)
    } else {
        Err(format!(
            "{expected} {name}s expected, the run recorded {}: {hint}",
            spans.len()
        ))
    }
}

/// Fails unless every span overlaps every other.
fn overlapping(run: &Run, spans: &[&Span], what: &str) -> Result<(), String> {
    if most_at_once(spans) == spans.len() {
        Ok(())
    } else {
        Err(drawn(
            &format!("{what} never overlapped: one ran after the other"),
            run,
            spans,
        ))
    }
}

/// Fails unless the output's lines are `expected`, naming the first that differs.
fn lines(run: &Run, expected: &[&str]) -> Result<(), String> {
    let got: Vec<&str> = run.stdout.lines().collect();
    for (number, want) in expected.iter().enumerate() {
        let line = got.get(number).copied();
        if line != Some(*want) {
            return Err(format!(
                "line {} differs: expected `{want}`, got {}\n\nthe output:\n{}",
                number + 1,
                line.map_or("no line".to_owned(), |line| format!("`{line}`")),
                run.stdout.trim_end()
            ));
        }
    }
    if got.len() > expected.len() {
        return Err(format!(
            "{} lines expected, got {}:\n{}",
            expected.len(),
            got.len(),
            run.stdout
        ));
    }
    Ok(())
}

/// `why`, and the spans drawn: a row per thread or process, `█` while a span was open.
fn drawn(why: &str, run: &Run, spans: &[&Span]) -> String {
    const WIDTH: usize = 60;
    let mut picture = format!("{why}\n\nwhen they ran (one row per thread or process):\n");
    let Some(start) = spans.iter().map(|s| s.start).min_by(f64::total_cmp) else {
        return picture + "(nothing was recorded)";
    };
    let end = spans
        .iter()
        .map(|s| s.end)
        .max_by(f64::total_cmp)
        .unwrap_or(start);
    let scale = (end - start).max(1.0) / WIDTH as f64;
    let mut rows: Vec<(u32, u64)> = spans.iter().map(|s| s.lane()).collect();
    rows.sort_unstable();
    rows.dedup();
    for row in rows {
        let mut cells = vec![' '; WIDTH];
        for span in spans.iter().filter(|s| s.lane() == row) {
            let from = ((span.start - start) / scale) as usize;
            let to = (((span.end - start) / scale).ceil() as usize).clamp(from + 1, WIDTH);
            cells[from.min(WIDTH - 1)..to].fill('█');
        }
        let name = match run.trace.lane_name(row) {
            "" => format!("pid {}", row.0),
            name if name.contains("(pid ") => name.to_owned(),
            name => format!("{name} (pid {})", row.0),
        };
        let _ = writeln!(
            picture,
            "{name:>28} |{}|",
            cells.into_iter().collect::<String>()
        );
    }
    picture.trim_end().to_owned()
}
