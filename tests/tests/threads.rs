//! The threading chapter (package `examples-threads`): each binary's documented output.

use tests::{
    assert_before, assert_never_ahead, assert_same_lines, assert_transcript, count, example, only,
    redact, str,
};

#[test]
fn thread_long_time_task_overlaps_two_workers_and_reports_the_total_last() {
    let run = example("thread_long_time_task").run().success();
    let stdout = redact(
        &run.stdout,
        &[("[SECS]", r"^总共用时(?<redacted>\d+\.\d{2})秒$")],
    );
    let lines: Vec<_> = stdout.lines().collect();

    assert_same_lines(
        &lines,
        &[
            "这是主线程：main",
            "当前子线程: Thread-1 任务1",
            "当前子线程: Thread-2 任务2",
            "结果: 1152921504606846976",
            "结果: 1152921504606846976",
            "总共用时[SECS]秒",
        ],
    );
    assert_eq!(lines.first(), Some(&"这是主线程：main"));
    assert_eq!(
        lines.last(),
        Some(&"总共用时[SECS]秒"),
        "the total comes after both joins"
    );
    assert_never_ahead(
        &lines,
        |l| l.starts_with("当前子线程"),
        |l| l.starts_with("结果"),
    );
}

/// `task tN` then `2s`, `1s`, `0s` in each of two threads whose lines do not say who printed them.
fn assert_two_countdowns(stdout: &str) {
    let lines: Vec<_> = stdout.lines().collect();
    assert_same_lines(
        &lines,
        &["task t1", "task t2", "2s", "2s", "1s", "1s", "0s", "0s"],
    );
    assert_never_ahead(&lines, |l| l.starts_with("task "), |l| l == "2s");
    assert_never_ahead(&lines, |l| l == "2s", |l| l == "1s");
    assert_never_ahead(&lines, |l| l == "1s", |l| l == "0s");
}

#[test]
fn thread_run_prints_two_interleaved_countdowns() {
    assert_two_countdowns(&example("thread_run").run().success().stdout);
}

#[test]
fn thread_class_prints_the_same_as_thread_run() {
    assert_two_countdowns(&example("thread_class").run().success().stdout);
}

#[test]
fn thread_timing_joins_every_thread_before_reporting_the_cost() {
    let run = example("thread_timing").run().success();
    let stdout = redact(
        &run.stdout,
        &[("[SECS]", r"^cost: (?<redacted>\d+\.\d{2})$")],
    );
    let lines: Vec<_> = stdout.lines().collect();
    assert_eq!(lines.len(), 3 + 9 + 2, "{lines:#?}");

    let task =
        regex::Regex::new(r"^task (t-\d) <Thread\(<unnamed>, ThreadId\((\d+)\)\)>$").unwrap();
    let mut names = Vec::new();
    let mut ids = Vec::new();
    for line in only(&lines, |l| l.starts_with("task ")) {
        let captures = task
            .captures(line)
            .unwrap_or_else(|| panic!("unexpected {line:?}"));
        names.push(captures[1].to_owned());
        ids.push(captures[2].to_owned());
    }
    names.sort();
    assert_eq!(names, ["t-0", "t-1", "t-2"]);

    for (earlier, later) in [("task ", "3s"), ("3s", "2s"), ("2s", "1s")] {
        assert_never_ahead(&lines, |l| l.starts_with(earlier), |l| l == later);
    }
    assert_eq!(count(&lines, |l| l == "1s"), 3);

    // After every countdown line: the cost, then the main thread's own description.
    assert_eq!(lines[lines.len() - 2], "cost: [SECS]");
    let main = regex::Regex::new(r"^<Thread\(main, ThreadId\((\d+)\)\)>$").unwrap();
    let main_id = &main
        .captures(lines[lines.len() - 1])
        .expect("main describes itself last")[1];
    ids.push(main_id.to_owned());
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        4,
        "four distinct thread ids, the main thread's included"
    );
}

#[test]
fn thread_subclass_names_threads_and_keeps_each_threads_order() {
    let run = example("thread_subclass").run().success();
    let lines = run.stdout_lines();
    let mut expected = Vec::new();
    for name in ["Thread-1", "Thread-2", "Thread-3"] {
        let own: Vec<String> = (0..3).map(|i| format!("线程:{name},索引{i}")).collect();
        assert_eq!(
            only(&lines, |l| l.starts_with(&format!("线程:{name},"))),
            own
        );
        expected.extend(own);
    }
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_same_lines(&lines, &expected);
}

#[test]
fn thread_logging_tags_each_record_with_its_padded_thread_name() {
    let run = example("thread_logging").run().success();
    assert_eq!(run.stdout, "", "logging writes to stderr, as Python's does");
    let lines = run.stderr_lines();
    assert_same_lines(
        &lines,
        &[
            "[DEBUG](mythread  ) Starting...",
            "[DEBUG](Thread-2  ) Starting...",
            "[DEBUG](mythread  ) Exiting...",
            "[DEBUG](Thread-2  ) Exiting...",
        ],
    );
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

#[test]
fn thread_results_come_back_in_submission_order_both_ways() {
    let run = example("thread_results").run().success();
    assert_transcript(
        &run.stdout,
        str![[r#"
1. the thread returns its result; join() hands it back
Alice met Bob in Paris -> ["Alice", "Bob", "Paris"]
Li Lei moved to Beijing -> ["Li", "Lei", "Beijing"]
nobody is named here -> []
2. each thread stores its result on its own object (thread::scope)
Alice met Bob in Paris -> ["Alice", "Bob", "Paris"]
Li Lei moved to Beijing -> ["Li", "Lei", "Beijing"]
nobody is named here -> []

"#]],
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

    // The light's own thread: exactly five green then five red seconds, per cycle.
    let one_cycle = [[GREEN; 5], [RED; 5]].concat();
    assert_eq!(
        only(&lines, |l| l == GREEN || l == RED),
        one_cycle.repeat(CYCLES)
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
    // follows five green lines; the k-th start follows the k-th `set()`, after five red lines.
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
    assert_eq!(light, [[GREEN; 5], [RED; 5]].concat());
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
fn condition_releases_exactly_two_workers_per_round() {
    let run = example("condition").run().success();
    let stdout = redact(
        &run.stdout,
        &[("[ID]", r"^worker (?<redacted>[1-6]) passes the gate$")],
    );
    assert_transcript(
        &stdout,
        str![[r#"
6 workers wait at the closed gate
round 1: the gate opens for 2
worker [ID] passes the gate
worker [ID] passes the gate
round 1: 2 through, 4 still waiting
round 2: the gate opens for 2
worker [ID] passes the gate
worker [ID] passes the gate
round 2: 4 through, 2 still waiting
round 3: the gate opens for 2
worker [ID] passes the gate
worker [ID] passes the gate
round 3: 6 through, 0 still waiting
the gate is empty

"#]],
    );
    let passed = only(&run.stdout_lines(), |l| l.ends_with(" passes the gate"));
    let expected: Vec<String> = (1..=6)
        .map(|id| format!("worker {id} passes the gate"))
        .collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_same_lines(&passed, &expected);
}

#[test]
fn timer_fires_once_and_the_cancelled_timer_never_does() {
    let run = example("timer").run().success();
    assert_same_lines(
        &run.stdout_lines(),
        &[
            "the second timer was cancelled before it fired",
            "hello, world",
        ],
    );
}
