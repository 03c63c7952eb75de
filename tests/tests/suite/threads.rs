//! The threading chapter (package `examples-threads`): what each binary's transcript
//! (`src/bin/<name>.md`, checked by `tests/tests/suite/transcripts.rs`) cannot say: the order of each
//! thread's own lines among lines in any order, happens-before pairs across threads, counts.

use tests::{assert_before, assert_never_ahead, assert_same_lines, count, example, only};

#[test]
fn thread_long_time_task_prints_each_result_after_its_thread_started() {
    let run = example("thread_long_time_task").run().success();
    assert_never_ahead(
        &run.stdout_lines(),
        |l| l.starts_with("当前子线程"),
        |l| l.starts_with("结果"),
    );
}

/// `task tN` then `2s`, `1s`, `0s` in each of two threads whose lines do not say who printed them.
fn assert_two_countdowns(stdout: &str) {
    let lines: Vec<_> = stdout.lines().collect();
    assert_never_ahead(&lines, |l| l.starts_with("task "), |l| l == "2s");
    assert_never_ahead(&lines, |l| l == "2s", |l| l == "1s");
    assert_never_ahead(&lines, |l| l == "1s", |l| l == "0s");
}

#[test]
fn thread_run_counts_down_in_order_in_each_thread() {
    assert_two_countdowns(&example("thread_run").run().success().stdout);
}

#[test]
fn thread_class_counts_down_in_order_in_each_thread() {
    assert_two_countdowns(&example("thread_class").run().success().stdout);
}

#[test]
fn thread_timing_counts_down_in_order_on_four_distinct_threads() {
    let run = example("thread_timing").run().success();
    let lines = run.stdout_lines();
    for (earlier, later) in [("task ", "3s"), ("3s", "2s"), ("2s", "1s")] {
        assert_never_ahead(&lines, |l| l.starts_with(earlier), |l| l == later);
    }

    // Three `task` lines and the main thread's own description, each with a `ThreadId`.
    let id = regex::Regex::new(r"ThreadId\((\d+)\)").unwrap();
    let mut ids: Vec<&str> = lines
        .iter()
        .filter_map(|line| id.captures(line))
        .map(|captures| captures.get(1).unwrap().as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        4,
        "four distinct thread ids, the main thread's included: {lines:#?}"
    );
}

#[test]
fn thread_subclass_keeps_each_threads_order() {
    let run = example("thread_subclass").run().success();
    let lines = run.stdout_lines();
    for name in ["Thread-2", "Thread-3", "Thread-4"] {
        let own: Vec<String> = (0..3).map(|i| format!("线程:{name},索引{i}")).collect();
        assert_eq!(
            only(&lines, |l| l.starts_with(&format!("线程:{name},"))),
            own
        );
    }
}

#[test]
fn thread_logging_starts_each_thread_before_it_exits() {
    let run = example("thread_logging").run().success();
    let lines = run.stderr_lines();
    assert_before(
        &lines,
        "[DEBUG](mythread  ) Starting...",
        "[DEBUG](mythread  ) Exiting...",
    );
    assert_before(
        &lines,
        "[DEBUG](Thread-2  ) Starting...",
        "[DEBUG](Thread-2  ) Exiting...",
    );
}

const GREEN: &str = "green light is on...";
const RED: &str = "red light is on...";
const RUNNING: &str = "[MINI] running...";
const SEES_RED: &str = "[MINI] sees red light,waiting...";
const START_GOING: &str = "[MINI] green light is on,start going...";

/// For the k-th line equal to `line`, at least `k * per_k` lines before it satisfy `before`.
fn assert_preceded_by(lines: &[&str], line: &str, per_k: usize, before: impl Fn(&str) -> bool) {
    let mut k = 0;
    for (index, current) in lines.iter().enumerate() {
        if *current == line {
            k += 1;
            let seen = count(&lines[..index], &before);
            assert!(
                seen >= k * per_k,
                "{line:?} #{k} at line {index} after only {seen} lines: {lines:#?}"
            );
        }
    }
}

#[test]
fn event_traffic_light_cycles_and_the_car_waits_on_red() {
    const CYCLES: usize = 2;
    // A tenth of real time: each red phase lasts 0.5 s, in which the car looks 5 times.
    let run = example("event_traffic_light")
        .args(["--cycles", "2"])
        .time_scale(0.1)
        .run()
        .success();
    let lines = run.stdout_lines();

    // The light's own thread, as CPython's prints it: six green then five red lines, then five
    // and five per later cycle (its silent sixth green second prints nothing). (The transcript
    // shows them in order, but its `...` between them could hide an extra one.)
    let first_cycle = [&[GREEN; 6][..], &[RED; 5]].concat();
    let later_cycle = [[GREEN; 5], [RED; 5]].concat();
    assert_eq!(
        only(&lines, |l| l == GREEN || l == RED),
        [first_cycle, later_cycle.repeat(CYCLES - 1)].concat()
    );

    // The car's thread: it starts on green (the flag is set before the threads start), and
    // every `sees red` is answered by `start going` before the car does anything else.
    let car = only(&lines, |l| l.starts_with("[MINI] "));
    assert!(
        car.iter()
            .all(|l| [RUNNING, SEES_RED, START_GOING].contains(l)),
        "{car:#?}"
    );
    assert_eq!(car.first(), Some(&RUNNING));
    for (index, line) in car.iter().enumerate() {
        if *line == SEES_RED {
            assert_eq!(
                car.get(index + 1),
                Some(&START_GOING),
                "car lines: {car:#?}"
            );
        }
        if *line == START_GOING {
            assert_eq!(car[index - 1], SEES_RED, "car lines: {car:#?}");
        }
    }
    // At most one wait per red phase; at least one over two phases (see the time scale above).
    let waits = count(&car, |l| l == SEES_RED);
    assert!((1..=CYCLES).contains(&waits), "{waits} waits in {car:#?}");

    // Happens-before across the threads: the k-th wait starts after the k-th `clear()`, which
    // follows at least five green lines a cycle (six in the first); the k-th start follows the
    // k-th `set()`, after five red lines a cycle.
    assert_preceded_by(&lines, SEES_RED, 5, |l| l == GREEN);
    assert_preceded_by(&lines, START_GOING, 5, |l| l == RED);
}

#[test]
fn event_traffic_light_is_bounded_by_cycles() {
    let run = example("event_traffic_light")
        .args(["--cycles", "1"])
        .run()
        .success();
    let light = only(&run.stdout_lines(), |l| l == GREEN || l == RED);
    assert_eq!(light, [&[GREEN; 6][..], &[RED; 5]].concat());
}

#[test]
fn event_traffic_light_rejects_bad_cycles() {
    for bad in [["--cycles", "x"], ["--cycles", "0"], ["--cycles", "-1"]] {
        let run = example("event_traffic_light").args(bad).run();
        let line = run.bad_input();
        assert!(line.starts_with("event_traffic_light: "), "{line}");
        assert!(line.contains("--cycles"), "{line}");
    }
}

#[test]
fn condition_lets_every_worker_through_once() {
    let run = example("condition").run().success();
    let passed = only(&run.stdout_lines(), |l| l.ends_with(" 通过了门"));
    let expected: Vec<String> = (1..=6).map(|id| format!("worker {id} 通过了门")).collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_same_lines(&passed, &expected);
}
