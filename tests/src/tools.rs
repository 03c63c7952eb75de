//! Tests that need a program the Rust toolchain does not bring (`redis-server`, `mdbook`, a
//! browser), and the rule
//! they follow: on a machine without it, such a test is skipped with one line naming the program
//! and how to install it, and the run still passes; where `CI` is set, it fails instead, so that
//! CI (`.ci/run`, which installs every such program) never skips one.
//!
//! They all live in one test binary with its own harness (`tests/with_tools.rs`, libtest-mimic),
//! because libtest cannot skip a test at run time, nor print anything after its summary: this
//! one ends with how many tests were skipped, and cargo runs it last.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Mutex;

use libtest_mimic::{Arguments, Completion, Trial};

/// A program some tests need, and how a reader installs it.
pub struct Tool {
    /// The executable looked up on `PATH`.
    pub program: &'static str,
    /// What its tests check, for the summary line.
    pub checks: &'static str,
    /// The commands that install it.
    pub install: &'static str,
}

pub const REDIS_SERVER: Tool = Tool {
    program: "redis-server",
    checks: "the task queue on Redis",
    install: "`sudo apt-get install redis-server` (Debian, Ubuntu) or `brew install redis` (macOS)",
};

/// The pinned mdBook: the version `.ci/run` installs and the book is checked with.
pub const MDBOOK_VERSION: &str = "0.5.4";

pub const MDBOOK: Tool = Tool {
    program: "mdbook",
    checks: "the book's build",
    install: "`cargo install mdbook --version 0.5.4 --locked`",
};

pub const CHROMIUM: Tool = Tool {
    program: "chromium",
    checks: "the book in a browser",
    install: "`sudo apt-get install chromium chromium-driver` (Debian)",
};

pub const CHROMEDRIVER: Tool = Tool {
    program: "chromedriver",
    checks: "the book in a browser",
    install: "`sudo apt-get install chromium chromium-driver` (Debian)",
};

impl Tool {
    /// Whether an executable file named [`Tool::program`] is in a directory of `PATH`.
    pub fn is_installed(&self) -> bool {
        use std::os::unix::fs::PermissionsExt as _;
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path).any(|dir| {
            Path::new(&dir)
                .join(self.program)
                .metadata()
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
    }
}

/// Whether this run is CI's, where a missing program fails its tests instead of skipping them.
pub fn is_ci() -> bool {
    std::env::var_os("CI").is_some_and(|value| !value.is_empty())
}

/// The programs that were missing, with how many tests each one skipped.
static SKIPPED: Mutex<Vec<(&'static Tool, usize)>> = Mutex::new(Vec::new());

/// A test that needs `tool`. It runs `test` when the program is installed. When it is not, the
/// test is ignored, its line naming the program and how to install it, or, where `CI` is set,
/// it fails.
pub fn needs(tool: &'static Tool, name: &str, test: fn()) -> Trial {
    needs_all(std::slice::from_ref(tool), name, test)
}

/// A test that needs every program of `tools`, skipped (or failed, under CI) as [`needs`] says,
/// for the first one that is missing.
pub fn needs_all(tools: &'static [Tool], name: &str, test: fn()) -> Trial {
    Trial::ignorable_test(name, move || {
        let Some(tool) = tools.iter().find(|tool| !tool.is_installed()) else {
            test();
            return Ok(Completion::Completed);
        };
        if is_ci() {
            return Err(format!(
                "{} is not on PATH, and CI is set; install: {}",
                tool.program, tool.install
            )
            .into());
        }
        let mut skipped = SKIPPED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match skipped
            .iter_mut()
            .find(|(seen, _)| seen.program == tool.program)
        {
            Some((_, count)) => *count += 1,
            None => skipped.push((tool, 1)),
        }
        Ok(Completion::ignored_with(format!(
            "needs {}, not on PATH; install: {}",
            tool.program, tool.install
        )))
    })
}

/// A test that needs nothing beyond the toolchain, in the same binary.
pub fn plain(name: &str, test: fn()) -> Trial {
    Trial::test(name, move || {
        test();
        Ok(())
    })
}

/// Runs `trials` as libtest would, then says how many were skipped for a missing program, and
/// which command (`again`) to run once it is installed.
pub fn run(trials: Vec<Trial>, again: &str) -> ExitCode {
    let conclusion = libtest_mimic::run(&Arguments::from_args(), trials);
    let skipped = SKIPPED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (tool, count) in skipped.iter() {
        let (tests, them) = if *count == 1 {
            ("test", "it")
        } else {
            ("tests", "them")
        };
        println!(
            "Skipped {count} {tests} of {} because `{}` is not installed. To run {them}, install \
             it with {}, then run `{again}` again.",
            tool.checks, tool.program, tool.install
        );
    }
    conclusion.exit_code()
}
