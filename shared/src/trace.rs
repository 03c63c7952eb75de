//! Reading the trace a run wrote (`EXAMPLES_TIMELINE=<file>`, see [`crate::timeline`]), for the
//! tests of when things ran and the exercises' grader. Both judge structure, never a duration:
//! two spans overlap when each started before the other ended, which the recorded times say
//! whatever the machine's speed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use serde_json::Value;

/// One complete event of the trace: a span, or one poll of one.
#[derive(Debug, Clone)]
pub struct Span {
    pub name: String,
    pub pid: u32,
    pub tid: u64,
    /// Microseconds from the start of the run.
    pub start: f64,
    pub end: f64,
    pub args: serde_json::Map<String, Value>,
}

impl Span {
    /// Whether the two spans were open at the same moment: each started before the other ended.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The lane the span was drawn in: its process and thread (or async task).
    pub fn lane(&self) -> (u32, u64) {
        (self.pid, self.tid)
    }

    /// A field of the span, as text.
    pub fn arg(&self, name: &str) -> Option<String> {
        self.args.get(name).map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    }
}

/// The spans of a run, and the names of its processes and lanes.
#[derive(Debug)]
pub struct Trace {
    pub spans: Vec<Span>,
    processes: BTreeMap<u32, String>,
    lanes: BTreeMap<(u32, u64), String>,
}

impl Trace {
    /// Reads a Chrome trace-event file; a test's helper: a file that cannot be read, or is no
    /// trace, fails the test.
    #[track_caller]
    pub fn read(path: &Path) -> Self {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        Self::parse(&text).unwrap_or_else(|error| panic!("{}: {error:#}", path.display()))
    }

    /// Reads the text of a Chrome trace-event file, as the recorder wrote it.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let json: Value = serde_json::from_str(text).context("not JSON")?;
        let mut trace = Self {
            spans: Vec::new(),
            processes: BTreeMap::new(),
            lanes: BTreeMap::new(),
        };
        let events = json["traceEvents"]
            .as_array()
            .context("no traceEvents array")?;
        for event in events {
            let field = |name: &str| {
                event[name]
                    .as_u64()
                    .with_context(|| format!("{event}: no {name}"))
            };
            let pid = u32::try_from(field("pid")?).context("a pid beyond u32")?;
            let tid = field("tid")?;
            let name = event["name"]
                .as_str()
                .with_context(|| format!("{event}: no name"))?
                .to_owned();
            let time = |name: &str| {
                event[name]
                    .as_f64()
                    .with_context(|| format!("{event}: no {name}"))
            };
            match event["ph"].as_str() {
                Some("M") => {
                    let label = event["args"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    if name == "process_name" {
                        trace.processes.insert(pid, label);
                    } else {
                        trace.lanes.insert((pid, tid), label);
                    }
                }
                Some("X") => {
                    let start = time("ts")?;
                    trace.spans.push(Span {
                        name,
                        pid,
                        tid,
                        start,
                        end: start + time("dur")?,
                        args: event["args"].as_object().cloned().unwrap_or_default(),
                    });
                }
                other => anyhow::bail!("an event of kind {other:?}"),
            }
        }
        Ok(trace)
    }

    /// The spans called `name`, in the order they started.
    pub fn named(&self, name: &str) -> Vec<&Span> {
        let mut spans: Vec<&Span> = self.spans.iter().filter(|span| span.name == name).collect();
        spans.sort_by(|a, b| a.start.total_cmp(&b.start));
        spans
    }

    /// The pid of the example's own process (`MainProcess`).
    #[track_caller]
    pub fn main_pid(&self) -> u32 {
        let mains: Vec<u32> = self
            .processes
            .iter()
            .filter(|(_, name)| *name == "MainProcess")
            .map(|(pid, _)| *pid)
            .collect();
        assert_eq!(mains.len(), 1, "one MainProcess in {:?}", self.processes);
        mains[0]
    }

    /// A lane's name in the chart and in Perfetto: `MainThread`, `Thread-1`, `task 3`…
    /// The names of the run's processes, by pid: `MainProcess`, `Process-1 (pid N)`, …
    pub fn process_names(&self) -> Vec<&str> {
        self.processes.values().map(String::as_str).collect()
    }

    pub fn lane_name(&self, lane: (u32, u64)) -> &str {
        self.lanes.get(&lane).map_or("", String::as_str)
    }
}

/// The most spans open at one moment.
pub fn most_at_once(spans: &[&Span]) -> usize {
    let mut edges: Vec<(f64, i32)> = spans
        .iter()
        .flat_map(|span| [(span.start, 1), (span.end, -1)])
        .collect();
    // At a tie an end comes first: spans that only touch were not open together.
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut open, mut most) = (0, 0);
    for (_, step) in edges {
        open += step;
        most = most.max(open);
    }
    usize::try_from(most).unwrap_or(0)
}

/// How many distinct lanes the spans are on.
pub fn lanes(spans: &[&Span]) -> usize {
    let mut lanes: Vec<(u32, u64)> = spans.iter().map(|span| span.lane()).collect();
    lanes.sort_unstable();
    lanes.dedup();
    lanes.len()
}
