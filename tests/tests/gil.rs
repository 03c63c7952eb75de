//! The GIL chapter (package `examples-threads`): CPU-bound work in threads, the simulated GIL,
//! thread pools and I/O-bound work against the loopback server. Durations, speedups and
//! in-flight counts vary, so they are redacted; what is checked is every documented line, the
//! totals, and the examples' own reports that the server answered each URL exactly once.

use tests::{assert_same_lines, assert_transcript, example, redact, str};

/// A duration as Rust prints an `f64` of seconds: `0.196173692`, or `1` for a whole second.
const SECS: &str = r"\d+(?:\.\d+)?";

fn redact_secs(stdout: &str, line_pattern: &str) -> String {
    let pattern = line_pattern.replace("SECS", &format!("(?<redacted>{SECS})"));
    redact(stdout, &[("[SECS]", &pattern)])
}

/// The server's "at most N at a time" from each line that reports it, in order.
fn in_flight(stdout: &str) -> Vec<usize> {
    let regex = regex::Regex::new(r"(?m); at most (\d+) at a time$").unwrap();
    regex
        .captures_iter(stdout)
        .map(|captures| captures[1].parse().unwrap())
        .collect()
}

fn gil_run<const N: usize>(binary: &str, args: [&str; N]) -> String {
    let run = example(binary).args(args).run().success();
    redact(
        &run.stdout,
        &[
            ("[SECS]", &format!(r"\): (?<redacted>{SECS})$")),
            ("[SECS]", &format!(r" each: (?<redacted>{SECS})$")),
            ("[RATIO]", r"^speedup: (?<redacted>\d+\.\d{2})x$"),
            ("[N]", r"^forced switches: (?<redacted>\d+)$"),
        ],
    )
}

#[test]
fn gil_decrement_times_one_thread_then_two_and_prints_the_speedup() {
    assert_transcript(
        &gil_run("gil_decrement", []),
        str![[r#"
1 thread,  decrement(100000000): [SECS]
2 threads, decrement(50000000) each: [SECS]
speedup: [RATIO]x

"#]],
    );
}

#[test]
fn gil_simulated_ends_and_prints_the_speedup_and_the_forced_switches() {
    assert_transcript(
        &gil_run("gil_simulated", []),
        str![[r#"
simulated GIL, switch interval 5 ms
1 thread,  decrement(100000000): [SECS]
2 threads, decrement(50000000) each: [SECS]
forced switches: [N]
speedup: [RATIO]x

"#]],
    );
    assert_transcript(
        &gil_run("gil_simulated", ["--switch-ms", "1"]),
        str![[r#"
simulated GIL, switch interval 1 ms
1 thread,  decrement(100000000): [SECS]
2 threads, decrement(50000000) each: [SECS]
forced switches: [N]
speedup: [RATIO]x

"#]],
    );
}

#[test]
fn countdown_runs_the_single_then_the_two_thread_version() {
    let run = example("countdown").run().success();
    assert_transcript(
        &redact_secs(&run.stdout, r"Time taken in seconds - SECS$"),
        str![[r#"
1 thread: Time taken in seconds - [SECS]
2 threads: Time taken in seconds - [SECS]

"#]],
    );
}

#[test]
fn countdown_runs_only_the_version_asked_for() {
    for (threads, line) in [
        ("1", "1 thread: Time taken in seconds - [SECS]\n"),
        ("3", "3 threads: Time taken in seconds - [SECS]\n"),
    ] {
        let run = example("countdown")
            .args(["--threads", threads, "--count", "1000"])
            .run()
            .success();
        assert_eq!(
            redact_secs(&run.stdout, r"Time taken in seconds - SECS$"),
            line
        );
    }
}

#[test]
fn bad_flags_exit_2_with_one_clear_line() {
    for (binary, args, message) in [
        (
            "gil_simulated",
            ["--switch-ms", "x"],
            "invalid value 'x' for '--switch-ms <SWITCH_MS>': invalid digit found in string",
        ),
        (
            "gil_simulated",
            ["--switch-ms", "0"],
            "invalid value '0' for '--switch-ms <SWITCH_MS>': 0 is not in 1..=1000",
        ),
        (
            "countdown",
            ["--threads", "0"],
            "invalid value '0' for '--threads <THREADS>': 0 is not in 1..=1024",
        ),
        (
            "countdown",
            ["--count", "-1"],
            "invalid value '-1' for '--count <COUNT>': invalid digit found in string",
        ),
    ] {
        let run = example(binary).args(args).run();
        assert_eq!(run.bad_input(), format!("{binary}: {message} (see --help)"));
    }
}

#[test]
fn gil_sum_prints_the_same_total_both_ways() {
    let run = example("gil_sum").run().success();
    assert_transcript(
        &redact_secs(&run.stdout, r"^(?:normal|mutilThread): SECS$"),
        str![[r#"
1999998000000
normal: [SECS]
1999998000000
mutilThread: [SECS]

"#]],
    );
}

#[test]
fn dummy_pool_fetches_every_url_once_per_phase() {
    let run = example("dummy_pool").run().success();
    let stdout = redact(
        &run.stdout,
        &[
            (
                "[SECS]",
                &format!(r"^(?:Normal|Thread Pool): (?<redacted>{SECS})$"),
            ),
            ("[N]", r"; at most (?<redacted>\d+) at a time$"),
        ],
    );
    assert_transcript(
        &stdout,
        str![[r#"
Normal: [SECS]
the server answered /home, /tieba, /www once each; at most [N] at a time
Thread Pool: [SECS]
the server answered /home, /tieba, /www once each; at most [N] at a time

"#]],
    );
    // Sequential fetches never overlap; the pool's can, three at the most. (The server reports
    // its maximum so far, so the second number is the pool's own whenever it is above 1.)
    let in_flight = in_flight(&run.stdout);
    assert_eq!(in_flight[0], 1);
    assert!((1..=3).contains(&in_flight[1]), "three URLs: {in_flight:?}");
}

#[test]
fn threadpool_hello_greets_everyone_before_reporting_the_seconds() {
    let run = example("threadpool_hello").run().success();
    let stdout = redact(&run.stdout, &[("[N]", r"^(?<redacted>\d+) second$")]);
    let lines: Vec<_> = stdout.lines().collect();
    assert_eq!(lines.last(), Some(&"[N] second"), "{lines:#?}");
    assert_same_lines(
        &lines[..lines.len() - 1],
        &["Hello xiaozi", "Hello aa", "Hello bb", "Hello cc"],
    );
}

#[test]
fn thread_crawler_fetches_every_url_once_and_processes_every_page() {
    let run = example("thread_crawler").run().success();
    let stdout = redact(
        &run.stdout,
        &[
            ("[SECS]", r" in (?<redacted>\d+\.\d{2}) seconds$"),
            ("[COUNTS]", r"^pages per worker: (?<redacted>\{.*\})$"),
            ("[N]", r"; at most (?<redacted>\d+) at a time$"),
        ],
    );
    assert_transcript(
        &stdout,
        str![[r#"
fetched 100 pages with 10 worker threads in [SECS] seconds
processed 100 pages in one consumer thread
pages per worker: [COUNTS]
the server answered each of the 100 URLs once; at most [N] at a time

"#]],
    );

    // `{1: 10, 2: 9, …}`: workers numbered 1 to 10, at most once each, 100 pages in all.
    let counts = run
        .stdout_lines()
        .into_iter()
        .find_map(|line| line.strip_prefix("pages per worker: "))
        .unwrap();
    let entry = regex::Regex::new(r"(\d+): (\d+)").unwrap();
    let mut workers = Vec::new();
    let mut pages = 0;
    for captures in entry.captures_iter(counts) {
        workers.push(captures[1].parse::<usize>().unwrap());
        pages += captures[2].parse::<usize>().unwrap();
    }
    assert_eq!(pages, 100, "{}", run.stdout);
    assert!(workers.iter().all(|w| (1..=10).contains(w)), "{workers:?}");
    assert!(workers.windows(2).all(|w| w[0] < w[1]), "{workers:?}");
    let in_flight = in_flight(&run.stdout);
    assert!(
        in_flight.len() == 1 && (1..=10).contains(&in_flight[0]),
        "ten workers: {in_flight:?}"
    );
}
