//! Exercises on the tutorial's sections, and what grades them.
//!
//! Each exercise is a folder, `exercises/<name>/`: the file a learner starts from
//! (`starter.rs`), a solution, and wrong answers kept so that the grader is tested too. Its
//! statement and hints are its page in the book (`book/<lang>/exercises/<name>.md`). A learner
//! runs `cargo run -p exercises -- list`, edits the copy the runner made in `exercises/mine/`,
//! and runs `cargo run -p exercises -- check N`.
//!
//! Three graders, the three ways the workspace already trusts ([`catalog::Grader`]):
//! - [`model`]: loom runs the learner's type in every interleaving of a small program;
//! - [`program`]: the learner's program runs recorded, and its timeline says what overlapped;
//! - also [`program`]: its output, line by line.
//!
//! Both run inside the `grade` program (`src/bin/grade.rs`), built around the files being graded
//! (build.rs): the shipped ones for `cargo test`, or one learner's copy with the `learner`
//! feature. [`grade`] runs it and returns the [`Verdict`].

use std::path::{Path, PathBuf};

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;

pub mod catalog;
pub mod loom_std;
pub mod model;
pub mod program;

pub use catalog::{EXERCISES, Exercise, Grader};

/// The tutorial's sleeps, scaled for a check: a tenth of real time.
pub const TIME_SCALE: &str = "0.1";
/// The longest a check may take (each one takes a second or two); a program still running then
/// is killed, and fails.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// What the grader says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub passed: bool,
    /// What passed, or what is wrong, in the exercise's terms.
    pub report: String,
}

impl Verdict {
    pub fn pass(report: impl Into<String>) -> Self {
        Self {
            passed: true,
            report: report.into(),
        }
    }

    pub fn fail(report: impl Into<String>) -> Self {
        Self {
            passed: false,
            report: report.into(),
        }
    }
}

/// What a program's `main` returns, as `grade` runs it: `()` or a `Result`.
pub trait IntoRun {
    fn into_run(self) -> anyhow::Result<()>;
}

impl IntoRun for () {
    fn into_run(self) -> anyhow::Result<()> {
        Ok(())
    }
}

impl<E: Into<anyhow::Error>> IntoRun for Result<(), E> {
    fn into_run(self) -> anyhow::Result<()> {
        self.map_err(Into::into)
    }
}

/// The `exercises` folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Exercise {
    /// Its number for the runner: its place in [`EXERCISES`], from 1.
    pub fn number(&self) -> usize {
        EXERCISES
            .iter()
            .position(|exercise| exercise.name == self.name)
            .map_or(0, |index| index + 1)
    }

    /// `exercises/<name>/<file>.rs`: `starter`, `solution` or `wrong-<answer>`.
    pub fn shipped(&self, file: &str) -> PathBuf {
        root().join(self.name).join(format!("{file}.rs"))
    }

    /// The learner's copy: `exercises/mine/NN-<name>.rs`.
    pub fn mine(&self) -> PathBuf {
        mine().join(format!("{:02}-{}.rs", self.number(), self.name))
    }

    /// The book page: `book/<lang>/exercises/<name>.md`.
    pub fn page(&self, lang: &str) -> PathBuf {
        root()
            .join("../book")
            .join(lang)
            .join("exercises")
            .join(format!("{}.md", self.name))
    }
}

/// The folder of the learner's copies: `exercises/mine/` (ignored by git), or the folder
/// `EXERCISES_MINE` names.
pub fn mine() -> PathBuf {
    std::env::var_os("EXERCISES_MINE").map_or_else(|| root().join("mine"), PathBuf::from)
}

/// The exercise called `name`, or numbered `name`.
pub fn find(name: &str) -> Option<&'static Exercise> {
    match name.parse::<usize>() {
        Ok(number) => EXERCISES.get(number.checked_sub(1)?),
        Err(_) => EXERCISES.iter().find(|exercise| exercise.name == name),
    }
}

/// Grades `variant` of `exercise` (`starter`, `solution`, `wrong-<answer>`, or `mine`) with the
/// `grade` program at `grade`, built around it.
pub fn grade(grade: &Path, exercise: &Exercise, variant: &str) -> anyhow::Result<Verdict> {
    let mut command = Command::new(grade);
    command
        .env("EXERCISE", exercise.name)
        .env("EXERCISE_VARIANT", variant)
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    let hung = || {
        Verdict::fail(format!(
            "still running after {} s, and stopped: something waits for ever",
            TIMEOUT.as_secs()
        ))
    };
    if exercise.grader == Grader::Model {
        let Some((status, stdout, stderr)) = run(&mut command)? else {
            return Ok(hung());
        };
        let report = match stdout.trim_end() {
            // No report at all: the check itself died (a stack overflow, an abort).
            "" if !status.success() => format!("the check died ({status}):\n{}", stderr.trim_end()),
            report => report.to_owned(),
        };
        return Ok(Verdict {
            passed: status.success(),
            report,
        });
    }
    let trace = std::env::temp_dir().join(format!(
        "exercise-{}-{variant}-{}.json",
        exercise.name,
        std::process::id()
    ));
    command
        .env(shared::timeline::TIMELINE_VAR, &trace)
        .env(shared::pace::TIME_SCALE_VAR, TIME_SCALE);
    let ran = run(&mut command);
    let read = std::fs::read_to_string(&trace);
    let _ = std::fs::remove_file(&trace);
    let Some((status, stdout, stderr)) = ran? else {
        return Ok(hung());
    };
    if !status.success() {
        let stderr = stderr.trim_end();
        return Ok(Verdict::fail(format!(
            "the program failed ({status}){}{stderr}",
            if stderr.is_empty() { "" } else { ":\n" }
        )));
    }
    match read {
        Ok(text) if !text.is_empty() => {
            let trace = shared::trace::Trace::parse(&text)
                .with_context(|| format!("the timeline of {}", exercise.name))?;
            Ok(program::judge(
                exercise.name,
                &program::Run { stdout, trace },
            ))
        }
        _ => anyhow::bail!("the run of {} wrote no timeline", exercise.name),
    }
}

/// What a run of `grade` left: its exit status, stdout and stderr.
type Ran = (std::process::ExitStatus, String, String);

/// Runs `command` to its end; `None` if it was still running after [`TIMEOUT`], and killed.
fn run(command: &mut Command) -> anyhow::Result<Option<Ran>> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (mut stdout, mut stderr) = (child.stdout.take(), child.stderr.take());
    let out = std::thread::spawn(move || read_all(stdout.as_mut()));
    let err = std::thread::spawn(move || read_all(stderr.as_mut()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            // Its children go with it: the timeline's and multiprocessing's watch their parent.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let (stdout, stderr) = (out.join(), err.join());
    let text = |joined: std::thread::Result<String>| joined.unwrap_or_default();
    Ok(Some((status, text(stdout), text(stderr))))
}

fn read_all(stream: Option<&mut impl std::io::Read>) -> String {
    let mut bytes = Vec::new();
    if let Some(stream) = stream {
        let _ = stream.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
