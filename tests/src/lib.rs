//! The harness that runs the example binaries and checks their documented output.
//!
//! `CARGO_BIN_EXE_*` only exists for a package's own binaries, and the examples live in four
//! other packages. So the first test in each test process runs one nested
//! `cargo build --workspace --bins` and reads the paths of the built executables from cargo's
//! JSON messages; later calls reuse the map.
//!
//! Every run gets a small `EXAMPLES_TIME_SCALE`, `NO_COLOR=1`, `NO_PROXY` for loopback, no stdin,
//! no `RUST_LOG`, and a timeout after which the example is killed and the test fails with what it
//! printed so far. Each example runs in a process group of its own: a timeout kills the whole group, and a run
//! fails if any process of the group outlives the example (an orphan). The test process is a
//! child subreaper (Linux), so a child the example never reaped is adopted here as a zombie, and
//! a run that ended by itself fails if it left one.
//!
//! The matchers check what a program guarantees, never a lucky interleaving: exact transcripts
//! (with redactions for pids, thread ids and durations), unordered line sets, happens-before
//! pairs, "never ahead" counts for anonymous repeated lines, and counts.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use snapbox::{IntoData, str};

/// Tutorial seconds become 50 ms: long enough to keep the examples' overlaps visible to the
/// scheduler, short enough for the whole suite to run in seconds.
pub const TEST_TIME_SCALE: f64 = 0.05;

/// No example should come near this; it only turns a hang into a failure.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// How long an example's child processes may take to go away after the example has exited.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(1);

/// The path of the binary `name` (an example, or a harness fixture), built on first use.
pub fn binary(name: &str) -> &'static Path {
    let built = built_binaries();
    built.paths.get(name).map_or_else(
        || {
            panic!(
                "no binary named {name:?} in the workspace; examples: {:?}",
                built.examples
            )
        },
        PathBuf::as_path,
    )
}

/// The names of every example binary (those of the `examples-*` packages), sorted.
pub fn binary_names() -> Vec<&'static str> {
    built_binaries()
        .examples
        .iter()
        .map(String::as_str)
        .collect()
}

struct Built {
    paths: HashMap<String, PathBuf>,
    examples: Vec<String>,
}

fn built_binaries() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(build_workspace_binaries)
}

fn build_workspace_binaries() -> Built {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package sits inside the workspace");
    let mut build = Command::new(cargo);
    build.args([
        "build",
        "--workspace",
        "--bins",
        "--message-format=json-render-diagnostics",
    ]);
    if !cfg!(debug_assertions) {
        build.arg("--release"); // `cargo test --release` tests release builds of the examples
    }
    let output = build
        .current_dir(workspace)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("cannot run the nested `cargo build --workspace --bins`");
    assert!(
        output.status.success(),
        "the nested `cargo build --workspace --bins` failed"
    );

    let mut built = Built {
        paths: HashMap::new(),
        examples: Vec::new(),
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_bin = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"));
        if message["reason"] == "compiler-artifact"
            && is_bin
            && let (Some(name), Some(executable), Some(manifest)) = (
                message["target"]["name"].as_str(),
                message["executable"].as_str(),
                message["manifest_path"].as_str(),
            )
        {
            let package_dir = Path::new(manifest).parent().and_then(Path::file_name);
            if package_dir.is_some_and(|dir| dir.to_string_lossy().starts_with("examples-")) {
                built.examples.push(name.to_owned());
            }
            built
                .paths
                .insert(name.to_owned(), PathBuf::from(executable));
        }
    }
    assert!(
        !built.examples.is_empty(),
        "cargo reported no example binaries"
    );
    built.examples.sort();
    built
}

/// A run of one example, configured like every test run (see the crate docs).
pub fn example(name: &str) -> Example {
    Example {
        name: name.to_owned(),
        args: Vec::new(),
        env: vec![
            ("EXAMPLES_TIME_SCALE".into(), TEST_TIME_SCALE.to_string()),
            ("NO_COLOR".into(), "1".into()),
            // The network examples talk to their own server on 127.0.0.1; a proxy from the
            // environment must not take those requests elsewhere.
            ("NO_PROXY".into(), "127.0.0.1,localhost".into()),
            ("no_proxy".into(), "127.0.0.1,localhost".into()),
        ],
        env_removed: vec!["RUST_LOG".into()],
    }
}

pub struct Example {
    name: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    env_removed: Vec<String>,
}

impl Example {
    pub fn args<const N: usize>(mut self, args: [&str; N]) -> Self {
        self.args.extend(args.iter().map(|arg| (*arg).to_owned()));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.retain(|(existing, _)| existing != key);
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Runs without `key` in the environment, even one the harness sets by default.
    pub fn env_remove(mut self, key: &str) -> Self {
        self.env.retain(|(existing, _)| existing != key);
        self.env_removed.push(key.to_owned());
        self
    }

    /// Overrides [`TEST_TIME_SCALE`] for an example whose lesson needs longer phases.
    pub fn time_scale(self, scale: f64) -> Self {
        self.env("EXAMPLES_TIME_SCALE", &scale.to_string())
    }

    /// Runs the example to completion (or kills it at [`RUN_TIMEOUT`] and panics).
    pub fn run(self) -> Run {
        let mut command = Command::new(binary(&self.name));
        command
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        for key in &self.env_removed {
            command.env_remove(key);
        }
        for (key, value) in &self.env {
            command.env(key, value);
        }
        become_subreaper();
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", self.name));
        // Drain both pipes on their own threads, so a chatty example never blocks on a full pipe.
        let stdout = drain(child.stdout.take().expect("stdout is piped"));
        let stderr = drain(child.stderr.take().expect("stderr is piped"));

        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("cannot wait for the example") {
                break Some(status);
            }
            if started.elapsed() > RUN_TIMEOUT {
                kill_group(child.id());
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let survivors = survivors_in_group(child.id());
        if !survivors.is_empty() {
            kill_group(child.id()); // so that the pipes close and the test can report
        }
        let unreaped = reap_adopted(child.id());
        let stdout = stdout.join().expect("the stdout reader panicked");
        let stderr = stderr.join().expect("the stderr reader panicked");
        let Some(status) = status else {
            panic!(
                "{} {:?} did not finish within {RUN_TIMEOUT:?}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
                self.name, self.args
            );
        };
        assert!(
            survivors.is_empty(),
            "{} {:?} exited ({status}) but left processes behind: {survivors:?}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            self.name,
            self.args
        );
        // An example killed by a signal could not reap its children; one that ended by itself
        // must have (a `Process` handle reaps on join and on drop).
        assert!(
            unreaped.is_empty() || status.signal().is_some(),
            "{} {:?} exited ({status}) without reaping its children {unreaped:?}: they were left as zombies\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            self.name,
            self.args
        );
        Run {
            name: self.name,
            args: self.args,
            pid: child.id(),
            status,
            stdout,
            stderr,
        }
    }
}

/// Makes this test process the one that adopts the examples' orphans, instead of init: a child
/// an example left unreaped then shows up here, as a zombie whose parent is us, and is counted.
fn become_subreaper() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        #[cfg(target_os = "linux")]
        nix::sys::prctl::set_child_subreaper(true).expect("cannot become a child subreaper");
    });
}

/// Reaps the processes of group `pgid` that this test process adopted when the example exited,
/// and returns those that had already exited: children the example never waited for.
fn reap_adopted(pgid: u32) -> Vec<u32> {
    let mut unreaped = Vec::new();
    for (pid, state, ppid) in group_processes(pgid) {
        if ppid != std::process::id() {
            continue;
        }
        if state == "Z" {
            unreaped.push(pid);
        }
        let pid = nix::unistd::Pid::from_raw(i32::try_from(pid).expect("pids fit in i32"));
        let _ = nix::sys::wait::waitpid(pid, None);
    }
    unreaped
}

/// Sends SIGKILL to every process in the group `pgid` (the example and anything it started).
fn kill_group(pgid: u32) {
    let pgid = nix::unistd::Pid::from_raw(i32::try_from(pgid).expect("pids fit in i32"));
    let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
}

/// The pids still in the example's process group once [`ORPHAN_GRACE`] has passed (Linux:
/// read from `/proc`; elsewhere this check is skipped).
fn survivors_in_group(pgid: u32) -> Vec<u32> {
    let deadline = Instant::now() + ORPHAN_GRACE;
    loop {
        let members = group_members(pgid);
        if members.is_empty() || Instant::now() > deadline {
            return members;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn group_members(pgid: u32) -> Vec<u32> {
    // A zombie is already dead: if its parent is still in the group, the parent is the survivor
    // reported; if not, it was adopted by this process and `reap_adopted` deals with it.
    group_processes(pgid)
        .into_iter()
        .filter(|(_, state, _)| state != "Z")
        .map(|(pid, _, _)| pid)
        .collect()
}

/// How many children `parent` has, in any state, zombies included (Linux: read from `/proc`).
/// The spawn and pool fixtures print it last, to show they left nothing behind.
pub fn children_of(parent: u32) -> usize {
    all_processes()
        .filter(|(_, _, ppid, _)| *ppid == parent)
        .count()
}

/// `(pid, state, ppid, pgrp)` of every process, read from `/proc/<pid>/stat`:
/// "pid (comm) state ppid pgrp …", where comm may contain spaces.
fn all_processes() -> impl Iterator<Item = (u32, String, u32, u32)> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let pid = entry.ok()?.file_name().to_str()?.parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
            let state = fields.next()?.to_owned();
            let ppid = fields.next()?.parse().ok()?;
            let group = fields.next()?.parse().ok()?;
            Some((pid, state, ppid, group))
        })
}

/// `(pid, state, ppid)` of every process in group `pgid`, zombies included.
fn group_processes(pgid: u32) -> Vec<(u32, String, u32)> {
    all_processes()
        .filter(|(_, _, _, group)| *group == pgid)
        .map(|(pid, state, ppid, _)| (pid, state, ppid))
        .collect()
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8(bytes).expect("the example printed invalid UTF-8")
    })
}

/// What one example run printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    pub name: String,
    pub args: Vec<String>,
    /// The example's own pid (its children report it as their parent).
    pub pid: u32,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts exit code 0 and returns the run for further checks.
    #[track_caller]
    pub fn success(self) -> Self {
        assert!(
            self.status.success(),
            "{} {:?} failed: {}\n{}",
            self.name,
            self.args,
            self.status,
            self.report()
        );
        self
    }

    /// Asserts the bad-input contract: exit code 2, nothing on stdout, exactly one line on stderr,
    /// no panic. Returns that line.
    #[track_caller]
    pub fn bad_input(&self) -> &str {
        assert_eq!(
            self.status.code(),
            Some(2),
            "{} {:?}: expected exit code 2\n{}",
            self.name,
            self.args,
            self.report()
        );
        assert_eq!(self.stdout, "", "bad input must stop before any output");
        let lines: Vec<_> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "bad input must be reported in one line:\n{}",
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked"),
            "bad input must not panic:\n{}",
            self.stderr
        );
        lines[0]
    }

    pub fn stdout_lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }

    fn report(&self) -> String {
        format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        )
    }
}

/// Replaces what varies between runs with placeholders, so the rest can be compared exactly.
///
/// Each rule is a placeholder such as `"[SECS]"` and a regex; only the named group `redacted`
/// is replaced when the regex has one. Because the regex spells out the expected format (say
/// `总共用时(?<redacted>\d+\.\d{2})秒`), a malformed value is left alone and fails the comparison.
/// Patterns are matched line by line: `^` and `$` anchor to the start and end of a line.
#[track_caller]
pub fn redact(text: &str, rules: &[(&'static str, &str)]) -> String {
    let mut redactions = snapbox::Redactions::new();
    for &(placeholder, pattern) in rules {
        let regex = regex::Regex::new(&format!("(?m){pattern}"))
            .unwrap_or_else(|error| panic!("{pattern}: {error}"));
        redactions
            .insert(placeholder, regex)
            .expect("placeholders look like [NAME]");
    }
    redactions.redact(text)
}

/// Exact comparison of a whole transcript, with a diff on failure.
#[track_caller]
pub fn assert_transcript(actual: &str, expected: impl IntoData) {
    snapbox::assert_data_eq!(actual, expected);
}

/// The same lines as `expected`, each as many times, in any order.
#[track_caller]
pub fn assert_same_lines(actual: &[&str], expected: &[&str]) {
    let tally = |lines: &[&str]| {
        let mut counts = BTreeMap::<String, usize>::new();
        for line in lines {
            *counts.entry((*line).to_owned()).or_default() += 1;
        }
        counts
    };
    assert_eq!(
        tally(actual),
        tally(expected),
        "line multisets differ\nactual: {actual:#?}"
    );
}

/// The position of the only line equal to `line`.
#[track_caller]
pub fn position_of(lines: &[&str], line: &str) -> usize {
    let found: Vec<_> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| **l == line)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected {line:?} exactly once in {lines:#?}"
    );
    found[0]
}

/// `earlier` and `later` each appear exactly once, `earlier` first.
#[track_caller]
pub fn assert_before(lines: &[&str], earlier: &str, later: &str) {
    let (a, b) = (position_of(lines, earlier), position_of(lines, later));
    assert!(
        a < b,
        "expected {earlier:?} (line {a}) before {later:?} (line {b}) in {lines:#?}"
    );
}

/// For lines that do not say who printed them (`2s`, `结果: …`): in every prefix of the
/// transcript, lines matching `later` are never more than lines matching `earlier`.
/// This is what "each thread prints `earlier` before `later`" guarantees for the whole output.
#[track_caller]
pub fn assert_never_ahead(
    lines: &[&str],
    earlier: impl Fn(&str) -> bool,
    later: impl Fn(&str) -> bool,
) {
    let (mut seen_earlier, mut seen_later) = (0, 0);
    for (index, line) in lines.iter().enumerate() {
        seen_earlier += usize::from(earlier(line));
        seen_later += usize::from(later(line));
        assert!(
            seen_later <= seen_earlier,
            "line {index} {line:?}: {seen_later} 'later' lines but only {seen_earlier} 'earlier' ones in {lines:#?}"
        );
    }
}

/// How many lines satisfy `predicate`.
pub fn count(lines: &[&str], predicate: impl Fn(&str) -> bool) -> usize {
    lines.iter().filter(|line| predicate(line)).count()
}

/// The lines satisfying `predicate`, in order.
pub fn only<'a>(lines: &[&'a str], predicate: impl Fn(&str) -> bool) -> Vec<&'a str> {
    lines
        .iter()
        .copied()
        .filter(|line| predicate(line))
        .collect()
}
