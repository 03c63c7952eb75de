//! The failure paths a user hits, each run for real: a reader that goes away (`| head`), a kill
//! at any moment of a child's start, a dead pool worker, a dead manager client, a child's failure
//! reported whole, resource limits, and input that is accepted but cannot be meant. Every run
//! also passes the harness's own checks: nothing outlives the example, nothing is left unreaped.

use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::time::Duration;

use nix::sys::signal::Signal;
use tests::{Run, assert_transcript, count, example, redact, str};

/// Long enough for a slow machine, short enough that a hang fails the test soon.
const HANG_GUARD: Duration = Duration::from_secs(20);

fn pids_redacted(text: &str) -> String {
    redact(text, &[("[PID]", r"pid (?<redacted>\d+)\)")])
}

// 1. A reader that goes away ------------------------------------------------------------------

/// What a Unix tool does when its reader leaves: exit 0, or die of SIGPIPE (a shell shows 141),
/// and say nothing.
#[track_caller]
fn assert_ended_quietly(run: &Run) {
    let quiet_status = run.status.success() || run.status.signal() == Some(Signal::SIGPIPE as i32);
    assert!(
        quiet_status,
        "{} {:?}: expected exit 0 or SIGPIPE, got {}\n--- stderr ---\n{}",
        run.name, run.args, run.status, run.stderr
    );
    assert_eq!(
        run.stderr, "",
        "{} {:?}: nothing on stderr when the reader goes away",
        run.name, run.args
    );
}

#[test]
fn examples_end_quietly_when_their_reader_goes_away_after_one_line() {
    // The first four hung before (a thread died on `println!` and the others waited for it on a
    // Barrier, a Condvar, a WaitGroup or a channel); the others printed panic traces.
    let examples = [
        "barrier",
        "condition",
        "queue_task_done",
        "event_loop",
        "event_loop",
        "event_loop",
        "run_in_executor",
        "gather_tasks",
        "thread_crawler",
        "pool_apply_async",
        "manager_dict_list",
        "queue_pids",
        "async_in_process",
    ];
    for name in examples {
        let run = example(name)
            .env_remove("RUST_BACKTRACE")
            .reader_gone_after(1)
            .timeout(HANG_GUARD)
            .run();
        assert_ended_quietly(&run);
    }
}

#[test]
fn an_example_in_a_long_sleep_ends_when_its_reader_goes_away_not_at_its_next_line() {
    // At this scale the sleeps after the first line last 200 s, far past the hang guard: the
    // examples (and the children of the process one) must notice the closed pipe by themselves.
    for name in ["thread_long_time_task", "process_long_time_task"] {
        let run = example(name)
            .time_scale(100.0)
            .reader_gone_after(1)
            .timeout(HANG_GUARD)
            .run();
        assert_eq!(
            run.status.signal(),
            Some(Signal::SIGPIPE as i32),
            "{name}: {run:?}"
        );
        assert_ended_quietly(&run);
    }
}

#[test]
fn a_timeline_run_ends_as_its_example_does_when_the_readers_go_away() {
    // The recorder (shared::timeline) is one more process between the reader and the example.
    // With stdout's reader gone, the chart still follows on stderr; with stderr's gone too, the
    // recorder writes nothing and still dies of SIGPIPE, not of a panic.
    for stderr_gone in [false, true] {
        let mut recorded = example("process_long_time_task")
            .time_scale(100.0)
            .env("EXAMPLES_TIMELINE", "1")
            .reader_gone_after(1)
            .timeout(HANG_GUARD);
        if stderr_gone {
            recorded = recorded.stderr_reader_gone();
        }
        let run = recorded.run();
        assert_eq!(run.status.signal(), Some(Signal::SIGPIPE as i32), "{run:?}");
        if stderr_gone {
            assert_eq!(run.stderr, "");
        } else {
            assert!(run.stderr.starts_with("timeline: "), "{}", run.stderr);
            assert!(run.stderr.contains("\nMainThread "), "{}", run.stderr);
        }
    }
}

#[test]
fn killing_a_timeline_run_leaves_no_process_whichever_is_hit() {
    // The recorder alone (SIGKILL: its lifeline pipe ends the example, whose own lifelines end
    // its children), or the whole group at once (Ctrl-C).
    for group in [false, true] {
        let mut started = example("process_long_time_task")
            .time_scale(100.0)
            .env("EXAMPLES_TIMELINE", "1")
            .timeout(HANG_GUARD)
            .start();
        started.wait_for_line(|line| line.starts_with("子进程"));
        let signal = if group {
            started.signal_group(Signal::SIGINT);
            Signal::SIGINT
        } else {
            started.signal(Signal::SIGKILL);
            Signal::SIGKILL
        };
        let run = started.finish(); // fails on any process of the group left alive
        assert_eq!(run.status.signal(), Some(signal as i32), "{run:?}");
    }
}

// 2. A kill during the handshake ----------------------------------------------------------------

#[test]
fn no_file_is_left_in_tmpdir_whenever_the_parent_is_killed() {
    let tmpdir = tempfile::Builder::new()
        .prefix("kill")
        .tempdir_in("/tmp")
        .expect("cannot make a TMPDIR for the fixture");
    let signals = [Signal::SIGKILL, Signal::SIGTERM, Signal::SIGINT];
    for round in 0..24_u64 {
        let mut started = example("fixture_spawn")
            .args(["spawn-forever"])
            .env("TMPDIR", &tmpdir.path().to_string_lossy())
            .env_remove("RUST_BACKTRACE")
            .timeout(HANG_GUARD)
            .start();
        started.wait_for_line(|line| line == "spawning");
        // Children start back to back, so every moment is inside some child's handshake; the
        // rounds spread the kills over a few milliseconds of them.
        std::thread::sleep(Duration::from_millis(round % 8 * 3));
        let signal = signals[usize::try_from(round).unwrap() % signals.len()];
        if signal == Signal::SIGINT {
            started.signal_group(signal); // Ctrl-C: the parent and its children at once
        } else {
            started.signal(signal);
        }
        let run = started.finish();
        assert_eq!(run.status.signal(), Some(signal as i32), "{run:?}");
        let left: Vec<_> = std::fs::read_dir(tmpdir.path())
            .expect("the TMPDIR is readable")
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        assert!(
            left.is_empty(),
            "round {round}, {signal}: left in TMPDIR: {left:?}\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_tmpdir_that_cannot_hold_a_socket_stops_a_process_example_with_one_line() {
    use std::os::unix::ffi::OsStrExt as _;
    let file = tempfile::NamedTempFile::new().expect("cannot make a file");
    let long = format!("/tmp/{}", "d".repeat(100));
    let cases: [(&std::ffi::OsStr, &str); 4] = [
        ("/nonexistent".as_ref(), "no such directory"),
        (file.path().as_os_str(), "not a directory"),
        (long.as_ref(), "too long"),
        (std::ffi::OsStr::from_bytes(b"/tmp/\xff"), "not valid UTF-8"),
    ];
    for (tmpdir, reason) in cases {
        let run = example("process_hello").env_os("TMPDIR", tmpdir).run();
        let line = run.bad_input();
        assert!(
            line.starts_with("process_hello: TMPDIR=") && line.contains(reason),
            "TMPDIR={tmpdir:?}: {line}"
        );
    }
    assert!(
        !Path::new(&long).exists(),
        "nothing may be created for a refused TMPDIR"
    );
}

// 3. A pool job that cannot finish ----------------------------------------------------------------

fn pool_scenario(name: &str) -> String {
    let run = example("fixture_pool")
        .args([name])
        .env_remove("RUST_BACKTRACE")
        .timeout(HANG_GUARD)
        .run()
        .success();
    pids_redacted(&run.stdout)
}

#[test]
fn a_task_lost_with_its_worker_reaches_the_error_callback() {
    assert_transcript(
        &pool_scenario("error-callback"),
        str![[r#"
error callback: Process-1 (pool_worker, pid [PID]) exited with signal 9 (SIGKILL) while running task die
join: ()
children left: 0

"#]],
    );
}

#[test]
fn a_panicking_callback_fails_its_own_result_and_the_pool_carries_on() {
    assert_transcript(
        &pool_scenario("callback-panics"),
        str![[r#"
first failed: the callback of task square panicked: a callback that fails on purpose
second: 16
join: ()
children left: 0

"#]],
    );
}

#[test]
fn results_keep_flowing_while_a_worker_slow_to_exit_is_reaped() {
    // Before, the result thread waited for the lingering worker (60 s) before reading any other
    // result: `slow_square` never came and the hang guard failed the run.
    assert_transcript(
        &pool_scenario("slow-exit"),
        str![[r#"
slow_square: 49
linger failed: Process-1 (pool_worker, pid [PID]) exited with signal 9 (SIGKILL) while running task linger
join: ()
children left: 0

"#]],
    );
}

#[test]
fn tasks_left_when_every_worker_is_dead_fail_naming_the_task_and_the_workers() {
    assert_transcript(
        &pool_scenario("all-workers-dead"),
        str![[r#"
die failed: Process-1 (pool_worker, pid [PID]) exited with signal 9 (SIGKILL) while running task die
square failed: task square could not run: every worker of the pool has died (Process-1 (pool_worker, pid [PID]) exited with signal 9 (SIGKILL))
join: ()
children left: 0

"#]],
    );
}

#[test]
fn pool_callback_exits_with_an_error_naming_the_task_its_killed_worker_lost() {
    let mut started = example("pool_callback")
        .time_scale(0.5)
        .env_remove("RUST_BACKTRACE")
        .timeout(HANG_GUARD)
        .start();
    // `end` comes once all ten tasks are queued: each of the five workers is running one.
    started.wait_for_line(|line| line == "end");
    let workers = started.children();
    assert_eq!(workers.len(), 5, "five workers: {workers:?}");
    let victim = workers[0];
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(victim).unwrap()),
        Signal::SIGKILL,
    )
    .unwrap();
    let run = started.finish();
    let line = run.one_line_error();
    let expected = regex::Regex::new(&format!(
        r"^Error: Process-\d \(pool_worker, pid {victim}\) exited with signal 9 \(SIGKILL\) while running task Foo$"
    ))
    .unwrap();
    assert!(expected.is_match(line), "{line}");
    let done = count(&run.stdout_lines(), |line| {
        line.starts_with("-->exec done: ")
    });
    assert!(
        done < 10,
        "a task was lost, so not every callback ran: {run:?}"
    );
}

// 4. The manager's queue and its clients ----------------------------------------------------------

fn manager_scenario(name: &str) -> String {
    let run = example("fixture_manager")
        .args([name])
        .env_remove("RUST_BACKTRACE")
        .timeout(HANG_GUARD)
        .run()
        .success();
    run.stdout
}

#[test]
fn an_item_put_after_its_getter_was_killed_stays_in_the_queue() {
    assert_transcript(
        &manager_scenario("getter-killed"),
        str![[r#"
getter ended: signal 9 (SIGKILL)
qsize after put: 1
get: 7
children left: 0

"#]],
    );
}

#[test]
fn the_manager_forgets_the_clients_of_processes_that_ended() {
    assert_transcript(
        &manager_scenario("clients-pruned"),
        str![[r#"
items: 20
descriptors held for clients that are gone: 0
children left: 0

"#]],
    );
}

// 5. A child's failure, reported whole ------------------------------------------------------------

fn spawn_scenario(name: &str) -> Run {
    example("fixture_spawn")
        .args([name])
        .env_remove("RUST_BACKTRACE")
        .timeout(HANG_GUARD)
        .run()
        .success()
}

#[test]
fn a_pipe_whose_other_end_died_names_the_child_and_how_it_ended() {
    assert_transcript(
        &pids_redacted(&spawn_scenario("pipe-peer-killed").stdout),
        str![[r#"
recv failed: recv: the other end of the pipe is closed: Process-1 (waits, pid [PID]) exited with signal 9 (SIGKILL)
children left: 0

"#]],
    );
}

#[test]
fn a_queue_whose_producer_died_names_the_child_through_explain() {
    assert_transcript(
        &pids_redacted(&spawn_scenario("queue-producer-killed").stdout),
        str![[r#"
recv failed: the channel is closed: Process-1 (holds, pid [PID]) exited with signal 9 (SIGKILL)
children left: 0

"#]],
    );
}

#[test]
fn c10k_with_its_child_killed_names_the_child_and_the_signal() {
    // At this scale each row sleeps 10 s: time enough to find the child and kill it.
    let mut started = example("c10k")
        .args(["--tasks", "1", "--threads", "1"])
        .time_scale(100.0)
        .env_remove("RUST_BACKTRACE")
        .timeout(HANG_GUARD)
        .start();
    started.wait_for_line(|line| line.contains("peak virtual"));
    let child = loop {
        if let [child] = started.children()[..] {
            break child;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // Past its handshake (a few milliseconds) and into its 10 s sleep.
    std::thread::sleep(Duration::from_millis(500));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(child).unwrap()),
        Signal::SIGKILL,
    )
    .unwrap();
    let run = started.finish();
    let line = run.one_line_error();
    let expected = regex::Regex::new(&format!(
        r"^Error: Process-1 \(tokio_tasks, pid {child}\) exited with signal 9 \(SIGKILL\)$"
    ))
    .unwrap();
    assert!(expected.is_match(line), "{line}");
}

#[test]
fn children_orphaned_at_the_same_moment_write_whole_lines() {
    let line = regex::Regex::new(
        r"^fixture_spawn \(child, pid \d+\): the parent process is gone; exiting$",
    )
    .unwrap();
    for _ in 0..3 {
        let run = example("fixture_spawn")
            .args(["many-orphans"])
            .env_remove("RUST_BACKTRACE")
            .timeout(HANG_GUARD)
            .run();
        assert_eq!(run.status.signal(), Some(Signal::SIGKILL as i32), "{run:?}");
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 16, "one line per child:\n{}", run.stderr);
        for printed in lines {
            assert!(line.is_match(printed), "a torn line: {printed:?}");
        }
    }
}

#[test]
fn a_failed_child_is_reported_by_join_in_one_line_with_its_error() {
    assert_transcript(
        &pids_redacted(&spawn_scenario("fails").stdout),
        str![[r#"
join failed: Process-1 (fails, pid [PID]) exited with exit code 1: the child fails on purpose: No such file or directory (os error 2)
children left: 0

"#]],
    );
}

#[test]
fn dropping_a_child_that_is_already_exiting_lets_it_finish_its_error_line() {
    let run = spawn_scenario("drop-while-exiting");
    assert_eq!(run.stdout, "dropped\nchildren left: 0\n");
    let expected = regex::Regex::new(
        r"(?m)^fixture_spawn \(child slow_error, pid \d+\): an error that takes 300 ms to print$",
    )
    .unwrap();
    assert!(expected.is_match(&run.stderr), "{}", run.stderr);
}

// 6. Resource limits ------------------------------------------------------------------------------

#[test]
fn too_few_open_files_stop_an_example_with_one_line_naming_the_limit() {
    for limit in [10, 16] {
        for name in [
            "thread_crawler",
            "pool_apply_async",
            "manager_dict_list",
            "async_in_process",
        ] {
            let run = example(name)
                .ulimit('n', limit)
                .env_remove("RUST_BACKTRACE")
                .timeout(HANG_GUARD)
                .run();
            let line = run.one_line_error();
            assert!(
                line.contains(&format!("ulimit -n {limit}")),
                "{name}: {line}"
            );
        }
    }
}

#[test]
fn too_few_processes_and_threads_stop_an_example_with_one_line_naming_the_limit() {
    for name in ["thread_crawler", "pool_apply_async", "c10k"] {
        let run = example(name)
            .ulimit('u', 10)
            .env_remove("RUST_BACKTRACE")
            .timeout(HANG_GUARD)
            .run();
        let line = run.one_line_error();
        assert!(line.contains("ulimit -u 10"), "{name}: {line}");
    }
}

#[test]
fn a_spawn_without_a_free_descriptor_fails_naming_the_limit() {
    // Whether the parent or the child (which inherits the limit) runs out first varies.
    let run = spawn_scenario("fd-limit");
    let expected = regex::Regex::new(
        r"^spawn failed: Process-1 \(quick(\): cannot|, pid \d+\) could not) start: .*; the open-file limit \(ulimit -n \d+\) is reached\nchildren left: 0\n$",
    )
    .unwrap();
    assert!(expected.is_match(&run.stdout), "{}", run.stdout);
}

// 7. Input that is accepted but cannot be meant ---------------------------------------------------

#[test]
fn a_time_scale_above_the_documented_maximum_is_refused() {
    for bad in ["101", "1e6", "1e9"] {
        let run = example("process_hello")
            .env("EXAMPLES_TIME_SCALE", bad)
            .run();
        assert_eq!(
            run.bad_input(),
            format!(
                "process_hello: EXAMPLES_TIME_SCALE must be a number from 0 to 100, such as 1 or 0.05 (got \"{bad}\")"
            )
        );
    }
}

#[test]
fn counts_beyond_what_the_machine_can_do_are_refused() {
    for (name, args) in [
        ("c10k", ["--tasks", "4294967295"]),
        ("c10k", ["--threads", "100000"]),
        ("countdown", ["--count", "100000000000"]),
    ] {
        let run = example(name).args(args).run();
        let line = run.bad_input();
        assert!(
            line.starts_with(&format!("{name}: invalid value '{}'", args[1])),
            "{line}"
        );
    }
}
