//! The asyncio chapter in tokio (package `examples-async`). What every run prints is in each
//! example's transcript (`src/bin/<name>.md`); these tests check what a transcript cannot say.

use std::collections::BTreeMap;

use tests::{Run, example};

#[test]
fn speak_async_rejects_unknown_flags() {
    let run = example("speak_async").args(["--block"]).run();
    assert!(run.bad_input().contains("'--block'"));
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
    let lines = run.stdout_lines();
    // The server records the responses in the order it finished them: either one.
    let served = lines
        .iter()
        .find_map(|line| line.strip_prefix("服务器应答了 "))
        .unwrap_or_else(|| panic!("no served line in {lines:#?}"));
    assert!(
        [r#"["/url_a", "/url_b"]"#, r#"["/url_b", "/url_a"]"#].contains(&served),
        "{served}"
    );
    assert!(lines.contains(&"同时处理的请求最多：2 个"), "{lines:#?}");
}

#[test]
fn fetch_two_takes_no_arguments() {
    let run = example("fetch_two").args(["--url", "x"]).run();
    assert!(run.bad_input().contains("'--url'"));
}

/// Checks that each of run_in_executor's bodies comes right after a `200` and after its own
/// request started, and returns the server's "同时最多 N 个" (at most N at once).
fn check_run_in_executor(run: &Run) -> usize {
    let lines = run.stdout_lines();
    let post =
        regex::Regex::new(r"^starting request to http://127\.0\.0\.1:\d+/posts/(\d+) $").unwrap();
    let mut started = BTreeMap::new();
    let mut bodies = BTreeMap::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some(captures) = post.captures(line) {
            started.insert(captures[1].parse::<u32>().unwrap(), index);
        } else if *line == "200" {
            // The task prints its status and body in one go, with no await in between.
            let body: serde_json::Value = serde_json::from_str(lines[index + 1])
                .unwrap_or_else(|error| panic!("line {} after a 200: {error}", index + 1));
            let id = u32::try_from(body["id"].as_u64().unwrap()).unwrap();
            bodies.insert(id, index + 1);
        }
    }
    // So that the check below covers every answer.
    assert_eq!(bodies.len(), 100, "{}", run.stdout);
    for (id, body) in &bodies {
        assert!(
            started[id] < *body,
            "the body of {id} came before its request started"
        );
    }
    let summary = regex::Regex::new(r"^服务器应答了 100 个请求，同时最多 (\d+) 个$").unwrap();
    lines
        .iter()
        .find_map(|line| summary.captures(line))
        .unwrap_or_else(|| panic!("no summary in {}", run.stdout))[1]
        .parse()
        .unwrap()
}

#[test]
fn run_in_executor_prints_each_body_after_its_request_started() {
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
fn async_in_process_runs_its_event_loop_in_a_worker_process_within_the_limit() {
    // The harness also fails the run if the worker outlives the example or is left a zombie.
    let run = example("async_in_process").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines[0], format!("父进程 pid {}", run.pid));
    let worker: u32 = lines[1]
        .strip_prefix("worker 进程 pid ")
        .and_then(|rest| rest.strip_suffix("：运行自己的事件循环"))
        .unwrap_or_else(|| panic!("{:?}", lines[1]))
        .parse()
        .unwrap();
    assert_ne!(
        worker, run.pid,
        "the event loop runs in a process of its own"
    );
    let last = lines.last().unwrap();
    let most: usize = last
        .strip_prefix("服务器上同时处理的请求最多：")
        .and_then(|rest| rest.strip_suffix(" 个（上限 10）"))
        .unwrap_or_else(|| panic!("{last:?}"))
        .parse()
        .unwrap();
    assert!((1..=10).contains(&most), "{most}");
}

#[test]
fn async_in_process_takes_no_arguments() {
    let run = example("async_in_process").args(["--workers", "2"]).run();
    assert!(run.bad_input().contains("'--workers'"));
}
