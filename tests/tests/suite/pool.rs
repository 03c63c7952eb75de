//! `multiprocessing` down its failure paths, through the `fixture_pool` helper binary: a dead
//! worker or a panicking task fails its own result and the pool carries on; `terminate` fails what
//! was not finished; `join` before `close` is an error; nothing hangs, and no worker is left.

use tests::{assert_transcript, scenario, str};

/// The helper binary whose scenarios these tests run.
const FIXTURE: &str = "fixture_pool";

#[test]
fn a_worker_killed_mid_task_fails_that_task_and_the_pool_carries_on() {
    assert_transcript(
        &scenario(FIXTURE, "worker-killed"),
        str![[r#"
get failed: Process-1 (pool_worker, pid [PID]) exited with signal 9 (SIGKILL) while running task die
apply after: 49
map after: [0, 1, 4, 9, 16]
join: ()
children left: 0

"#]],
    );
}

#[test]
fn a_panicking_or_failing_task_fails_its_result_and_the_worker_carries_on() {
    assert_transcript(
        &scenario(FIXTURE, "task-panics"),
        str![[r#"
get failed: task panic panicked: no square for 3
error failed: task fail failed: 3 is not welcome
map failed: task panic panicked: no square for 0
apply after: 49
join: ()
children left: 0

"#]],
    );
}

#[test]
fn terminate_fails_unfinished_tasks_and_leaves_no_worker() {
    assert_transcript(
        &scenario(FIXTURE, "terminate"),
        str![[r#"
sleep 0 failed: the pool was terminated before the task finished
sleep 1 failed: the pool was terminated before the task finished
sleep 2 failed: the pool was terminated before the task finished
sleep 3 failed: the pool was terminated before the task finished
apply after failed: the pool is terminated: it takes no new tasks
join: ()
children left: 0

"#]],
    );
}

#[test]
fn join_before_close_is_an_error_and_a_closed_pool_takes_no_tasks() {
    assert_transcript(
        &scenario(FIXTURE, "join-before-close"),
        str![[r#"
join failed: join() needs close() or terminate() first: the pool is still running
apply after close failed: the pool is closed: it takes no new tasks
join after close: ()
children left: 0

"#]],
    );
}

#[test]
fn dropping_a_busy_pool_reaps_its_workers() {
    assert_transcript(
        &scenario(FIXTURE, "drop-running"),
        str![[r#"
dropped
children left: 0

"#]],
    );
}

#[test]
fn imap_yields_in_order_imap_unordered_as_results_complete_and_starmap_unpacks() {
    assert_transcript(
        &scenario(FIXTURE, "imap"),
        str![[r#"
imap, chunks of 2: error (task odd_fails failed: 1 is odd), error (task odd_fails failed: 3 is odd), 4
imap_unordered, the first two: [Some(1), Some(2)]
imap_unordered, the sleeper failed: the pool was terminated before the task finished
then: None
starmap: [6, 20]
parent: MainProcess true
worker: Process- true
join: ()
children left: 0

"#]],
    );
}
