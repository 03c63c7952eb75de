//! Timelines: when each thread, process and task of a run was busy.
//!
//! `EXAMPLES_TIMELINE=1` prints a chart on stderr once the example ends; a path
//! (`EXAMPLES_TIMELINE=trace.json`) writes a Chrome trace-event file instead, which
//! <https://ui.perfetto.dev> and `chrome://tracing` open. Unset, nothing is installed.
//!
//! How: [`init`] (from [`crate::cli`]) runs the example again as its own child, with a pipe
//! every process of the run inherits as a sink ([`multiprocessing::plumbing::trace`]), and waits. Each
//! process writes a record per closed `tracing` span, stamped with `CLOCK_MONOTONIC`, which all
//! processes of a machine share: that is how a child's spans land on the parent's axis. When
//! the example has ended, the records make the chart or the file.
//!
//! Span names the chart, the tests and other tools rely on: `sleep` (a paced sleep,
//! [`crate::pace`]), `task` (a pool task, field `name`), `gil` (a GIL hold), `cpu` (marked CPU
//! work, field `work`), `wait` (a blocking wait, field `on`); `process` records a child's life.
//! A `task` field on a span (or an ancestor) puts it in that async task's lane.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, IsTerminal as _};
use std::os::fd::{AsFd, AsRawFd as _};
use std::process::{Command, ExitStatus};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use multiprocessing::plumbing::trace::{Record, SINK_VAR};

/// The environment variable that turns timelines on.
pub const TIMELINE_VAR: &str = "EXAMPLES_TIMELINE";
/// Set in the example's own process, under the wrapper that records it.
const INNER_VAR: &str = "EXAMPLES_TIMELINE_INNER";
/// A pipe whose end the wrapper holds: the example ends when the wrapper does.
const LIFELINE_VAR: &str = "EXAMPLES_TIMELINE_LIFELINE";

/// Where a timeline goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Output {
    /// A chart on stderr.
    Chart,
    /// A Chrome trace-event file at this path.
    Trace(std::path::PathBuf),
}

/// Reads [`TIMELINE_VAR`]: `None` when unset, empty or `0`. A path that cannot be written is an
/// error, reported before anything runs.
pub fn parse(raw: Option<&OsStr>) -> Result<Option<Output>, String> {
    let Some(raw) = raw.filter(|raw| !raw.is_empty() && *raw != "0") else {
        return Ok(None);
    };
    if raw == "1" {
        return Ok(Some(Output::Chart));
    }
    let path = std::path::PathBuf::from(raw);
    std::fs::File::create(&path).map_err(|error| {
        format!(
            "{TIMELINE_VAR}={} cannot be written: {error} (use 1 for a chart, or a file path)",
            path.display()
        )
    })?;
    Ok(Some(Output::Trace(path)))
}

/// Turns timelines on when [`TIMELINE_VAR`] asks for one: in the process a user started, runs
/// the example under a recorder and exits with its status; in that example, starts recording.
pub fn init() {
    if std::env::var_os(INNER_VAR).is_some() {
        multiprocessing::plumbing::trace::install_from_env();
        end_with_the_wrapper();
        return;
    }
    let output = match parse(std::env::var_os(TIMELINE_VAR).as_deref()) {
        Ok(Some(output)) => output,
        Ok(None) => return,
        Err(message) => crate::cli::exit_usage(&message),
    };
    match record(&output) {
        Ok(status) => exit_like(status),
        Err(error) => crate::cli::exit_with(1, &format!("the timeline failed: {error:#}")),
    }
}

/// Runs this program again, recorded, and writes its timeline once it has ended.
fn record(output: &Output) -> anyhow::Result<ExitStatus> {
    let (records, sink) = std::io::pipe()?;
    let (lifeline, wrapper_alive) = std::io::pipe()?;
    // Every process of the run inherits the sink, and the example the lifeline, by number.
    inheritable(&sink)?;
    inheritable(&lifeline)?;
    let started = multiprocessing::plumbing::trace::now_ns();
    let mut example = Command::new(std::env::current_exe()?)
        .args(std::env::args_os().skip(1))
        .env(INNER_VAR, "1")
        .env(SINK_VAR, fd_path(sink.as_raw_fd()))
        .env(LIFELINE_VAR, fd_path(lifeline.as_raw_fd()))
        .spawn()?;
    drop((sink, lifeline));
    let collected = Arc::new(Mutex::new(Vec::new()));
    let (done, finished) = std::sync::mpsc::channel();
    {
        let collected = Arc::clone(&collected);
        std::thread::spawn(move || {
            for line in BufReader::new(records).lines() {
                let Ok(line) = line else { break };
                if let Ok(record) = serde_json::from_str::<Record>(&line) {
                    lock(&collected).push(record);
                }
            }
            let _ = done.send(());
        });
    }
    let status = example.wait()?;
    // The sink closes when the last process holding it ends: give stragglers a moment.
    let _ = finished.recv_timeout(Duration::from_secs(1));
    drop(wrapper_alive);
    let mut records = std::mem::take(&mut *lock(&collected));
    // The example's own life, so that its main thread has a row even where it recorded nothing.
    records.push(Record {
        kind: "process".into(),
        name: "process".into(),
        pid: example.id(),
        tid: example.id(),
        thread: "main".into(),
        fields: vec![("name".into(), "MainProcess".into())],
        start: started,
        end: multiprocessing::plumbing::trace::now_ns(),
        lane: None,
        span: 0,
    });
    let timeline = Timeline::new(records, example.id());
    match output {
        Output::Chart => {
            let colour = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
            // A reader of stderr that has gone (`2>&1 | head`) gets no chart; the wrapper still
            // ends as the example did, not with a panic.
            let chart = timeline.chart(CHART_WIDTH, colour);
            let _ = std::io::Write::write_all(&mut std::io::stderr(), chart.as_bytes());
        }
        Output::Trace(path) => std::fs::write(path, serde_json::to_string(&timeline.chrome())?)?,
    }
    Ok(status)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn fd_path(fd: i32) -> OsString {
    format!("/proc/self/fd/{fd}").into()
}

/// Clears close-on-exec, so that a child started later gets the descriptor under its number.
fn inheritable(fd: impl AsFd) -> anyhow::Result<()> {
    use nix::fcntl::{FcntlArg, FdFlag, fcntl};
    fcntl(fd, FcntlArg::F_SETFD(FdFlag::empty()))?;
    Ok(())
}

/// In the recorded example: a thread that ends the process when the wrapper has gone.
fn end_with_the_wrapper() {
    let Some(path) = std::env::var_os(LIFELINE_VAR) else {
        return;
    };
    let Ok(mut lifeline) = std::fs::File::open(path) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("timeline-watch".into())
        .spawn(move || {
            let _ = std::io::Read::read(&mut lifeline, &mut [0; 1]);
            std::process::exit(1);
        });
}

/// Ends this process as the example ended: with its code, or by its signal.
fn exit_like(status: ExitStatus) -> ! {
    use std::os::unix::process::ExitStatusExt as _;
    if let Some(signal) = status.signal() {
        let _ = signal_hook::low_level::emulate_default_handler(signal);
    }
    std::process::exit(status.code().unwrap_or(1));
}

/// The chart's width: the label, the bars and the frame fit 80 columns.
pub const CHART_WIDTH: usize = 80;
const LABEL_WIDTH: usize = 22;

/// What a lane was doing, by the span's name: the more specific wins a shared cell.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Process,
    Other,
    Task,
    Sleep,
    Wait,
    Cpu,
    Gil,
}

impl Kind {
    fn of(name: &str) -> Self {
        match name {
            "process" => Self::Process,
            "task" => Self::Task,
            "sleep" => Self::Sleep,
            "wait" => Self::Wait,
            "cpu" => Self::Cpu,
            "gil" => Self::Gil,
            _ => Self::Other,
        }
    }

    fn mark(self) -> char {
        match self {
            Self::Process => ':',
            Self::Other => '+',
            Self::Task => '=',
            Self::Sleep => '~',
            Self::Wait => '.',
            Self::Cpu => '#',
            Self::Gil => 'G',
        }
    }

    /// An ANSI colour for the mark on a terminal.
    fn colour(self) -> &'static str {
        match self {
            Self::Process => "2",
            Self::Other => "37",
            Self::Task => "32",
            Self::Sleep => "36",
            Self::Wait => "35",
            Self::Cpu => "31",
            Self::Gil => "33",
        }
    }
}

/// One row: a thread of a process, or an async task.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct LaneKey {
    pid: u32,
    /// The thread's id, or the task's name for an async task.
    lane: Result<u32, String>,
}

/// A time a lane was busy: in a span, or in one of its polls.
struct Interval {
    lane: LaneKey,
    /// The OS thread it ran on (the lane says so too, except for an async task's).
    thread: u32,
    kind: Kind,
    name: String,
    fields: Vec<(String, String)>,
    start: u64,
    end: u64,
}

/// The records of a run, with the lanes they fall in.
pub struct Timeline {
    intervals: Vec<Interval>,
    labels: BTreeMap<LaneKey, String>,
    /// Lanes in the chart's order: the example's threads, then each child's.
    order: Vec<LaneKey>,
    start: u64,
    end: u64,
    top: u32,
}

impl Timeline {
    /// Sorts `records` (of the example `top` and its children) into lanes.
    pub fn new(records: Vec<Record>, top: u32) -> Self {
        // Spans entered more than once are drawn by the intervals they were entered in.
        let with_busy: std::collections::HashSet<(u32, u64)> = records
            .iter()
            .filter(|record| record.kind == "busy")
            .map(|record| (record.pid, record.span))
            .collect();
        let mut processes: BTreeMap<u32, (String, String)> = BTreeMap::new();
        let mut threads: BTreeMap<(u32, u32), String> = BTreeMap::new();
        let mut intervals = Vec::new();
        for record in &records {
            let field = |name: &str| {
                record
                    .fields
                    .iter()
                    .find(|(field, _)| field == name)
                    .map(|(_, value)| value.clone())
            };
            if record.kind == "process" {
                processes.insert(
                    record.pid,
                    (
                        field("name").unwrap_or_default(),
                        field("target").unwrap_or_default(),
                    ),
                );
            } else {
                threads
                    .entry((record.pid, record.tid))
                    .or_insert_with(|| record.thread.clone());
            }
            let drawn = match record.kind.as_str() {
                "busy" => true,
                "span" => !with_busy.contains(&(record.pid, record.span)),
                _ => true,
            };
            if drawn {
                let lane = match &record.lane {
                    Some(task) => Err(task.clone()),
                    None => Ok(record.tid),
                };
                let key = LaneKey {
                    pid: record.pid,
                    lane,
                };
                intervals.push(Interval {
                    lane: key,
                    thread: record.tid,
                    kind: Kind::of(&record.name),
                    name: record.name.clone(),
                    fields: record.fields.clone(),
                    start: record.start,
                    end: record.end.max(record.start),
                });
            }
        }
        let start = intervals
            .iter()
            .map(|interval| interval.start)
            .min()
            .unwrap_or(0);
        let end = intervals
            .iter()
            .map(|interval| interval.end)
            .max()
            .unwrap_or(start);
        let mut first_seen: BTreeMap<LaneKey, u64> = BTreeMap::new();
        for interval in &intervals {
            let first = first_seen
                .entry(interval.lane.clone())
                .or_insert(interval.start);
            *first = (*first).min(interval.start);
        }
        // A thread without a name gets the one Python would give it: Thread-1, Thread-2, … in
        // the order the threads of its process first show up.
        let mut unnamed: Vec<(u64, u32, u32)> = first_seen
            .iter()
            .filter_map(|(key, first)| match key.lane {
                Ok(tid) if tid != key.pid => {
                    let named = threads
                        .get(&(key.pid, tid))
                        .is_some_and(|name| !name.is_empty());
                    (!named).then_some((*first, key.pid, tid))
                }
                _ => None,
            })
            .collect();
        unnamed.sort_unstable();
        let mut numbers: BTreeMap<u32, usize> = BTreeMap::new();
        for (_, pid, tid) in unnamed {
            let taken: Vec<&String> = threads
                .iter()
                .filter(|((process, _), _)| *process == pid)
                .map(|(_, name)| name)
                .collect();
            let next = numbers.entry(pid).or_insert(0);
            let name = loop {
                *next += 1;
                let name = format!("Thread-{next}");
                if !taken.iter().any(|taken| **taken == name) {
                    break name;
                }
            };
            threads.insert((pid, tid), name);
        }
        let mut labels = BTreeMap::new();
        for key in first_seen.keys() {
            let label = match &key.lane {
                Err(task) => task.clone(),
                Ok(tid) => {
                    let thread = threads.get(&(key.pid, *tid)).cloned().unwrap_or_default();
                    let main = *tid == key.pid;
                    match (key.pid == top, processes.get(&key.pid)) {
                        (true, _) if main => "MainThread".to_owned(),
                        (true, _) if !thread.is_empty() => thread,
                        (true, _) => format!("thread {tid}"), // not reached: all are named now
                        (false, Some((name, _))) if main => format!("{name} (pid {})", key.pid),
                        (false, _) if main => format!("pid {}", key.pid),
                        (false, _) if !thread.is_empty() => format!("{} {thread}", key.pid),
                        (false, _) => format!("{} thread {tid}", key.pid),
                    }
                }
            };
            labels.insert(key.clone(), label);
        }
        let mut order: Vec<LaneKey> = first_seen.keys().cloned().collect();
        // The example's lanes first, then each child's in the order it started; within a
        // process, the main thread first.
        let process_start = |pid: u32| {
            first_seen
                .iter()
                .filter(|(key, _)| key.pid == pid)
                .map(|(_, first)| *first)
                .min()
                .unwrap_or(0)
        };
        order.sort_by_key(|key| {
            (
                key.pid != top,
                process_start(key.pid),
                key.pid,
                key.lane != Ok(key.pid),
                first_seen[key],
            )
        });
        Self {
            intervals,
            labels,
            order,
            start,
            end,
            top,
        }
    }

    /// The chart: a row per lane, a time axis in seconds, a legend; `width` columns at most.
    pub fn chart(&self, width: usize, colour: bool) -> String {
        let columns = width.saturating_sub(LABEL_WIDTH + 3).max(10);
        let span = (self.end - self.start).max(1) as f64;
        let column_of = |ns: u64| (((ns - self.start) as f64 / span) * columns as f64) as usize;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "timeline: {} lanes over {:.2} s (each column {:.3} s)",
            self.order.len(),
            span / 1e9,
            span / 1e9 / columns as f64
        );
        for key in &self.order {
            let mut cells: Vec<Option<Kind>> = vec![None; columns];
            for interval in self
                .intervals
                .iter()
                .filter(|interval| interval.lane == *key)
            {
                let first = column_of(interval.start).min(columns - 1);
                let last = column_of(interval.end).min(columns - 1).max(first);
                let kind = interval.kind;
                for cell in &mut cells[first..=last] {
                    *cell = Some(cell.map_or(kind, |current| current.max(kind)));
                }
            }
            let label: String = self.labels[key].chars().take(LABEL_WIDTH).collect();
            let bars: String = cells
                .iter()
                .map(|cell| match cell {
                    None => " ".to_owned(),
                    Some(kind) if colour => {
                        format!("\x1b[{}m{}\x1b[0m", kind.colour(), kind.mark())
                    }
                    Some(kind) => kind.mark().to_string(),
                })
                .collect();
            let _ = writeln!(out, "{label:<LABEL_WIDTH$} |{bars}|");
        }
        let _ = writeln!(out, "{}", axis(columns, span / 1e9, width));
        let _ = writeln!(
            out,
            "~ sleep  # cpu  G gil  . wait  = pool task  : process alive  + other span"
        );
        out
    }

    /// The Chrome trace-event form: complete events (`ph` `X`, microseconds) and the names of
    /// processes and threads.
    pub fn chrome(&self) -> serde_json::Value {
        use serde_json::json;
        let mut events = Vec::new();
        let mut task_ids: BTreeMap<LaneKey, u64> = BTreeMap::new();
        let tid_of = |key: &LaneKey, task_ids: &mut BTreeMap<LaneKey, u64>| match &key.lane {
            Ok(tid) => u64::from(*tid),
            Err(_) => {
                let next = 1_000_000 + task_ids.len() as u64;
                *task_ids.entry(key.clone()).or_insert(next)
            }
        };
        let mut named_pids = std::collections::BTreeSet::new();
        for key in &self.order {
            let tid = tid_of(key, &mut task_ids);
            if named_pids.insert(key.pid) {
                let name = if key.pid == self.top {
                    "MainProcess".to_owned()
                } else {
                    let main = LaneKey {
                        pid: key.pid,
                        lane: Ok(key.pid),
                    };
                    self.labels
                        .get(&main)
                        .cloned()
                        .unwrap_or_else(|| format!("pid {}", key.pid))
                };
                events.push(
                    json!({"ph": "M", "name": "process_name", "pid": key.pid, "tid": 0,
                    "args": {"name": name}}),
                );
            }
            events.push(
                json!({"ph": "M", "name": "thread_name", "pid": key.pid, "tid": tid,
                "args": {"name": self.labels[key]}}),
            );
        }
        for interval in &self.intervals {
            let tid = tid_of(&interval.lane, &mut task_ids);
            let mut args: serde_json::Map<String, serde_json::Value> = interval
                .fields
                .iter()
                .map(|(field, value)| (field.clone(), json!(value)))
                .collect();
            args.insert("thread".into(), json!(interval.thread));
            events.push(json!({
                "ph": "X",
                "name": interval.name,
                "pid": interval.lane.pid,
                "tid": tid,
                "ts": (interval.start - self.start) as f64 / 1e3,
                "dur": (interval.end - interval.start) as f64 / 1e3,
                "args": args,
            }));
        }
        json!({"traceEvents": events, "displayTimeUnit": "ms"})
    }
}

/// `0 s` under the first column and about five more ticks at round values.
fn axis(columns: usize, seconds: f64, width: usize) -> String {
    let step = [
        0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 60.0,
    ]
    .into_iter()
    .find(|step| seconds / step <= 5.0)
    .unwrap_or(60.0);
    let mut line: Vec<char> = vec![' '; width];
    let mut tick = 0.0;
    while tick <= seconds + 1e-9 {
        let column = LABEL_WIDTH + 2 + ((tick / seconds.max(1e-9)) * columns as f64) as usize;
        let text = format!("{} s", trim(tick));
        if column + text.len() <= line.len() {
            for (offset, c) in text.chars().enumerate() {
                line[column + offset] = c;
            }
        }
        tick += step;
    }
    line.into_iter().collect::<String>().trim_end().to_owned()
}

/// `0.5`, `1`, `1.25`: a tick's seconds without trailing zeros.
fn trim(seconds: f64) -> String {
    let text = format!("{seconds:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, pid: u32, tid: u32, thread: &str, start: u64, end: u64) -> Record {
        Record {
            kind: "span".into(),
            name: name.into(),
            pid,
            tid,
            thread: thread.into(),
            fields: Vec::new(),
            start,
            end,
            lane: None,
            span: u64::from(tid) * 100 + start,
        }
    }

    #[test]
    fn two_overlapping_sleeps_are_two_rows_side_by_side_within_80_columns() {
        let second = 1_000_000_000;
        let records = vec![
            record("sleep", 10, 11, "Thread-1", 0, 2 * second),
            record("sleep", 10, 12, "Thread-2", 0, 2 * second),
            record("cpu", 10, 10, "main", 2 * second, 2 * second + second / 10),
        ];
        let chart = Timeline::new(records, 10).chart(CHART_WIDTH, false);
        let lines: Vec<&str> = chart.lines().collect();
        assert!(lines[1].starts_with("MainThread "), "{chart}");
        assert!(
            lines[2].starts_with("Thread-1 ") && lines[2].contains("~~~~~~"),
            "{chart}"
        );
        assert!(
            lines[3].starts_with("Thread-2 ") && lines[3].contains("~~~~~~"),
            "{chart}"
        );
        assert!(
            lines[4].contains("0 s") && lines[4].contains("2 s"),
            "{chart}"
        );
        assert!(
            lines.iter().all(|line| line.chars().count() <= CHART_WIDTH),
            "{chart}"
        );
    }

    #[test]
    fn an_unwritable_path_is_refused_and_unset_or_zero_means_off() {
        assert_eq!(parse(None), Ok(None));
        assert_eq!(parse(Some(OsStr::new("0"))), Ok(None));
        assert_eq!(parse(Some(OsStr::new("1"))), Ok(Some(Output::Chart)));
        let error = parse(Some(OsStr::new("/nonexistent/trace.json"))).unwrap_err();
        assert!(error.starts_with("EXAMPLES_TIMELINE=/nonexistent/trace.json cannot be written"));
    }
}
