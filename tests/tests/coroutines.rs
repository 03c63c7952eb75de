//! What a coroutine and an event loop are, and what they cost (package `examples-async`):
//! `generator_coroutine`, `event_loop` and `c10k`.

use tests::{assert_transcript, example, only, redact, str};

#[test]
fn generator_coroutine_steps_through_gen_fn_by_next_then_by_poll() {
    let run = example("generator_coroutine").run().success();
    // One thread, every step an explicit call: the whole transcript is fixed, but for the size
    // of the compiler's state machine, which is checked below. A four-state enum is one byte.
    let async_size = r"^paused frames: GenFn 1 B, async block (?<redacted>\d+) B$";
    let redacted = redact(&run.stdout, &[("[BYTES]", async_size)]);
    assert_transcript(
        &redacted,
        str![[r#"
-- gen_fn as an Iterator, driven by next() --
Start: next()
start
Some(1)
AfterYield1: next()
middle
Some(2)
AfterYield2: next()
done
None
Finished: None is Python's StopIteration
-- gen_fn as a Future, driven by poll() --
start
Pending
middle
Pending
done
Ready(())
-- the same steps as an async block --
start
Pending
middle
Pending
done
Ready(())
paused frames: GenFn 1 B, async block [BYTES] B

"#]],
    );
    let size = regex::Regex::new(&format!("(?m){async_size}")).unwrap();
    let size = size.captures(&run.stdout);
    let size: usize = size.unwrap()["redacted"].parse().unwrap();
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
        only(&lines, |line| line.starts_with("wake ")),
        [
            "wake b (on the timer thread)",
            "wake c (on the timer thread)",
            "wake a (on the timer thread)",
            "wake b (on the timer thread)",
        ]
    );
    // The executor's one thread polls in spawn order, then in wake order (its queue is FIFO);
    // what a task prints during a poll follows that poll.
    assert_eq!(
        only(&lines, |line| !line.starts_with("wake ")
            && !line.contains("took")),
        [
            "poll a",
            "a awaits a 3 s sleep",
            "poll b",
            "b awaits a 1 s sleep",
            "poll c",
            "c awaits a 2 s sleep",
            "poll b",
            "b awaits a 3 s sleep",
            "poll c",
            "c done",
            "poll a",
            "a done",
            "poll b",
            "b done",
        ]
    );
    // Every poll after the first three is caused by a wake: the n-th wake precedes the
    // (3 + n)-th poll.
    let positions = |prefix: &str| -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| lines[i].starts_with(prefix))
            .collect()
    };
    let (wakes, polls) = (positions("wake "), positions("poll "));
    for (n, wake) in wakes.iter().enumerate() {
        assert!(wake < &polls[3 + n], "wake {n} after its poll: {lines:#?}");
    }
    let last = redact(
        &run.stdout,
        &[("[SECS]", r"^3 tasks took (?<redacted>\d+\.\d{2}) seconds$")],
    );
    assert!(
        last.ends_with("poll b\nb done\n3 tasks took [SECS] seconds\n"),
        "{last}"
    );
}

#[test]
fn c10k_prints_a_row_for_the_tasks_and_one_for_the_threads() {
    // Without RUST_MIN_STACK every thread reserves a 2 MiB stack.
    let run = example("c10k").env_remove("RUST_MIN_STACK").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert_eq!(
        lines[0],
        "each sleeps 0.1 s; each row is measured in a fresh process"
    );
    assert_eq!(
        lines[1],
        "              count  elapsed   peak RSS   RSS/each  peak virtual"
    );
    let row = regex::Regex::new(
        r"^(?<label>tokio tasks|OS threads) +(?<count>\d+) +\d+\.\d{2} s +(?<rss>\d+\.\d) MiB +\d+ B +(?<virtual>\d+\.\d) MiB$",
    )
    .unwrap();
    let parse = |line: &str| {
        let row = row
            .captures(line)
            .unwrap_or_else(|| panic!("not a row: {line:?}"));
        let number = |name: &str| row[name].parse::<f64>().unwrap();
        (
            row["label"].to_owned(),
            number("count"),
            number("rss"),
            number("virtual"),
        )
    };
    let (tasks, threads) = (parse(lines[2]), parse(lines[3]));
    assert_eq!((tasks.0.as_str(), tasks.1), ("tokio tasks", 10_000.0));
    assert_eq!((threads.0.as_str(), threads.1), ("OS threads", 1_000.0));
    for (label, _, rss, virtual_) in [&tasks, &threads] {
        assert!(*rss > 0.0 && virtual_ >= rss, "{label}: {lines:#?}");
    }
    // The start gate keeps all 1,000 threads alive at once: 1,000 stacks of 2 MiB reserved.
    assert!(threads.3 > 2_000.0, "{lines:#?}");
}

#[test]
fn c10k_rejects_zero_threads() {
    let run = example("c10k").args(["--threads", "0"]).run();
    assert!(run.bad_input().contains("'--threads <THREADS>'"));
}
