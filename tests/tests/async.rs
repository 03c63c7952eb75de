//! The asyncio chapter in tokio (package `examples-async`).

use std::collections::BTreeMap;

use tests::{Run, assert_same_lines, assert_transcript, example, redact, str};

const SECS: (&str, &str) = (
    "[SECS]",
    r"^2 speakers took (?<redacted>\d+\.\d{2}) seconds$",
);

#[test]
fn speak_async_overlaps_two_speakers_on_one_thread() {
    let run = example("speak_async").run().success();
    // Both start before either finishes: each `await` hands the one thread to the other speaker.
    assert_transcript(
        &redact(&run.stdout, &[SECS]),
        str![[r#"
starting====
starting====
OMG asynchronicity!
OMG asynchronicity!
2 speakers took [SECS] seconds

"#]],
    );
}

#[test]
fn speak_async_blocking_runs_the_speakers_one_after_the_other() {
    let run = example("speak_async").args(["--blocking"]).run().success();
    // A blocking sleep never yields, so the second speaker cannot start until the first ends.
    assert_transcript(
        &redact(&run.stdout, &[SECS]),
        str![[r#"
starting====
OMG asynchronicity!
starting====
OMG asynchronicity!
2 speakers took [SECS] seconds

"#]],
    );
}

#[test]
fn speak_async_rejects_unknown_flags() {
    let run = example("speak_async").args(["--block"]).run();
    assert!(run.bad_input().contains("'--block'"));
}

/// All ten `Start N` lines, then all ten `End N` lines (each set in any order), then the list.
fn check_gather(run: &Run) {
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 21, "{lines:#?}");
    let starts: Vec<_> = (0..10).map(|i| format!("Start {i}")).collect();
    let ends: Vec<_> = (0..10).map(|i| format!("End {i}")).collect();
    // On the one-thread loop no timer is checked while a task is still ready to run, so every
    // task prints `Start` before any prints `End`.
    assert_same_lines(
        &lines[..10],
        &starts.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_same_lines(
        &lines[10..20],
        &ends.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(lines[20], "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
}

#[test]
fn gather_tasks_join_all_is_the_default_style() {
    check_gather(&example("gather_tasks").run().success());
}

#[test]
fn gather_tasks_join_all_starts_all_ten_before_any_ends() {
    check_gather(
        &example("gather_tasks")
            .args(["--style", "join-all"])
            .run()
            .success(),
    );
}

#[test]
fn gather_tasks_spawn_starts_all_ten_before_any_ends() {
    check_gather(
        &example("gather_tasks")
            .args(["--style", "spawn"])
            .run()
            .success(),
    );
}

#[test]
fn gather_tasks_join_set_puts_results_back_in_submission_order() {
    check_gather(
        &example("gather_tasks")
            .args(["--style", "join-set"])
            .run()
            .success(),
    );
}

#[test]
fn gather_tasks_rejects_an_unknown_style() {
    let run = example("gather_tasks").args(["--style", "nope"]).run();
    assert!(run.bad_input().contains("'nope'"));
}

#[test]
fn fetch_two_overlaps_both_requests_at_the_server() {
    // Each request waits 0.5 s at this scale; the second reaches the server within milliseconds
    // of the first, so both are in flight together unless the machine stalls for half a second.
    let run = example("fetch_two").time_scale(0.5).run().success();
    let redacted = redact(
        &run.stdout,
        &[
            (
                "[SECS]",
                r"^fetch_two took (?<redacted>\d+\.\d{2}) seconds$",
            ),
            // The server records the responses in the order it finished them: either one.
            (
                "[BOTH]",
                r#"^the server answered (?<redacted>\["/url_a", "/url_b"\]|\["/url_b", "/url_a"\])$"#,
            ),
        ],
    );
    assert_transcript(
        &redacted,
        str![[r#"
a: 200 OK hello from /url_a
b: 200 OK hello from /url_b
fetch_two took [SECS] seconds
the server answered [BOTH]
most requests in flight at once: 2

"#]],
    );
}

#[test]
fn fetch_two_takes_no_arguments() {
    let run = example("fetch_two").args(["--url", "x"]).run();
    assert!(run.bad_input().contains("'--url'"));
}

/// Checks run_in_executor's 100 requests and returns the server's "at most N at once".
fn check_run_in_executor(run: &Run) -> usize {
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 302, "{}", run.stdout);
    let post =
        regex::Regex::new(r"^starting request to http://127\.0\.0\.1:\d+/posts/(\d+)$").unwrap();
    let mut started = BTreeMap::new();
    let mut bodies = BTreeMap::new();
    for (index, line) in lines[..300].iter().enumerate() {
        if let Some(captures) = post.captures(line) {
            let id: u32 = captures[1].parse().unwrap();
            assert!(started.insert(id, index).is_none(), "{id} started twice");
        } else if *line == "200" {
            // The task prints its status and body in one go, with no await in between.
            let body: serde_json::Value = serde_json::from_str(lines[index + 1]).unwrap();
            let id = u32::try_from(body["id"].as_u64().unwrap()).unwrap();
            assert!(bodies.insert(id, index + 1).is_none(), "body {id} twice");
        } else {
            assert!(line.starts_with('{'), "unexpected line {index}: {line:?}");
        }
    }
    assert_eq!(
        started.keys().copied().collect::<Vec<_>>(),
        (0..100).collect::<Vec<_>>()
    );
    assert_eq!(
        bodies.keys().copied().collect::<Vec<_>>(),
        (0..100).collect::<Vec<_>>()
    );
    for (id, body) in &bodies {
        assert!(
            started[id] < *body,
            "the body of {id} came before its request started"
        );
    }
    let summary =
        regex::Regex::new(r"^the server answered 100 requests, at most (\d+) at once$").unwrap();
    let most = summary
        .captures(lines[300])
        .unwrap_or_else(|| panic!("{:?}", lines[300]))[1]
        .parse()
        .unwrap();
    let redacted = redact(
        lines[301],
        &[(
            "[SECS]",
            r"^run_in_executor executed in (?<redacted>\d+\.\d{2}) seconds\.$",
        )],
    );
    assert_eq!(redacted, "run_in_executor executed in [SECS] seconds.");
    most
}

#[test]
fn run_in_executor_answers_each_of_100_requests_once() {
    let run = example("run_in_executor").run().success();
    let most = check_run_in_executor(&run);
    assert!((1..=100).contains(&most), "{most}");
}

#[test]
fn run_in_executor_never_runs_more_blocking_calls_than_pool_threads() {
    let run = example("run_in_executor")
        .args(["--max-blocking-threads", "3"])
        .run()
        .success();
    // Each pool thread makes one request at a time, so the server never holds more than three.
    let most = check_run_in_executor(&run);
    assert!((1..=3).contains(&most), "{most}");
}

#[test]
fn run_in_executor_rejects_an_empty_pool() {
    let run = example("run_in_executor")
        .args(["--max-blocking-threads", "0"])
        .run();
    assert!(run.bad_input().contains("'0'"));
}

#[test]
fn async_in_process_answers_every_url_once_from_a_worker_process() {
    // The harness also fails the run if the worker outlives the example or is left a zombie.
    let run = example("async_in_process").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 34, "{}", run.stdout);
    assert_eq!(lines[0], format!("parent pid {}", run.pid));
    let worker: u32 = lines[1]
        .strip_prefix("worker pid ")
        .and_then(|rest| rest.strip_suffix(": its own event loop"))
        .unwrap_or_else(|| panic!("{:?}", lines[1]))
        .parse()
        .unwrap();
    assert_ne!(
        worker, run.pid,
        "the event loop runs in a process of its own"
    );

    let result = regex::Regex::new(r"^200 http://127\.0\.0\.1:\d+/posts/(\d+) (\{.*\})$").unwrap();
    let mut ids: Vec<u64> = lines[2..32]
        .iter()
        .map(|line| {
            let captures = result.captures(line).unwrap_or_else(|| panic!("{line:?}"));
            let id = captures[1].parse().unwrap();
            let body: serde_json::Value = serde_json::from_str(&captures[2]).unwrap();
            assert_eq!(body["id"], id, "{line}");
            id
        })
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..30).collect::<Vec<_>>());

    assert_eq!(lines[32], "every URL answered exactly once: 30");
    let most: usize = lines[33]
        .strip_prefix("most requests in flight at the server: ")
        .and_then(|rest| rest.strip_suffix(" (limit 10)"))
        .unwrap_or_else(|| panic!("{:?}", lines[33]))
        .parse()
        .unwrap();
    assert!((1..=10).contains(&most), "{most}");
}

#[test]
fn async_in_process_takes_no_arguments() {
    let run = example("async_in_process").args(["--workers", "2"]).run();
    assert!(run.bad_input().contains("'--workers'"));
}
