//! The task queue (`task_queue`) on its default store, SQLite: the tutorial's tasks, a worker
//! killed or stopped in the middle of a task, a run killed or interrupted, and bad input. Its
//! transcript (`task_queue.md`) checks the run's lines; `with_tools.rs` runs the same checks on a
//! Redis it starts, with the roles on several machines and the broker's failure paths.

use nix::sys::signal::Signal;
use tests::example;
use tests::task_queue::{
    check_killed_run, check_stopped_run, check_tutorial_run, run_signalling_a_worker,
};

#[test]
fn the_tutorial_tasks_run_once_each_on_three_workers() {
    check_tutorial_run(&example("task_queue").run().success());
}

#[test]
fn a_killed_workers_task_is_run_again_by_another_and_reported_once() {
    let (run, killed) = run_signalling_a_worker(&[], "square(3)", Signal::SIGKILL);
    check_killed_run(&run.success(), killed);
}

#[test]
fn a_stopped_worker_is_killed_at_the_end_and_the_run_ends_with_every_result() {
    let (run, stopped) = run_signalling_a_worker(&[], "square(", Signal::SIGSTOP);
    check_stopped_run(&run.success(), stopped);
}

/// No Redis answers on a free port: the run ends at once, in one line naming the URL without its
/// password, and the refusal.
#[test]
fn a_redis_that_cannot_be_reached_is_named_in_one_line_without_its_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let why = tests::task_queue::refused(&format!("redis://:hunter2@127.0.0.1:{port}"));
    assert!(
        why.contains("Connection refused"),
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
