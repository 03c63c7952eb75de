//! The harness that runs the example binaries and checks their documented output.
//!
//! `CARGO_BIN_EXE_*` only exists for a package's own binaries, and the examples live in four other
//! packages. So the first test in each test process runs one nested
//! `cargo build --workspace --bins --tests` and reads the paths of the built executables from
//! cargo's JSON messages; later calls reuse the map.
//!
//! Every run gets a small `EXAMPLES_TIME_SCALE`, `NO_COLOR=1`, `NO_PROXY` for loopback, no stdin,
//! no `RUST_LOG`, and a timeout after which the example is killed and the test fails with what it
//! printed so far. Each example runs in a process group of its own: a timeout kills the whole
//! group, and a run fails if any process of the group outlives the example (an orphan). The test
//! process is a child subreaper (Linux), so a child the example never reaped is adopted here as a
//! zombie, and a run that ended by itself fails if it left one.
//!
//! The matchers check what a program guarantees, never a lucky interleaving: exact transcripts
//! (with redactions for pids, thread ids and durations), unordered line sets, happens-before
//! pairs, "never ahead" counts for anonymous repeated lines, and counts.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::io::{BufRead as _, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{OnceLock, mpsc};
use std::time::{Duration, Instant};

pub use snapbox::{IntoData, str};

pub mod book;
pub mod redis;
pub mod task_queue;
/// Reading a run's trace: `shared::trace`, under the name the tests use.
pub use shared::trace as timeline;
pub mod tools;
pub mod transcript;

/// Tutorial seconds become 50 ms: long enough to keep the examples' overlaps visible to the
/// scheduler, short enough for the whole suite to run in seconds.
pub const TEST_TIME_SCALE: f64 = 0.05;

/// No example should come near this; it only turns a hang into a failure.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// How long an example's child processes may take to go away after the example has exited.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(1);

/// The packages whose binaries are the tutorial's examples, in the tutorial's order.
pub const EXAMPLE_PACKAGES: [&str; 5] = [
    "examples-processes",
    "examples-threads",
    "examples-async",
    "examples-sync",
    "examples-distributed",
];

/// The workspace's root directory.
pub fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package sits inside the workspace")
}

/// The example package that holds the binary `binary`.
pub fn package_of(binary: &str) -> &'static str {
    let found: Vec<&str> = EXAMPLE_PACKAGES
        .into_iter()
        .filter(|package| {
            let bin = workspace().join(package).join("src/bin");
            bin.join(format!("{binary}.rs")).exists() || bin.join(binary).join("main.rs").exists()
        })
        .collect();
    match found[..] {
        [package] => package,
        _ => panic!("{binary}: expected in one example package, found in {found:?}"),
    }
}

/// The example's source: `src/bin/<binary>.rs`, or `src/bin/<binary>/main.rs` for an example
/// with modules of its own.
pub fn source_of(binary: &str) -> PathBuf {
    let bin = workspace().join(package_of(binary)).join("src/bin");
    let file = bin.join(format!("{binary}.rs"));
    if file.exists() {
        file
    } else {
        bin.join(binary).join("main.rs")
    }
}

/// Runs the scenario `name` of a helper binary (`fixture_spawn`, `fixture_pool`), which must
/// succeed, and returns what it printed with every `pid N)` written `pid [PID])`.
pub fn scenario(fixture: &str, name: &str) -> String {
    let run = example(fixture).args([name]).run().success();
    redact(&run.stdout, &[("[PID]", r"pid (?<redacted>\d+)\)")])
}

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
    let mut build = cargo();
    build.args([
        "build",
        "--workspace",
        "--bins",
        // With the test targets, cargo resolves features as `cargo test --workspace` did
        // (dev-dependencies included), so the binaries it built are reused, not built again.
        "--tests",
        "--message-format=json-render-diagnostics",
    ]);
    if !cfg!(debug_assertions) {
        build.arg("--release"); // `cargo test --release` tests release builds of the examples
    }
    let output = build
        .current_dir(workspace())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("cannot run the nested `cargo build --workspace --bins --tests`");
    assert!(
        output.status.success(),
        "the nested `cargo build --workspace --bins --tests` failed"
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
        // A binary with unit tests (copy-out's) is built twice: keep the program, not its tests.
        let is_test = message["profile"]["test"] == true;
        if message["reason"] == "compiler-artifact"
            && is_bin
            && !is_test
            && let (Some(name), Some(executable), Some(manifest)) = (
                message["target"]["name"].as_str(),
                message["executable"].as_str(),
                message["manifest_path"].as_str(),
            )
        {
            let package_dir = Path::new(manifest).parent().and_then(Path::file_name);
            if package_dir.is_some_and(|dir| EXAMPLE_PACKAGES.iter().any(|package| dir == *package))
            {
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

/// The cargo that runs these tests, for a build of its own, with the environment a shell would
/// give it ([`shared::cargo::command`]).
pub fn cargo() -> Command {
    shared::cargo::command()
}

/// A run of one example, configured like every test run (see the crate docs).
pub fn example(name: &str) -> Example {
    Example {
        name: name.to_owned(),
        args: Vec::new(),
        env: vec![
            (
                "EXAMPLES_TIME_SCALE".into(),
                TEST_TIME_SCALE.to_string().into(),
            ),
            ("NO_COLOR".into(), "1".into()),
            // The network examples talk to their own server on 127.0.0.1; a proxy from the
            // environment must not take those requests elsewhere.
            ("NO_PROXY".into(), "127.0.0.1,localhost".into()),
            ("no_proxy".into(), "127.0.0.1,localhost".into()),
        ],
        env_removed: vec!["RUST_LOG".into()],
        ulimits: Vec::new(),
        unprivileged: None,
        stdout_lines_read: None,
        stderr_closed: false,
        timeout: RUN_TIMEOUT,
        executable: None,
    }
}

pub struct Example {
    name: String,
    args: Vec<String>,
    env: Vec<(String, OsString)>,
    env_removed: Vec<String>,
    ulimits: Vec<(char, u64)>,
    /// Where the copy of the binary that runs as `nobody` lives (see [`Example::ulimit`]).
    unprivileged: Option<PathBuf>,
    stdout_lines_read: Option<usize>,
    stderr_closed: bool,
    timeout: Duration,
    /// Another build of the example to run (a copied-out one), instead of the workspace's.
    executable: Option<PathBuf>,
}

impl Example {
    /// Runs `path`, another build of this example (a copied-out one), instead of the workspace's.
    pub fn executable(mut self, path: &Path) -> Self {
        self.executable = Some(path.to_owned());
        self
    }

    pub fn args<const N: usize>(mut self, args: [&str; N]) -> Self {
        self.args.extend(args.iter().map(|arg| (*arg).to_owned()));
        self
    }

    /// [`Example::args`] for arguments known only at run time.
    pub fn args_vec(mut self, args: &[String]) -> Self {
        self.args.extend(args.iter().cloned());
        self
    }

    pub fn env(self, key: &str, value: &str) -> Self {
        self.env_os(key, value.as_ref())
    }

    /// [`Example::env`] for a value that need not be UTF-8.
    pub fn env_os(mut self, key: &str, value: &std::ffi::OsStr) -> Self {
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

    /// A shorter hang guard than [`RUN_TIMEOUT`], for a run that must end soon after an event
    /// (its reader gone, a signal): a run still going then is killed and the test fails. It
    /// turns a hang into a failure; it does not measure speed.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs under `ulimit -<flag> <value>` (`n`: open files, `u`: processes and threads), set by
    /// util-linux's `prlimit`.
    ///
    /// Root ignores the process limit, so under root an `-u` run goes to user `nobody`, on a
    /// copy of the binary in a fresh world-readable directory (the workspace may sit where
    /// `nobody` cannot read, such as `/root`), with that directory as its `TMPDIR`.
    pub fn ulimit(mut self, flag: char, value: u64) -> Self {
        self.ulimits.push((flag, value));
        if flag == 'u' && nix::unistd::geteuid().is_root() && self.unprivileged.is_none() {
            let dir = std::env::temp_dir().join(format!(
                "examples-nobody-{}-{}",
                std::process::id(),
                self.name
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir(&dir).expect("cannot create a directory for user nobody");
            set_mode(&dir, 0o1777);
            let copy = dir.join(&self.name);
            std::fs::copy(binary(&self.name), &copy).expect("cannot copy the binary for nobody");
            set_mode(&copy, 0o755);
            self = self.env("TMPDIR", &dir.to_string_lossy());
            self.unprivileged = Some(copy);
        }
        self
    }

    /// The example's reader goes away after `lines` lines: the harness reads that many lines of
    /// its stdout, then closes the pipe, as `example | head -n <lines>` does.
    pub fn reader_gone_after(mut self, lines: usize) -> Self {
        self.stdout_lines_read = Some(lines);
        self
    }

    /// The reader of the example's stderr is gone from the start: the harness closes that pipe
    /// as soon as the example starts, as `example 2>&1 | head -n 0` would.
    pub fn stderr_reader_gone(mut self) -> Self {
        self.stderr_closed = true;
        self
    }

    /// Runs the example with `EXAMPLES_TIMELINE` set to a fresh file, and reads its trace.
    pub fn timeline(self) -> (Run, timeline::Trace) {
        let file = tempfile::Builder::new()
            .prefix("timeline")
            .suffix(".json")
            .tempfile()
            .expect("cannot make a file for the trace");
        let run = self
            .env_os("EXAMPLES_TIMELINE", file.path().as_os_str())
            .run();
        let trace = timeline::Trace::read(file.path());
        (run, trace)
    }

    /// Runs the example to completion (or kills it at its timeout and panics).
    pub fn run(self) -> Run {
        self.start().finish()
    }

    /// Starts the example and returns at once, for a test that acts while it runs (reads a
    /// line, sends a signal); [`Started::finish`] then makes every check [`Example::run`] does.
    pub fn start(self) -> Started {
        let binary = self
            .unprivileged
            .clone()
            .or_else(|| self.executable.clone())
            .unwrap_or_else(|| binary(&self.name).to_owned());
        let mut command = if self.ulimits.is_empty() {
            Command::new(&binary)
        } else {
            // util-linux's `prlimit` sets the limits on itself, then execs the example, which
            // keeps its pid. (dash, Debian's `sh`, has no `ulimit -u`.)
            let mut limited = Command::new("prlimit");
            for (flag, value) in &self.ulimits {
                let resource = match flag {
                    'n' => "nofile",
                    'u' => "nproc",
                    other => panic!("no ulimit -{other} in this harness"),
                };
                limited.arg(format!("--{resource}={value}"));
            }
            limited.arg("--").arg(&binary);
            limited
        };
        command
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        if self.unprivileged.is_some() {
            command.uid(NOBODY).gid(NOBODY);
        }
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
        // Read both pipes on their own threads, so a chatty example never blocks on a full pipe.
        let (lines_sender, lines) = mpsc::channel();
        let stdout = read_lines(
            child.stdout.take().expect("stdout is piped"),
            self.stdout_lines_read,
            lines_sender,
        );
        let stderr = child.stderr.take().expect("stderr is piped");
        let stderr = if self.stderr_closed {
            drop(stderr);
            std::thread::spawn(String::new)
        } else {
            drain(stderr)
        };
        Started {
            started: Instant::now(),
            example: self,
            child,
            lines,
            stdout,
            stderr,
        }
    }
}

/// User and group `nobody`, for runs that root's privileges would distort.
const NOBODY: u32 = 65534;

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|error| panic!("cannot chmod {}: {error}", path.display()));
}

/// An example that runs while the test acts on it.
pub struct Started {
    example: Example,
    child: std::process::Child,
    started: Instant,
    lines: mpsc::Receiver<String>,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Started {
    /// The example's pid (and its process group's id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next line of stdout, without its newline; `None` once stdout is closed. Panics if no
    /// line comes before the run's timeout.
    pub fn next_line(&mut self) -> Option<String> {
        let left = self.example.timeout.saturating_sub(self.started.elapsed());
        match self.lines.recv_timeout(left) {
            Ok(line) => Some(line),
            Err(mpsc::RecvTimeoutError::Disconnected) => None,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                kill_group(self.pid());
                panic!(
                    "{} {:?} printed no next line within {:?}",
                    self.example.name, self.example.args, self.example.timeout
                );
            }
        }
    }

    /// Reads stdout until a line satisfies `predicate`, and returns it.
    pub fn wait_for_line(&mut self, predicate: impl Fn(&str) -> bool) -> String {
        loop {
            match self.next_line() {
                Some(line) if predicate(&line) => return line,
                Some(_) => {}
                None => panic!(
                    "{} {:?} closed stdout before the awaited line",
                    self.example.name, self.example.args
                ),
            }
        }
    }

    /// Sends `signal` to the example's process only (not to its children).
    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.pid()).expect("pids fit in i32"));
        nix::sys::signal::kill(pid, signal).expect("cannot signal the example");
    }

    /// Sends `signal` to the example's whole process group, as a terminal's Ctrl-C does.
    pub fn signal_group(&self, signal: nix::sys::signal::Signal) {
        let pgid = nix::unistd::Pid::from_raw(i32::try_from(self.pid()).expect("pids fit in i32"));
        nix::sys::signal::killpg(pgid, signal).expect("cannot signal the example's group");
    }

    /// The pids of the example's child processes right now (Linux: read from `/proc`).
    pub fn children(&self) -> Vec<u32> {
        all_processes()
            .filter(|(_, state, ppid, _)| *ppid == self.pid() && state != "Z")
            .map(|(pid, _, _, _)| pid)
            .collect()
    }

    /// Waits for the example to end (killing it at its timeout) and checks that it left no
    /// process, running or unreaped, behind.
    pub fn finish(self) -> Run {
        let Self {
            example,
            mut child,
            started,
            stdout,
            stderr,
            ..
        } = self;
        let status = loop {
            if let Some(status) = child.try_wait().expect("cannot wait for the example") {
                break Some(status);
            }
            if started.elapsed() > example.timeout {
                kill_group(child.id());
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let pid = child.id();
        let survivors = survivors_in_group(pid);
        if !survivors.is_empty() {
            kill_group(pid); // so that the pipes close and the test can report
        }
        let unreaped = reap_adopted(pid);
        let stdout = stdout.join().expect("the stdout reader panicked");
        let stderr = stderr.join().expect("the stderr reader panicked");
        let (name, args) = (&example.name, &example.args);
        let Some(status) = status else {
            panic!(
                "{name} {args:?} did not finish within {:?}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
                example.timeout
            );
        };
        assert!(
            survivors.is_empty(),
            "{name} {args:?} exited ({status}) but left processes behind: {survivors:?}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        );
        // An example killed by a signal could not reap its children; one that ended by itself
        // must have (a `Process` handle reaps on join and on drop).
        assert!(
            unreaped.is_empty() || status.signal().is_some(),
            "{name} {args:?} exited ({status}) without reaping its children {unreaped:?}: they were left as zombies\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        );
        if let Some(dir) = example.unprivileged.as_deref().and_then(Path::parent) {
            let _ = std::fs::remove_dir_all(dir);
        }
        Run {
            name: example.name.clone(),
            args: example.args.clone(),
            pid,
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

/// Reads `pipe` line by line, passing each line (without its newline) to `lines`, and returns
/// everything read. With `close_after`, it closes the pipe after that many lines.
fn read_lines(
    pipe: impl Read + Send + 'static,
    close_after: Option<usize>,
    lines: mpsc::Sender<String>,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut pipe = std::io::BufReader::new(pipe);
        let mut everything = Vec::new();
        let mut count = 0;
        while close_after.is_none_or(|limit| count < limit) {
            let mut line = Vec::new();
            match pipe.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            everything.extend_from_slice(&line);
            count += 1;
            let text = String::from_utf8_lossy(&line);
            let _ = lines.send(text.strip_suffix('\n').unwrap_or(&text).to_owned());
        }
        drop(pipe); // with `close_after`: the reader goes away here
        String::from_utf8(everything).expect("the example printed invalid UTF-8")
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

    /// Asserts a runtime failure reported as a command-line tool reports one: exit code 1,
    /// exactly one line on stderr, no panic. Returns that line.
    #[track_caller]
    pub fn one_line_error(&self) -> &str {
        assert_eq!(
            self.status.code(),
            Some(1),
            "{} {:?}: expected exit code 1\n{}",
            self.name,
            self.args,
            self.report()
        );
        let lines: Vec<_> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{} {:?}: the failure must be reported in one line:\n{}",
            self.name,
            self.args,
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked"),
            "{} {:?}: a failure must not panic:\n{}",
            self.name,
            self.args,
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
