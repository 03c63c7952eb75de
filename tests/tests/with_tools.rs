//! Every test that needs a program the Rust toolchain does not bring: `redis-server`, `mdbook`.
//! Where the program is missing, its tests are skipped, each with one line saying what to
//! install, and the run ends by counting them; where `CI` is set, they fail instead
//! (`tests/src/tools.rs`). This binary has its own harness (libtest-mimic) for that, and cargo
//! runs it last (see `tests/Cargo.toml`), so the count is the run's last word.
//!
//! The task queue on Redis, each test with a server of its own (`tests/src/redis.rs`): the
//! checks `distributed.rs` makes on SQLite, failing tasks, the roles on several machines, and a
//! wrong password. The book, built with the pinned mdBook: both editions, no warning, nothing
//! fetched from the network.

use std::process::ExitCode;

use nix::sys::signal::Signal;
use tests::redis::RedisServer;
use tests::task_queue::{self, SQUARES, event};
use tests::tools::{MDBOOK, REDIS_SERVER, needs};
use tests::{Run, example};

fn main() -> ExitCode {
    tests::tools::run(
        vec![
            needs(
                &REDIS_SERVER,
                "the_tutorial_tasks_run_on_redis",
                the_tutorial_tasks_run_on_redis,
            ),
            needs(
                &REDIS_SERVER,
                "a_killed_workers_task_is_run_again_on_redis",
                a_killed_workers_task_is_run_again_on_redis,
            ),
            needs(
                &REDIS_SERVER,
                "a_stopped_worker_cannot_stall_a_run_on_redis",
                a_stopped_worker_cannot_stall_a_run_on_redis,
            ),
            needs(
                &REDIS_SERVER,
                "failing_tasks_on_redis_are_tried_three_times_then_reported",
                failing_tasks_on_redis_are_tried_three_times_then_reported,
            ),
            needs(
                &REDIS_SERVER,
                "workers_and_a_submitter_on_other_machines_share_one_redis",
                workers_and_a_submitter_on_other_machines_share_one_redis,
            ),
            needs(
                &REDIS_SERVER,
                "a_worker_told_to_stop_finishes_the_task_in_hand_first",
                a_worker_told_to_stop_finishes_the_task_in_hand_first,
            ),
            needs(
                &REDIS_SERVER,
                "a_wrong_redis_password_ends_the_run_in_one_line_without_the_password",
                a_wrong_redis_password_ends_the_run_in_one_line_without_the_password,
            ),
            needs(
                &MDBOOK,
                "both_editions_of_the_book_build_without_warnings_and_offline",
                both_editions_of_the_book_build_without_warnings_and_offline,
            ),
        ],
        "cargo test --workspace",
    )
}

fn redis_run(redis: &RedisServer, args: &[&str]) -> Run {
    let mut all = vec!["--redis".to_owned(), redis.url()];
    all.extend(args.iter().map(|arg| (*arg).to_owned()));
    example("task_queue").args_vec(&all).run()
}

fn the_tutorial_tasks_run_on_redis() {
    let redis = RedisServer::start();
    let run = redis_run(&redis, &[]).success();
    task_queue::check_tutorial_run(&run);
    assert_eq!(
        run.stdout_lines()[0],
        format!("队列：Redis，地址 {}", redis.url())
    );
}

fn a_killed_workers_task_is_run_again_on_redis() {
    let redis = RedisServer::start();
    let args = ["--redis".to_owned(), redis.url()];
    let (run, killed) = task_queue::run_signalling_a_worker(&args, "square(3)", Signal::SIGKILL);
    task_queue::check_killed_run(&run.success(), killed);
}

fn a_stopped_worker_cannot_stall_a_run_on_redis() {
    let redis = RedisServer::start();
    let (run, stopped) = task_queue::run_signalling_a_worker(
        &["--redis".to_owned(), redis.url()],
        "square(",
        Signal::SIGSTOP,
    );
    task_queue::check_stopped_run(&run.success(), stopped);
}

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

/// Celery's warm shutdown: a worker told to stop (SIGTERM) in the middle of a task ends that task,
/// reports it, takes no other and exits cleanly; the queue keeps the rest for the next worker.
fn a_worker_told_to_stop_finishes_the_task_in_hand_first() {
    let redis = RedisServer::start();
    let url = redis.url();
    // In real time, a square sleeps up to 3 s: long enough to be stopped in, within the grace.
    let mut first = example("task_queue")
        .args(["worker", "--redis", &url])
        .time_scale(1.0)
        .start();
    first.wait_for_line(|line| line.starts_with("worker 进程 pid"));
    let submitter = example("task_queue")
        .args(["submit", "--redis", &url])
        .start();
    let line = first.wait_for_line(|line| line.contains("启动 (square("));
    let (pid, _, job) = event(&line).expect("a start line");
    let job = job.to_owned();
    first.signal(Signal::SIGTERM);
    let first = first.finish().success();
    let events: Vec<_> = first.stdout_lines().into_iter().filter_map(event).collect();
    assert_eq!(
        events,
        [(pid, "启动", job.as_str()), (pid, "执行完毕", job.as_str())],
        "{}",
        first.stdout
    );

    let mut second = example("task_queue")
        .args(["worker", "--redis", &url])
        .start();
    let submitted = submitter.finish().success();
    assert_eq!(
        submitted.stdout_lines().first().copied(),
        Some(SQUARES),
        "{}",
        submitted.stdout
    );
    second.wait_for_line(|line| line.starts_with("worker 进程 pid"));
    second.signal(Signal::SIGTERM);
    let second = second.finish().success();
    assert_eq!(
        tests::count(&second.stdout_lines(), |line| line.contains("执行完毕")),
        19,
        "the second worker ended the other 19 tasks:\n{}",
        second.stdout
    );
}

fn a_wrong_redis_password_ends_the_run_in_one_line_without_the_password() {
    let server = RedisServer::with_password("correct-horse");
    let why = task_queue::refused(&server.url().replace("correct-horse", "hunter2"));
    assert!(
        why.contains("Password authentication failed"),
        "the refusal is named: {why}"
    );
}

fn both_editions_of_the_book_build_without_warnings_and_offline() {
    let site = tempfile::tempdir().unwrap();
    tests::book::build(site.path());
    let fetched = tests::book::network_references(site.path());
    assert!(
        fetched.is_empty(),
        "the built book fetches from the network: {fetched:#?}"
    );
}
