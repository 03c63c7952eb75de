//! `multiprocessing` down its failure paths, through the `fixture_spawn` helper binary: every
//! failure is reported with the child's name, pid and exit status, nothing hangs, and no child
//! (running or zombie) is left behind. The harness also fails any run that leaves a process in
//! its process group.

use tests::{assert_transcript, example, redact, scenario, str};

/// The helper binary whose scenarios these tests run.
const FIXTURE: &str = "fixture_spawn";

#[test]
fn a_child_that_exits_before_the_handshake_fails_the_spawn() {
    assert_transcript(
        &scenario(FIXTURE, "exit-early"),
        str![[r#"
spawn failed: Process-1 (exit_early, pid [PID]) exited with exit code 3 before the handshake
children left: 0

"#]],
    );
}

#[test]
fn a_child_that_panics_before_the_handshake_fails_the_spawn() {
    assert_transcript(
        &scenario(FIXTURE, "panic-early"),
        str![[r#"
spawn failed: Process-1 (panic_early, pid [PID]) exited with exit code 101 before the handshake
children left: 0

"#]],
    );
}

#[test]
fn a_target_missing_from_run_if_child_fails_the_spawn_saying_why() {
    let run = example(FIXTURE)
        .args(["unlisted"])
        .env_remove("RUST_BACKTRACE")
        .run()
        .success();
    assert_eq!(run.stderr, "", "the parent reports it, in one line");
    assert_transcript(
        &redact(&run.stdout, &[("[PID]", r"pid (?<redacted>\d+)\)")]),
        str![[r#"
spawn failed: Process-1 (unlisted, pid [PID]) could not start: MULTIPROCESSING_ROLE=unlisted names no target of this program's run_if_child
children left: 0

"#]],
    );
}

#[test]
fn a_child_that_panics_after_the_handshake_is_reported_by_join() {
    assert_transcript(
        &scenario(FIXTURE, "panic-after"),
        str![[r#"
join failed: Process-1 (panics, pid [PID]) exited with exit code 101
children left: 0

"#]],
    );
}

#[test]
fn a_child_killed_mid_run_is_reported_with_its_signal() {
    assert_transcript(
        &scenario(FIXTURE, "killed-mid-run"),
        str![[r#"
join failed: Process-1 (sleeps, pid [PID]) exited with signal 9 (SIGKILL)
children left: 0

"#]],
    );
}

#[test]
fn dropping_the_handle_of_a_running_child_kills_and_reaps_it() {
    assert_transcript(
        &scenario(FIXTURE, "drop-running"),
        str![[r#"
dropped child gone: true
children left: 0

"#]],
    );
}

#[test]
fn children_of_a_parent_killed_with_sigkill_exit_by_themselves() {
    use std::os::unix::process::ExitStatusExt as _;
    // `run` itself fails if any process of the group is still there one second after the parent
    // died; the children's pids are checked here as well.
    let run = example(FIXTURE).args(["parent-killed"]).run();
    assert_eq!(run.status.signal(), Some(9), "{run:?}");
    let pids: Vec<&str> = run
        .stdout_lines()
        .iter()
        .filter_map(|line| line.strip_prefix("child pid: "))
        .collect();
    assert_eq!(pids.len(), 2, "{run:?}");
    for pid in pids {
        // Gone, or a zombie waiting for init, which adopted it, to reap it: either way not running.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next());
        assert!(
            matches!(state, None | Some("Z")),
            "child {pid} still runs: {stat}"
        );
    }
    assert_eq!(
        run.stderr
            .matches("the parent process is gone; exiting")
            .count(),
        2,
        "each child says why it leaves: {}",
        run.stderr
    );
}

#[test]
fn a_queue_takes_items_from_many_producer_processes_and_its_first_handle_gets() {
    assert_transcript(
        &scenario(FIXTURE, "queue"),
        str![[r#"
producer 1: [10, 11]
producer 2: [20, 21]
producer 3: [30, 31]
names: ["Process-1", "Process-1", "Process-2", "Process-2", "Process-3", "Process-3"]
join succeeded
join succeeded
join succeeded
the consumer's sum: 42
join succeeded
get from a clone failed: this Queue handle is a clone, which can only put: get from the handle Queue::new returned (move it to the process that reads)
children left: 0

"#]],
    );
}
