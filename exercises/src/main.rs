//! The exercises' runner: `cargo run -p exercises -- list`, then `check N` after each edit.
//!
//! The learner works on copies it makes in `exercises/mine/` (ignored by git), never on the
//! shipped files, which the workspace's tests grade. `check N` builds the `grade` program around
//! the learner's copy (the `learner` feature), runs it, and says what the grader found.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash as _, Hasher as _};
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use exercises::{EXERCISES, Exercise};

/// Exercises on the tutorial's sections, graded by loom, by timelines and by output.
#[derive(Parser)]
#[command(name = "exercises")]
struct Args {
    /// The language of statements and hints (default: Chinese if LANG starts with zh).
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Option<Action>,
}

#[derive(Subcommand)]
enum Action {
    /// Every exercise, its file, and whether your file passed its last check.
    List,
    /// Grades your file for exercise N (a number or a name).
    Check { exercise: String },
    /// The statement of exercise N and where your file is.
    Show { exercise: String },
    /// The hints of exercise N.
    Hint { exercise: String },
    /// Starts exercise N again from its starting file (yours is kept as .rs.old).
    Reset { exercise: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum Lang {
    Zh,
    En,
}

fn main() {
    let args: Args = shared::example::start_with();
    let lang = args.lang.unwrap_or_else(|| {
        let zh = std::env::var("LANG").is_ok_and(|lang| lang.starts_with("zh"));
        if zh { Lang::Zh } else { Lang::En }
    });
    let outcome = match args.command.unwrap_or(Action::List) {
        Action::List => list(),
        Action::Check { exercise } => find(&exercise).and_then(check),
        Action::Show { exercise } => find(&exercise).and_then(|e| show(e, lang)),
        Action::Hint { exercise } => find(&exercise).and_then(|e| hint(e, lang)),
        Action::Reset { exercise } => find(&exercise).and_then(reset),
    };
    match outcome {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(error) => shared::cli::exit_with(1, &format!("{error:#}")),
    }
}

fn find(name: &str) -> anyhow::Result<&'static Exercise> {
    match exercises::find(name) {
        Some(exercise) => Ok(exercise),
        None => shared::cli::exit_usage(&format!(
            "no exercise {name:?}: give a number from 1 to {} or a name (see `list`)",
            EXERCISES.len()
        )),
    }
}

fn list() -> anyhow::Result<bool> {
    let results = Results::load();
    println!("  #  exercise            graded by  your file");
    for exercise in EXERCISES {
        let mine = mine(exercise)?;
        let mark = match results.get(exercise, &mine) {
            Some(true) => "✔",
            Some(false) => "✗",
            None => "·",
        };
        println!(
            "{mark} {:>2}  {:<18}  {:<9}  {}",
            exercise.number(),
            exercise.name,
            format!("{:?}", exercise.grader).to_lowercase(),
            relative(&mine).display()
        );
    }
    println!("\n✔ passed, ✗ failed, · not checked since its last change.");
    println!("Edit a file, then: cargo run -p exercises -- check N");
    Ok(true)
}

fn check(exercise: &Exercise) -> anyhow::Result<bool> {
    let mine = mine(exercise)?;
    println!(
        "Checking {} ({})…",
        exercise.name,
        relative(&mine).display()
    );
    let Some(grade) = build(exercise)? else {
        println!(
            "\n✗ {} does not compile: the compiler's messages are above.",
            relative(&mine).display()
        );
        return Ok(false);
    };
    let verdict = exercises::grade(&grade, exercise, "mine")?;
    Results::load().record(exercise, &mine, verdict.passed)?;
    if verdict.passed {
        println!("\n✔ {}: {}", exercise.name, verdict.report);
    } else {
        println!("\n✗ {}: {}", exercise.name, verdict.report);
        println!(
            "\nHints: cargo run -p exercises -- hint {}",
            exercise.number()
        );
    }
    Ok(verdict.passed)
}

/// Builds `grade` around the learner's copy; `None` if it does not compile.
fn build(exercise: &Exercise) -> anyhow::Result<Option<PathBuf>> {
    let mut cargo = shared::cargo::command();
    cargo
        .current_dir(exercises::root())
        .args([
            "build",
            "--quiet",
            "-p",
            "exercises",
            "--features",
            "learner",
            "--bin",
            "grade",
        ])
        .arg("--message-format=json-render-diagnostics")
        .env("EXERCISE", exercise.name)
        .env("EXERCISE_FILE", exercise.mine())
        .stdout(Stdio::piped());
    let mut child = cargo.spawn().context("cannot run cargo")?;
    let mut executable = None;
    for line in std::io::BufReader::new(child.stdout.take().context("cargo's output")?).lines() {
        let message: serde_json::Value = serde_json::from_str(&line?).unwrap_or_default();
        if message["reason"] == "compiler-artifact" && message["target"]["name"] == "grade" {
            executable = message["executable"].as_str().map(PathBuf::from);
        }
    }
    if !child.wait()?.success() {
        return Ok(None);
    }
    let built = executable.context("cargo built no `grade`")?;
    // The next build (of another exercise, or `cargo test`) replaces the file cargo made.
    let grade = built.with_file_name(format!("grade-{}", exercise.name));
    fs::copy(&built, &grade).with_context(|| format!("cannot copy {}", built.display()))?;
    Ok(Some(grade))
}

fn show(exercise: &Exercise, lang: Lang) -> anyhow::Result<bool> {
    let page = page(exercise, lang)?;
    // The title and the statement: the page up to its first section.
    let statement: Vec<&str> = page
        .lines()
        .skip_while(|line| !line.starts_with("# "))
        .take_while(|line| !line.starts_with("## "))
        .collect();
    println!("{}", statement.join("\n").trim());
    println!("\nYour file: {}", relative(&mine(exercise)?).display());
    Ok(true)
}

fn hint(exercise: &Exercise, lang: Lang) -> anyhow::Result<bool> {
    let page = page(exercise, lang)?;
    let mut inside = false;
    for line in page.lines() {
        if line.starts_with("<details") {
            inside = true;
        } else if line.starts_with("</details") {
            inside = false;
            println!();
        } else if inside {
            let line = line.replace("<summary>", "").replace("</summary>", "");
            println!("{line}");
        }
    }
    Ok(true)
}

fn reset(exercise: &Exercise) -> anyhow::Result<bool> {
    let mine = exercise.mine();
    if mine.exists() {
        let old = mine.with_extension("rs.old");
        fs::rename(&mine, &old)?;
        println!("Yours is now {}.", relative(&old).display());
    }
    let mine = self::mine(exercise)?;
    println!(
        "{} starts again from the starting file.",
        relative(&mine).display()
    );
    Ok(true)
}

/// The learner's copy, made from the starting file the first time it is needed.
fn mine(exercise: &Exercise) -> anyhow::Result<PathBuf> {
    let mine = exercise.mine();
    if !mine.exists() {
        fs::create_dir_all(mine.parent().context("a folder")?)?;
        fs::copy(exercise.shipped("starter"), &mine)
            .with_context(|| format!("cannot make {}", mine.display()))?;
    }
    Ok(mine)
}

fn page(exercise: &Exercise, lang: Lang) -> anyhow::Result<String> {
    let page = exercise.page(match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    });
    fs::read_to_string(&page).with_context(|| format!("cannot read {}", page.display()))
}

/// `path` from the workspace's root, as a learner would type it.
fn relative(path: &Path) -> PathBuf {
    let root = exercises::root();
    let workspace = root.parent().unwrap_or(&root);
    path.strip_prefix(workspace).unwrap_or(path).to_path_buf()
}

/// The last check of each exercise: which version of the learner's file, and whether it passed.
struct Results(BTreeMap<String, (u64, bool)>);

impl Results {
    fn file() -> PathBuf {
        exercises::mine().join(".checked")
    }

    fn load() -> Self {
        let text = fs::read_to_string(Self::file()).unwrap_or_default();
        let entries = text.lines().filter_map(|line| {
            let mut fields = line.split(' ');
            let name = fields.next()?.to_owned();
            let hash = fields.next()?.parse().ok()?;
            Some((name, (hash, fields.next()? == "passed")))
        });
        Self(entries.collect())
    }

    /// Whether `mine` passed, if it was checked as it is now.
    fn get(&self, exercise: &Exercise, mine: &Path) -> Option<bool> {
        let (hash, passed) = self.0.get(exercise.name)?;
        (Some(*hash) == fingerprint(mine)).then_some(*passed)
    }

    fn record(mut self, exercise: &Exercise, mine: &Path, passed: bool) -> anyhow::Result<()> {
        let hash = fingerprint(mine).context("cannot read your file")?;
        self.0.insert(exercise.name.to_owned(), (hash, passed));
        let text: String = self
            .0
            .iter()
            .map(|(name, (hash, passed))| {
                format!(
                    "{name} {hash} {}\n",
                    if *passed { "passed" } else { "failed" }
                )
            })
            .collect();
        fs::write(Self::file(), text)?;
        Ok(())
    }
}

/// A hash of the file's text, to tell whether it changed since its check.
fn fingerprint(path: &Path) -> Option<u64> {
    let text = fs::read(path).ok()?;
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    Some(hasher.finish())
}
