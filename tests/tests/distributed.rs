//! The task queue (`task_queue`): the same run on SQLite and on a Redis the test starts, a
//! worker killed in the middle of a task, failing tasks, the roles on several machines, and
//! the broker's failure paths. Its transcript (`task_queue.md`) checks the SQLite run's lines.

use std::collections::HashMap;
use std::time::Duration;

use nix::sys::signal::Signal;
use tests::redis::RedisServer;
use tests::{Run, example};

const SQUARES: &str = "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]";

/// `进程id：123启动 (square(3))` → (123, "启动", "square(3)").
fn event(line: &str) -> Option<(u32, &str, &str)> {
    let rest = line.strip_prefix("进程id：")?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    let (pid, rest) = rest.split_at(digits);
    let (kind, rest) = rest.split_once(" (")?;
    let job = rest.split([')', ' ']).next()?;
    let job = &rest[..rest.find(')').map_or(job.len(), |end| end + 1)];
    Some((pid.parse().ok()?, kind, job))
}

fn worker_pids(run: &Run) -> Vec<u32> {
    let line = run
        .stdout_lines()
        .into_iter()
        .find_map(|line| line.strip_prefix("worker 进程 pid：["))
        .unwrap_or_else(|| panic!("no worker pids line:\n{}", run.stdout));
    line.trim_end_matches(']')
        .split(", ")
        .map(|pid| pid.parse().expect("a pid"))
        .collect()
}

/// What every run of the tutorial's tasks guarantees, whatever the broker: each worker runs one
/// task at a time, every task ends exactly once, by one of the run's workers, and the results
/// come in submission order. Returns, per job, the pids that started it.
fn check_tutorial_run(run: &Run) -> HashMap<String, Vec<u32>> {
    let lines = run.stdout_lines();
    let pids = worker_pids(run);
    assert_eq!(pids.len(), 3, "{}", run.stdout);
    let mut in_hand: HashMap<u32, &str> = HashMap::new();
    let mut started: HashMap<String, Vec<u32>> = HashMap::new();
    let mut ended: HashMap<&str, usize> = HashMap::new();
    for line in &lines {
        let Some((pid, kind, job)) = event(line) else {
            continue;
        };
        assert!(
            pids.contains(&pid),
            "{line}: not one of the run's workers {pids:?}"
        );
        match kind {
            "启动" => {
                assert!(
                    in_hand.insert(pid, job).is_none(),
                    "worker {pid} started {job} with a task in hand:\n{}",
                    run.stdout
                );
                started.entry(job.to_owned()).or_default().push(pid);
            }
            "执行完毕" | "失败" => {
                assert_eq!(in_hand.remove(&pid), Some(job), "{line}\n{}", run.stdout);
                if kind == "执行完毕" {
                    *ended.entry(job).or_default() += 1;
                }
            }
            other => panic!("unknown event {other:?} in {line}"),
        }
    }
    let results_at = tests::position_of(&lines, SQUARES);
    for num in 0..10 {
        let job = format!("square({num})");
        assert_eq!(
            ended.get(job.as_str()),
            Some(&1),
            "{job} must end exactly once:\n{}",
            run.stdout
        );
        let end = format!("执行完毕 ({job} = {})", num * num);
        let at = lines
            .iter()
            .position(|line| line.ends_with(&end))
            .expect("the end line");
        assert!(at < results_at, "{end} after the results:\n{}", run.stdout);
    }
    assert_eq!(ended.get("countdown(5000000)"), Some(&10), "{}", run.stdout);
    started
}

#[test]
fn the_tutorial_tasks_run_on_redis_as_on_sqlite() {
    let redis = RedisServer::start();
    let url = redis.url();
    let on_redis = std::thread::spawn(move || {
        example("task_queue")
            .args(["--redis", &url])
            .run()
            .success()
    });
    let on_sqlite = example("task_queue").run().success();
    let on_redis = on_redis.join().unwrap();
    check_tutorial_run(&on_sqlite);
    check_tutorial_run(&on_redis);
    assert_eq!(
        on_redis.stdout_lines()[0],
        format!("队列：Redis，地址 {}", redis.url())
    );
}

/// At-least-once delivery: the killed worker's task runs again elsewhere, and is reported once.
fn check_killed_run(run: &Run) {
    let started = check_tutorial_run(run);
    let lines = run.stdout_lines();
    let killed = lines
        .iter()
        .find_map(|line| line.strip_prefix("已用 SIGKILL 杀掉正在执行 square(3) 的 worker "))
        .unwrap_or_else(|| panic!("no kill reported:\n{}", run.stdout));
    let killed: u32 = killed.parse().unwrap();
    let runs_of_3 = &started["square(3)"];
    assert_eq!(
        runs_of_3.len(),
        2,
        "square(3) runs twice: {runs_of_3:?}\n{}",
        run.stdout
    );
    assert_eq!(runs_of_3[0], killed, "{}", run.stdout);
    assert_ne!(runs_of_3[1], killed, "{}", run.stdout);
    // The killed worker printed nothing after its last start.
    let last_start = tests::position_of(&lines, &format!("进程id：{killed}启动 (square(3))"));
    assert!(
        lines[last_start + 1..]
            .iter()
            .all(|line| !line.starts_with(&format!("进程id：{killed}"))),
        "{}",
        run.stdout
    );
}

#[test]
fn a_killed_workers_task_is_run_again_by_another_and_reported_once() {
    let redis = RedisServer::start();
    let url = redis.url();
    let on_redis = std::thread::spawn(move || {
        example("task_queue")
            .args(["--redis", &url, "--kill-a-worker"])
            .run()
            .success()
    });
    let on_sqlite = example("task_queue")
        .args(["--kill-a-worker"])
        .run()
        .success();
    check_killed_run(&on_sqlite);
    check_killed_run(&on_redis.join().unwrap());
}

#[test]
fn failing_tasks_on_redis_are_tried_three_times_then_reported() {
    let redis = RedisServer::start();
    let run = example("task_queue")
        .args(["--redis", &redis.url(), "--fail-tasks"])
        .env_remove("RUST_BACKTRACE")
        .run();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let lines = run.stdout_lines();
    for (job, error) in [
        ("fails()", "这个任务总是失败"),
        ("panics()", "panic 了：这个任务总是 panic"),
    ] {
        let starts = tests::count(&lines, |line| {
            event(line).is_some_and(|(_, kind, of)| kind == "启动" && of == job)
        });
        assert_eq!(starts, 3, "{job}:\n{}", run.stdout);
        assert_eq!(
            tests::count(&lines, |line| line
                == format!("{job} 尝试 3 次后仍失败：{error}")),
            1,
            "{}",
            run.stdout
        );
    }
    assert!(
        run.stderr
            .ends_with("task_queue: 2 个任务失败，每个都试了 3 次\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn workers_and_a_submitter_on_other_machines_share_one_redis() {
    let redis = RedisServer::with_password("s3cret");
    let url = redis.url();
    let mut workers: Vec<_> = (0..2)
        .map(|_| {
            let mut worker = example("task_queue")
                .args(["worker", "--redis", &url])
                .start();
            let line = worker.wait_for_line(|line| line.starts_with("worker 进程 pid"));
            assert!(
                line.ends_with("服务于 Redis，地址 redis://:***@127.0.0.1:")
                    || line.contains("redis://:***@127.0.0.1:"),
                "{line}"
            );
            worker
        })
        .collect();
    let submitted = example("task_queue")
        .args(["submit", "--redis", &url])
        .run()
        .success();
    assert!(!submitted.stdout.contains("s3cret") && !submitted.stderr.contains("s3cret"));
    assert_eq!(
        submitted.stdout_lines().first().copied(),
        Some(SQUARES),
        "{}",
        submitted.stdout
    );
    assert!(submitted.stdout_lines()[1].starts_with("Time taken in seconds - "));
    // Ctrl-C: each worker finishes the task in hand (none by now) and exits cleanly.
    for worker in &workers {
        worker.signal(Signal::SIGINT);
    }
    let mut lines = 0;
    for worker in workers.drain(..) {
        let run = worker.finish().success();
        assert!(!run.stdout.contains("s3cret"), "{}", run.stdout);
        lines += tests::count(&run.stdout_lines(), |line| line.contains("执行完毕"));
    }
    assert_eq!(
        lines, 20,
        "the two workers ended every task once between them"
    );
}

/// Runs `task_queue --redis url` (whose password is `hunter2`), which must end in one line on
/// stderr naming the URL with `***` for the password; returns what follows the URL.
fn refused(url: &str) -> String {
    let run = example("task_queue")
        .args(["--redis", url])
        .timeout(Duration::from_secs(20))
        .run();
    let line = run.one_line_error();
    let named = format!(
        "task_queue: cannot reach Redis at {}: ",
        url.replace("hunter2", "***")
    );
    assert!(line.starts_with(&named), "{line}");
    assert!(
        !run.stdout.contains("hunter2") && !line.contains("hunter2"),
        "{run:?}"
    );
    line[named.len()..].to_owned()
}

#[test]
fn a_redis_that_cannot_be_reached_is_named_in_one_line_without_its_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let why = refused(&format!("redis://:hunter2@127.0.0.1:{port}"));
    assert!(
        why.contains("Connection refused"),
        "the refusal is named: {why}"
    );
}

#[test]
fn a_wrong_redis_password_ends_the_run_in_one_line_without_the_password() {
    let server = RedisServer::with_password("correct-horse");
    let why = refused(&server.url().replace("correct-horse", "hunter2"));
    assert!(
        why.contains("Password authentication failed"),
        "the refusal is named: {why}"
    );
}

#[test]
fn a_bad_redis_url_or_a_role_without_one_is_bad_input() {
    let bad = example("task_queue")
        .args(["--redis", "http://127.0.0.1:1"])
        .run();
    assert!(
        bad.bad_input().contains("not a Redis URL"),
        "{}",
        bad.stderr
    );
    let alone = example("task_queue").args(["worker"]).run();
    assert_eq!(
        alone.bad_input(),
        "task_queue: worker and submit need --redis URL, the queue they share"
    );
}

#[test]
fn a_killed_or_interrupted_run_leaves_no_process_and_no_file() {
    let tmpdir = tempfile::Builder::new()
        .prefix("queue")
        .tempdir_in("/tmp")
        .unwrap();
    for signal in [Signal::SIGKILL, Signal::SIGINT, Signal::SIGTERM] {
        let mut started = example("task_queue")
            .env("TMPDIR", &tmpdir.path().to_string_lossy())
            .env_remove("RUST_BACKTRACE")
            .start();
        started.wait_for_line(|line| line.contains("启动"));
        let children = started.children();
        assert_eq!(children.len(), 3, "three workers");
        if signal == Signal::SIGINT {
            started.signal_group(signal);
        } else {
            started.signal(signal);
        }
        let run = started.finish();
        assert!(!run.status.success(), "{signal}: {run:?}");
        // Orphaned workers notice their parent is gone, remove the queue and exit.
        std::thread::sleep(tests::ORPHAN_GRACE);
        for child in children {
            assert!(
                !std::path::Path::new(&format!("/proc/{child}")).exists(),
                "{signal}: worker {child} outlived the run"
            );
        }
        let left: Vec<_> = std::fs::read_dir(tmpdir.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        assert!(
            left.is_empty(),
            "{signal}: left in TMPDIR: {left:?}\n{}",
            run.stderr
        );
    }
}
