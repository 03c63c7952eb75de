//! Transcripts: an example's documented output, in a Markdown file beside it
//! (`src/bin/<name>.md`), checked against a real run.
//!
//! Every ```` ```console ```` block of the file is one run: a first line `$ [VAR=value …] cargo
//! run -p <package> --bin <binary> [-- <args>…]` (or `$ <binary> [args…]`), then the lines the
//! run prints on stdout. In those lines:
//! - `[PID]`, `[TID]`, `[N]`, `[SECS]` and `[RATIO]` stand for a process id, a thread id, an
//!   integer, a duration in seconds (`2.01`, `0.0002`, `3e-5`) and a ratio printed with two
//!   decimals (`1.97`); `[..]` for any text within a line; `...` on a line of its own for any
//!   number of lines;
//! - `# any order:` starts a group of lines that may come in any order (the same lines, each as
//!   many times); `# in order:` ends it;
//! - `# stderr:` starts what the run prints on stderr, which must be empty otherwise;
//! - `# exit code: N`, anywhere in the block, is the code the run must end with (0 without it).
//!
//! Every run uses the test time scale and must exit with its code, and runs twice, side by side:
//! as it is, with `RUST_BACKTRACE=1`, and with `EXAMPLES_TIMELINE` writing a trace and no
//! `RUST_BACKTRACE`, neither of which may change its output. What a transcript
//! cannot say (at most N at once, happens-before pairs, counts) stays in the chapter tests.

use std::path::Path;

use regex::Regex;

/// One run of a transcript: its command line and what it must print.
#[derive(Debug)]
pub struct Run {
    pub command: String,
    pub binary: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stdout: Vec<Item>,
    pub stderr: Vec<Item>,
    pub exit_code: i32,
}

/// What one place of the output must be.
#[derive(Debug)]
pub enum Item {
    Line(String),
    /// `...`: any number of lines.
    AnyLines,
    /// Lines in any order.
    AnyOrder(Vec<String>),
}

/// The runs of a transcript file.
pub fn parse(text: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_end() != "```console" {
            continue;
        }
        let command = lines
            .next()
            .and_then(|line| line.strip_prefix("$ "))
            .unwrap_or_else(|| panic!("a console block must start with `$ <command>`"))
            .to_owned();
        let mut words = command.split_whitespace().peekable();
        let mut env = Vec::new();
        while let Some((key, value)) = words.peek().and_then(|word| word.split_once('=')) {
            env.push((key.to_owned(), value.to_owned()));
            words.next();
        }
        let words: Vec<&str> = words.collect();
        // `cargo run -p <package> --bin <name> [-- <args>]`, as a reader types it, or the
        // binary's name and its arguments.
        let (binary, args) = match words.iter().position(|word| *word == "--bin") {
            Some(flag) => {
                let binary = words.get(flag + 1).expect("a name after --bin");
                let args = words.iter().skip_while(|word| **word != "--").skip(1);
                (
                    binary.to_string(),
                    args.map(|word| (*word).to_owned()).collect(),
                )
            }
            None => {
                let (binary, args) = words.split_first().expect("a binary after the variables");
                (
                    binary.to_string(),
                    args.iter().map(|word| (*word).to_owned()).collect(),
                )
            }
        };
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut on_stderr = false;
        let mut exit_code = 0;
        let mut group: Option<Vec<String>> = None;
        for line in lines.by_ref() {
            if line.trim_end() == "```" {
                break;
            }
            if let Some(code) = line.strip_prefix("# exit code: ") {
                exit_code = code.parse().expect("`# exit code: N` takes a number");
                continue;
            }
            let items = if on_stderr { &mut stderr } else { &mut stdout };
            match line {
                "# any order:" | "# in order:" | "# stderr:" => {
                    items.extend(group.take().map(Item::AnyOrder));
                    match line {
                        "# any order:" => group = Some(Vec::new()),
                        "# stderr:" => on_stderr = true,
                        _ => {}
                    }
                }
                _ => match &mut group {
                    Some(group) => group.push(line.to_owned()),
                    None if line == "..." => items.push(Item::AnyLines),
                    None => items.push(Item::Line(line.to_owned())),
                },
            }
        }
        let items = if on_stderr { &mut stderr } else { &mut stdout };
        items.extend(group.take().map(Item::AnyOrder));
        runs.push(Run {
            command,
            binary,
            args,
            env,
            stdout,
            stderr,
            exit_code,
        });
    }
    runs
}

/// Runs every run of the transcript at `path` and compares, with a diff on failure.
#[track_caller]
pub fn check(path: &Path) {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let runs = parse(&text);
    assert!(!runs.is_empty(), "{}: no ```console block", path.display());
    let stem = path.file_stem().map(|stem| stem.to_string_lossy());
    for run in runs {
        // The file beside `<name>.rs` documents `<name>`: a transcript cannot test another.
        assert_eq!(
            Some(run.binary.as_str()),
            stem.as_deref(),
            "{}: `{}` runs another binary",
            path.display(),
            run.command
        );
        // Once as it is, once with a timeline written to a file: the output must not change.
        // The first run has RUST_BACKTRACE=1, as many Rust users do, the second has none: a
        // designed failure prints the same either way, never a backtrace. The two run side by
        // side: a transcript holds no timing (its times and ratios are placeholders).
        let variant = |timeline: bool| {
            let example = crate::example(&run.binary).args_vec(&run.args);
            let mut example = if timeline {
                example.env_remove("RUST_BACKTRACE")
            } else {
                example.env("RUST_BACKTRACE", "1")
            };
            for (key, value) in &run.env {
                example = example.env(key, value);
            }
            let result = if timeline {
                let (result, trace) = example.timeline();
                assert!(
                    !trace.spans.is_empty(),
                    "{}: an empty timeline for `{}`",
                    path.display(),
                    run.command
                );
                result
            } else {
                example.run()
            };
            if run.exit_code == 0 {
                result.success()
            } else {
                assert_eq!(
                    result.status.code(),
                    Some(run.exit_code),
                    "{}: `{}` must exit with code {}",
                    path.display(),
                    run.command,
                    run.exit_code
                );
                result
            }
        };
        let (plain, traced) = std::thread::scope(|scope| {
            let traced = scope.spawn(|| variant(true));
            let plain = variant(false);
            (plain, traced.join())
        });
        let traced = traced.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        for (result, with) in [(plain, ""), (traced, " with EXAMPLES_TIMELINE")] {
            let context = format!("{} (`{}`{with})", path.display(), run.command);
            compare(&context, "stdout", &result.stdout, &run.stdout);
            compare(&context, "stderr", &result.stderr, &run.stderr);
        }
    }
}

/// Runs the runs of the transcript at `path` that set no variable on `executable`, another build
/// of the example (a copied-out one, which has no time scale: it takes the tutorial's time), and
/// compares, as [`check`] does.
#[track_caller]
pub fn check_executable(path: &Path, executable: &Path) {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let runs: Vec<Run> = parse(&text)
        .into_iter()
        .filter(|run| run.env.is_empty())
        .collect();
    assert!(
        !runs.is_empty(),
        "{}: no run without variables",
        path.display()
    );
    for run in runs {
        let result = crate::example(&run.binary)
            .executable(executable)
            .args_vec(&run.args)
            .run();
        let context = format!(
            "{} (`{}`, as {})",
            path.display(),
            run.command,
            executable.display()
        );
        assert_eq!(
            result.status.code(),
            Some(run.exit_code),
            "{context}: its exit code"
        );
        compare(&context, "stdout", &result.stdout, &run.stdout);
        compare(&context, "stderr", &result.stderr, &run.stderr);
    }
}

/// Compares `actual` with `items`; on a mismatch, shows the two with every line that did match
/// written as the transcript writes it, so that the diff shows only what differs.
#[track_caller]
fn compare(context: &str, stream: &str, actual: &str, items: &[Item]) {
    let (normalized, expected) = normalize(actual, items);
    if normalized != expected {
        panic!(
            "{context}: {stream} differs from the transcript\n--- transcript ---\n{expected}\n--- this run, matched lines as written in the transcript ---\n{normalized}\n--- this run, as printed ---\n{actual}"
        );
    }
}

fn normalize(actual: &str, items: &[Item]) -> (String, String) {
    let lines: Vec<&str> = actual.lines().collect();
    let mut normalized: Vec<String> = Vec::new();
    let mut expected: Vec<String> = Vec::new();
    let mut at = 0;
    for (index, item) in items.iter().enumerate() {
        match item {
            Item::Line(pattern) => {
                expected.push(pattern.clone());
                match lines.get(at) {
                    Some(line) if line_matches(pattern, line) => normalized.push(pattern.clone()),
                    Some(line) => normalized.push((*line).to_owned()),
                    None => {}
                }
                at += 1;
            }
            Item::AnyLines => {
                expected.push("...".into());
                normalized.push("...".into());
                // Up to the first line the next item can take; to the end if none follows.
                let next = items.get(index + 1);
                at = match next {
                    None => lines.len(),
                    Some(next) => (at..lines.len())
                        .find(|&candidate| starts(next, lines[candidate]))
                        .unwrap_or(lines.len()),
                };
            }
            Item::AnyOrder(patterns) => {
                expected.extend(patterns.iter().cloned());
                // `at` is past the end when the run printed fewer lines than the transcript.
                let start = at.min(lines.len());
                let end = (start + patterns.len()).min(lines.len());
                let mut left: Vec<&str> = lines[start..end].to_vec();
                let mut unmatched = Vec::new();
                for pattern in patterns {
                    match left.iter().position(|line| line_matches(pattern, line)) {
                        Some(found) => {
                            left.remove(found);
                            normalized.push(pattern.clone());
                        }
                        None => unmatched.push(pattern),
                    }
                }
                // What no pattern took shows up in the diff, after the lines that matched.
                normalized.extend(left.into_iter().map(str::to_owned));
                at = end;
            }
        }
    }
    normalized.extend(lines.iter().skip(at).map(|line| (*line).to_owned()));
    (lines_text(&normalized), lines_text(&expected))
}

fn starts(item: &Item, line: &str) -> bool {
    match item {
        Item::Line(pattern) => line_matches(pattern, line),
        Item::AnyLines => true,
        Item::AnyOrder(patterns) => patterns.iter().any(|pattern| line_matches(pattern, line)),
    }
}

fn lines_text(lines: &[String]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// Whether `line` is what `pattern` describes, placeholders included.
pub fn line_matches(pattern: &str, line: &str) -> bool {
    if pattern == line {
        return true;
    }
    let placeholders = [
        ("[PID]", r"\d+"),
        ("[TID]", r"\d+"),
        ("[N]", r"-?\d+"),
        ("[SECS]", r"\d+(?:\.\d+)?(?:e-?\d+)?"),
        ("[RATIO]", r"\d+\.\d{2}"),
        ("[..]", r".*?"),
    ];
    let mut regex = String::from("^");
    let mut rest = pattern;
    'outer: while !rest.is_empty() {
        for (placeholder, replacement) in placeholders {
            if let Some(after) = rest.strip_prefix(placeholder) {
                regex.push_str(replacement);
                rest = after;
                continue 'outer;
            }
        }
        let next = rest.chars().next().expect("rest is not empty");
        regex.push_str(&regex::escape(&next.to_string()));
        rest = &rest[next.len_utf8()..];
    }
    regex.push('$');
    Regex::new(&regex).is_ok_and(|regex| regex.is_match(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_match_their_kind_only() {
        assert!(line_matches(
            "子进程: [PID] - 任务1",
            "子进程: 4242 - 任务1"
        ));
        assert!(!line_matches("子进程: [PID] - 任务1", "子进程: x - 任务1"));
        assert!(line_matches("总共用时[SECS]秒", "总共用时2.01秒"));
        assert!(line_matches("took [SECS] s", "took 3e-5 s"));
        assert!(line_matches("a [..] b", "a anything at all b"));
        assert!(!line_matches("a [..] b", "a anything"));
        assert!(line_matches("speedup: [RATIO]x", "speedup: 1.97x"));
        assert!(!line_matches("speedup: [RATIO]x", "speedup: 2x"));
        assert!(line_matches("ThreadId([TID])", "ThreadId(12)"));
        assert!(!line_matches("ThreadId([TID])", "ThreadId(main)"));
    }

    #[test]
    fn a_run_shorter_than_its_transcript_is_a_mismatch_not_a_panic() {
        let runs = parse(
            "```console
$ demo
first
second
# any order:
a
b
```
",
        );
        let (normalized, expected) = normalize(
            "first
",
            &runs[0].stdout,
        );
        assert_ne!(normalized, expected);
    }

    #[test]
    fn groups_in_any_order_and_elisions_normalize_to_the_transcript() {
        let runs = parse(
            "```console\n$ X=1 cargo run -p demos --bin demo -- --flag\nfirst\n# any order:\nb [N]\na [N]\n# in order:\nlast\n...\n```\n",
        );
        let run = &runs[0];
        assert_eq!(
            (run.binary.as_str(), &run.args[..]),
            ("demo", &["--flag".to_owned()][..])
        );
        assert_eq!(run.env, [("X".to_owned(), "1".to_owned())]);
        let (normalized, expected) = normalize("first\na 1\nb 2\nlast\nmore\n", &run.stdout);
        assert_eq!(normalized, expected);
        let (normalized, expected) = normalize("first\na 1\nc 2\nlast\n", &run.stdout);
        assert_ne!(
            normalized, expected,
            "a line no pattern takes is a mismatch"
        );
    }
}
