//! What a coroutine and an event loop are, and what they cost (package `examples-async`):
//! `generator_coroutine`, `event_loop` and `c10k`. What every run prints is in each example's
//! transcript (`src/bin/<name>.md`); these tests check what a transcript cannot say.

use tests::{example, only};

#[test]
fn generator_coroutine_keeps_its_async_block_a_few_bytes() {
    let run = example("generator_coroutine").run().success();
    // The compiler sizes the async block's state machine; a four-state enum is one byte.
    let size = regex::Regex::new(r"(?m)^暂停的帧：GenFn 1 B，async 块 (\d+) B$").unwrap();
    let size: usize = size.captures(&run.stdout).expect("the size line")[1]
        .parse()
        .unwrap();
    assert!((1..=64).contains(&size), "a few bytes, not {size}");
}

#[test]
fn event_loop_wakes_each_task_by_deadline_and_polls_it_after_its_wake() {
    // The deadlines are 1 tutorial second apart (b, c, a, then b again) and are taken when a
    // task is first polled. c's falls before a's only if the executor polls c within one
    // second (scaled) of a: at 0.2 that is 200 ms of margin, not 50.
    let run = example("event_loop").time_scale(0.2).run().success();
    let lines = run.stdout_lines();

    // The timer thread wakes in deadline order.
    assert_eq!(
        only(&lines, |line| line.starts_with("唤醒 ")),
        [
            "唤醒 b（在 timer 线程上）",
            "唤醒 c（在 timer 线程上）",
            "唤醒 a（在 timer 线程上）",
            "唤醒 b（在 timer 线程上）",
        ]
    );
    // The executor's one thread polls in spawn order, then in wake order (its queue is FIFO);
    // what a task prints during a poll follows that poll.
    assert_eq!(
        only(&lines, |line| !line.starts_with("唤醒 ")
            && !line.contains("用时")),
        [
            "poll a",
            "a await 一个 3 s 的 sleep",
            "poll b",
            "b await 一个 1 s 的 sleep",
            "poll c",
            "c await 一个 2 s 的 sleep",
            "poll b",
            "b await 一个 3 s 的 sleep",
            "poll c",
            "c 完成",
            "poll a",
            "a 完成",
            "poll b",
            "b 完成",
        ]
    );
    // Every poll after the first three is caused by a wake: the n-th wake precedes the
    // (3 + n)-th poll.
    let positions = |prefix: &str| -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| lines[i].starts_with(prefix))
            .collect()
    };
    let (wakes, polls) = (positions("唤醒 "), positions("poll "));
    for (n, wake) in wakes.iter().enumerate() {
        assert!(wake < &polls[3 + n], "wake {n} after its poll: {lines:#?}");
    }
}

#[test]
fn c10k_reports_consistent_memory_and_a_stack_per_thread() {
    // Without RUST_MIN_STACK every thread reserves a 2 MiB stack.
    let run = example("c10k").env_remove("RUST_MIN_STACK").run().success();
    let lines = run.stdout_lines();
    let row = regex::Regex::new(
        r"^(?<label>tokio tasks|OS threads) +\d+ +\d+\.\d{2} s +(?<rss>\d+\.\d) MiB +(?<each>\d+) B +(?<virtual>\d+\.\d) MiB$",
    )
    .unwrap();
    let parse = |line: &str| {
        let row = row
            .captures(line)
            .unwrap_or_else(|| panic!("not a row: {line:?}"));
        let number = |name: &str| row[name].parse::<f64>().unwrap();
        (
            row["label"].to_owned(),
            number("rss"),
            number("virtual"),
            number("each"),
        )
    };
    let (tasks, threads) = (parse(lines[2]), parse(lines[3]));
    for (label, rss, virtual_, _) in [&tasks, &threads] {
        assert!(*rss > 0.0 && virtual_ >= rss, "{label}: {lines:#?}");
    }
    // The start gate keeps all 1,000 threads alive at once: 1,000 stacks of 2 MiB reserved.
    assert!(threads.2 > 2_000.0, "{lines:#?}");
    // The lesson: a task costs a few hundred bytes, a thread at least the stack page it touches.
    assert!(tasks.3 < 4096.0 && threads.3 >= 4096.0, "{lines:#?}");
}

#[test]
fn c10k_rejects_zero_threads() {
    let run = example("c10k").args(["--threads", "0"]).run();
    assert!(run.bad_input().contains("'--threads <THREADS>'"));
}
