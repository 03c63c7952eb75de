//! Tracing across processes: the `tracing` spans of a program and of every child this crate
//! starts, as JSON lines in one sink, on one clock.
//!
//! Set [`SINK_VAR`] to a path that every process can open for appending (a file, or a pipe such
//! as `/proc/self/fd/N` when descriptor `N` is inherited) and call [`install_from_env`] in the
//! parent; every child calls it as it starts. Each process then writes a [`Record`] per closed
//! span, in one `write` each (a pipe keeps writes of up to 4 KiB whole; long field values are cut
//! short to fit), stamped with `CLOCK_MONOTONIC`, the one clock all processes of a machine
//! share. The crate records two things itself: a span `task` (field `name`) around every pool
//! task a worker runs, and a record `process` for every child, from its spawn to its exit,
//! written by the parent.
//!
//! Unset, nothing is installed, and a `tracing` span costs what it costs with no subscriber.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::sync::{Mutex, OnceLock, PoisonError};

use serde::{Deserialize, Serialize};
use tracing::Subscriber;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

/// The environment variable naming the sink; inherited by every child.
pub const SINK_VAR: &str = "MULTIPROCESSING_TRACE";

/// One closed span (`kind` `"span"`), one interval a span was entered in (`"busy"`, written only
/// for spans entered more than once, such as a future's polls), or a child's life (`"process"`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Record {
    /// `"span"`, `"busy"` or `"process"`.
    pub kind: String,
    /// The span's name (`sleep`, `task`, `cpu`…), or `process`.
    pub name: String,
    /// The process the span ran in (for `"process"`, the child).
    pub pid: u32,
    /// The OS thread id (for `"process"`, the child's pid).
    pub tid: u32,
    /// The thread's name (`main`, `Thread-1`), or empty for a thread without one.
    pub thread: String,
    /// The span's fields, as `(name, value)`, in the order they were recorded.
    #[serde(default)]
    pub fields: Vec<(String, String)>,
    /// When the span opened (for `"busy"`, was entered), on `CLOCK_MONOTONIC`, in nanoseconds.
    pub start: u64,
    /// When it closed (for `"busy"`, was left), on the same clock.
    pub end: u64,
    /// The async task the span belongs to: the `task` field of the span or of an ancestor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane: Option<String>,
    /// Links a span's `"busy"` records to it: the span's id in its process.
    #[serde(default)]
    pub span: u64,
}

/// Now, on `CLOCK_MONOTONIC`, in nanoseconds: the clock every record uses.
pub fn now_ns() -> u64 {
    use nix::time::{ClockId, clock_gettime};
    clock_gettime(ClockId::CLOCK_MONOTONIC).map_or(0, |now| {
        let nanos = i128::from(now.tv_sec()) * 1_000_000_000 + i128::from(now.tv_nsec());
        u64::try_from(nanos).unwrap_or(0)
    })
}

static SINK: OnceLock<Option<Mutex<File>>> = OnceLock::new();

/// If [`SINK_VAR`] names a sink, installs the recording layer as this process's global `tracing`
/// subscriber (once; later calls do nothing) and returns whether records go anywhere.
pub fn install_from_env() -> bool {
    let sink = SINK.get_or_init(|| {
        let path = std::env::var_os(SINK_VAR).filter(|path| !path.is_empty())?;
        let file = OpenOptions::new().append(true).open(path).ok()?;
        let subscriber = tracing_subscriber::registry().with(Recorder);
        tracing::subscriber::set_global_default(subscriber).ok()?;
        Some(Mutex::new(file))
    });
    sink.is_some()
}

/// Writes `record` to the sink, if there is one.
pub fn write(record: &Record) {
    let Some(Some(sink)) = SINK.get() else {
        return;
    };
    if let Some(line) = line(record) {
        let mut sink = sink.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = sink.write_all(line.as_bytes());
    }
}

/// A pipe keeps a write of up to `PIPE_BUF` bytes whole, so several processes' lines never mix.
const PIPE_BUF: usize = 4096;

/// `record` as one JSON line of at most [`PIPE_BUF`] bytes: long field values are cut short.
fn line(record: &Record) -> Option<String> {
    let mut line = serde_json::to_string(record).ok()? + "\n";
    if line.len() > PIPE_BUF {
        let mut short = record.clone();
        for (_, value) in &mut short.fields {
            if let Some((cut, _)) = value.char_indices().nth(64) {
                value.truncate(cut);
                value.push('…');
            }
        }
        line = serde_json::to_string(&short).ok()? + "\n";
    }
    (line.len() <= PIPE_BUF).then_some(line)
}

/// The thread a span is recorded on: its OS id and its name.
fn this_thread() -> (u32, String) {
    let tid = nix::unistd::gettid().as_raw();
    let name = std::thread::current().name().unwrap_or_default().to_owned();
    (u32::try_from(tid).unwrap_or(0), name)
}

/// A span's data until it closes.
struct Open {
    start: u64,
    tid: u32,
    thread: String,
    fields: Vec<(String, String)>,
    entered: Option<u64>,
    busy: Vec<(u64, u64)>,
}

#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), short(value)));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .push((field.name().to_owned(), short(&format!("{value:?}"))));
    }
}

/// A field's value, cut so that a record stays well within one pipe write.
fn short(value: &str) -> String {
    value.chars().take(200).collect()
}

/// The `tracing` layer that writes a [`Record`] per closed span.
struct Recorder;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let (tid, thread) = this_thread();
        span.extensions_mut().insert(Open {
            start: now_ns(),
            tid,
            thread,
            fields: fields.0,
            entered: None,
            busy: Vec::new(),
        });
    }

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(open) = span.extensions_mut().get_mut::<Open>()
        {
            open.entered = Some(now_ns());
        }
    }

    fn on_exit(&self, id: &Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(open) = span.extensions_mut().get_mut::<Open>()
            && let Some(entered) = open.entered.take()
        {
            open.busy.push((entered, now_ns()));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        let lane = span.scope().find_map(|scope| {
            let extensions = scope.extensions();
            let open = extensions.get::<Open>()?;
            let (_, task) = open.fields.iter().find(|(name, _)| name == "task")?;
            Some(format!("task {task}"))
        });
        let Some(open) = span.extensions_mut().remove::<Open>() else {
            return;
        };
        let record = |kind: &str, start: u64, end: u64| Record {
            kind: kind.to_owned(),
            name: span.name().to_owned(),
            pid: std::process::id(),
            tid: open.tid,
            thread: open.thread.clone(),
            fields: open.fields.clone(),
            start,
            end,
            lane: lane.clone(),
            span: id.into_u64(),
        };
        write(&record("span", open.start, now_ns()));
        if open.busy.len() > 1 {
            for &(start, end) in &open.busy {
                write(&record("busy", start, end));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: Vec<(String, String)>) -> Record {
        Record {
            kind: "span".into(),
            name: "wait".into(),
            pid: 1,
            tid: 1,
            thread: "main".into(),
            fields,
            start: 0,
            end: 1,
            lane: None,
            span: 1,
        }
    }

    #[test]
    fn a_line_fits_one_atomic_pipe_write() {
        let short = record(vec![("on".into(), "http://127.0.0.1/".into())]);
        assert_eq!(
            line(&short).unwrap().trim_end(),
            serde_json::to_string(&short).unwrap()
        );

        let long = record(vec![("on".into(), "界".repeat(5000))]);
        let cut = line(&long).unwrap();
        assert!(cut.len() <= PIPE_BUF && cut.ends_with('\n'));
        let read: Record = serde_json::from_str(&cut).unwrap();
        assert_eq!(read.fields[0].1, format!("{}…", "界".repeat(64)));

        let many = record(vec![("x".into(), "y".into()); 2000]);
        assert_eq!(
            line(&many),
            None,
            "a record too big even cut short is dropped, not split"
        );
    }
}
