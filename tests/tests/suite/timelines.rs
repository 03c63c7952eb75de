//! The tutorial's lessons about *when* things run, asserted from the timeline a run writes
//! (`EXAMPLES_TIMELINE=<file>`, `tests/src/timeline.rs`), never from a duration. Two spans
//! overlap when each started before the other ended. Where the program itself forces that, the
//! test says "structural"; where it rests on sleeps lasting far longer than starting a thread or
//! a process (a few hundred milliseconds against microseconds), it holds with overwhelming
//! probability, and the test says so.

use std::path::Path;
use std::time::Duration;

use tests::example;
use tests::timeline::{Span, Trace, lanes, most_at_once};

/// Runs `name` with `args` at `scale` and returns its trace.
fn traced(name: &str, args: &[&str], scale: f64) -> Trace {
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let (run, trace) = example(name)
        .args_vec(&args)
        .time_scale(scale)
        .env_remove("RUST_BACKTRACE")
        .timeout(Duration::from_secs(60))
        .timeline();
    run.success();
    trace
}

fn with_arg<'a>(spans: Vec<&'a Span>, name: &str, value: &str) -> Vec<&'a Span> {
    spans
        .into_iter()
        .filter(|span| span.arg(name).as_deref() == Some(value))
        .collect()
}

#[track_caller]
fn assert_all_overlap(spans: &[&Span]) {
    for (index, a) in spans.iter().enumerate() {
        for b in &spans[index + 1..] {
            assert!(a.overlaps(b), "these should overlap: {a:?} {b:?}");
        }
    }
}

// Two at once, side by side ------------------------------------------------------------------

#[test]
fn thread_long_time_task_sleeps_on_two_threads_side_by_side() {
    // Overwhelming probability: the second thread starts microseconds after the first, and
    // each sleeps 0.4 s.
    let trace = traced("thread_long_time_task", &[], 0.2);
    let sleeps = trace.named("sleep");
    assert_eq!(sleeps.len(), 2, "{sleeps:#?}");
    assert_eq!(lanes(&sleeps), 2);
    assert_all_overlap(&sleeps);
    let mut names: Vec<&str> = sleeps
        .iter()
        .map(|span| trace.lane_name(span.lane()))
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Thread-1", "Thread-2"]);
}

#[test]
fn process_long_time_task_sleeps_in_two_processes_side_by_side() {
    // Overwhelming probability: both children start within milliseconds; each sleeps 0.4 s.
    let trace = traced("process_long_time_task", &[], 0.2);
    let sleeps = trace.named("sleep");
    assert_eq!(sleeps.len(), 2, "{sleeps:#?}");
    assert_ne!(sleeps[0].pid, sleeps[1].pid, "two processes");
    assert!(sleeps.iter().all(|span| span.pid != trace.main_pid()));
    assert_all_overlap(&sleeps);
}

#[test]
fn thread_run_thread_class_subclass_and_timing_sleep_on_their_threads_together() {
    // Overwhelming probability: every thread starts within microseconds and sleeps 0.2 s a turn.
    for (name, threads) in [
        ("thread_run", 2),
        ("thread_class", 2),
        ("thread_subclass", 3),
        ("thread_timing", 3),
    ] {
        let trace = traced(name, &[], 0.2);
        let sleeps = trace.named("sleep");
        assert_eq!(lanes(&sleeps), threads, "{name}: {sleeps:#?}");
        assert_eq!(most_at_once(&sleeps), threads, "{name}: all at once");
    }
}

#[test]
fn threadpool_hello_sleeps_four_at_once() {
    // Overwhelming probability: the pool's four threads all take a job at once and sleep 0.4 s.
    let trace = traced("threadpool_hello", &[], 0.2);
    let sleeps = trace.named("sleep");
    assert_eq!(sleeps.len(), 4);
    assert_eq!(most_at_once(&sleeps), 4);
}

#[test]
fn dummy_pool_fetches_three_pages_at_once() {
    let trace = traced("dummy_pool", &[], 0.2);
    let fetches = trace.named("wait");
    assert_eq!(
        fetches.len(),
        6,
        "three one after the other, then three on the pool"
    );
    let main = (trace.main_pid(), u64::from(trace.main_pid()));
    let (alone, pooled): (Vec<&Span>, Vec<&Span>) =
        fetches.into_iter().partition(|span| span.lane() == main);
    // Structural: the main thread fetches one page after the other.
    assert_eq!(most_at_once(&alone), 1);
    // Overwhelming probability: eight pool threads for three fetches that each wait 40 ms.
    assert_eq!(most_at_once(&pooled), 3);
}

#[test]
fn thread_crawler_workers_fetch_side_by_side() {
    // Overwhelming probability: ten workers, each fetch waiting 0.02 s on the server.
    let trace = traced("thread_crawler", &[], 0.2);
    let fetches = trace.named("wait");
    assert_eq!(fetches.len(), 100);
    assert!(lanes(&fetches) >= 2, "more than one worker fetched");
    assert!(
        most_at_once(&fetches) >= 2,
        "workers fetch at the same time"
    );
    assert!(
        most_at_once(&fetches) <= 10,
        "never more than the ten workers"
    );
}

#[test]
fn run_in_executor_has_all_hundred_requests_in_flight_at_once() {
    // Overwhelming probability: the blocking pool starts a thread per request (up to 512), and
    // every request waits half a second on the server, in real time: starting the hundred takes
    // 100 to 150 ms on two idle cores (the HTTP crates are not optimised in a debug build).
    let trace = traced("run_in_executor", &[], 1.0);
    let requests = trace.named("wait");
    assert_eq!(requests.len(), 100);
    assert_eq!(most_at_once(&requests), 100);
}

#[test]
fn gather_tasks_sleeps_ten_at_once_on_one_thread_in_every_style() {
    // Structural: no task's sleep ends before all ten have started, as none can end before its
    // timer fires, 0.6 s later, and the ten are started in one go.
    for style in ["join-all", "spawn", "join-set"] {
        let trace = traced("gather_tasks", &["--style", style], 0.2);
        let sleeps = trace.named("sleep");
        assert_eq!(sleeps.len(), 10, "{style}");
        assert_eq!(most_at_once(&sleeps), 10, "{style}");
        let mut threads: Vec<String> = sleeps
            .iter()
            .filter_map(|span| span.arg("thread"))
            .collect();
        threads.dedup();
        assert_eq!(
            threads.len(),
            1,
            "{style}: one thread runs them all: {threads:?}"
        );
        assert_eq!(lanes(&sleeps), 10, "{style}: each task has its lane");
    }
}

#[test]
fn speak_async_overlaps_its_two_speakers_and_blocking_does_not() {
    let trace = traced("speak_async", &[], 0.2);
    let sleeps = trace.named("sleep");
    assert_eq!(sleeps.len(), 2);
    // Overwhelming probability: both tasks start their 0.2 s sleeps within microseconds.
    assert_all_overlap(&sleeps);
    let trace = traced("speak_async", &["--blocking"], 0.2);
    let sleeps = trace.named("sleep");
    assert_eq!(sleeps.len(), 2);
    // Structural: a blocking sleep holds the one thread, so the second starts after it ends.
    assert!(!sleeps[0].overlaps(sleeps[1]), "{sleeps:#?}");
}

#[test]
fn async_in_process_has_ten_requests_in_flight_in_its_worker() {
    // Never more than ten: structural (the worker's limit). Exactly ten at some moment:
    // overwhelming probability, with 30 URLs and every answer 0.1 s away.
    let trace = traced("async_in_process", &[], 0.2);
    let requests = trace.named("wait");
    assert_eq!(requests.len(), 30);
    assert!(
        requests.iter().all(|span| span.pid != trace.main_pid()),
        "in the worker"
    );
    assert_eq!(most_at_once(&requests), 10);
}

#[test]
fn c10k_keeps_every_task_and_every_thread_asleep_at_once() {
    // Structural for the threads (a start gate holds them until all exist); for the tasks,
    // nothing runs until the first await, so all exist before any sleep ends.
    let trace = traced("c10k", &["--tasks", "100", "--threads", "100"], 1.0);
    let sleeps = trace.named("sleep");
    let mut pids: Vec<u32> = sleeps.iter().map(|span| span.pid).collect();
    pids.dedup();
    assert_eq!(pids.len(), 2, "one child per row");
    for pid in pids {
        let row: Vec<&Span> = sleeps
            .iter()
            .copied()
            .filter(|span| span.pid == pid)
            .collect();
        assert_eq!(row.len(), 100);
        assert_eq!(most_at_once(&row), 100);
    }
}

// Processes and pools ---------------------------------------------------------------------------

#[test]
fn pool_apply_async_runs_ten_tasks_at_most_five_at_once_on_five_workers() {
    // At most five, on at most five pids: structural. At least two: overwhelming probability
    // (the first five tasks start together and sleep up to 0.6 s).
    let trace = traced("pool_apply_async", &[], 0.2);
    let tasks = trace.named("task");
    assert_eq!(tasks.len(), 10);
    let mut pids: Vec<u32> = tasks.iter().map(|span| span.pid).collect();
    pids.sort_unstable();
    pids.dedup();
    assert!(pids.len() <= 5, "{pids:?}");
    assert!(most_at_once(&tasks) <= 5);
    assert!(most_at_once(&tasks) >= 2);
}

#[test]
fn pool_apply_runs_one_task_at_a_time() {
    // Structural: each `apply` waits for its task before the next is sent.
    let trace = traced("pool_apply", &[], 0.2);
    let tasks = trace.named("task");
    assert_eq!(tasks.len(), 10);
    assert_eq!(most_at_once(&tasks), 1);
}

#[test]
fn process_add_one_prints_its_sum_from_one_child_process() {
    let (run, trace) = example("process_add_one").timeline();
    assert_eq!(run.success().stdout, "2\n");
    let mut names = trace.process_names();
    names.sort_unstable();
    assert_eq!(names.len(), 2, "the parent and one child: {names:?}");
    assert_eq!(names[0], "MainProcess");
    assert!(names[1].starts_with("Process-1 (pid "), "{names:?}");
}

#[test]
fn asyncio_run_runs_main_once_per_recipe_one_loop_after_the_other() {
    // Each recipe's loop ends before the next is made: the two sleeps of `main()` never overlap,
    // and both run on the main thread (a current-thread runtime, as asyncio's loop).
    let trace = traced("asyncio_run", &[], 0.05);
    let sleeps = trace.named("sleep");
    assert_eq!(sleeps.len(), 2, "{sleeps:#?}");
    assert_eq!(most_at_once(&sleeps), 1);
    let main = (trace.main_pid(), u64::from(trace.main_pid()));
    assert!(
        sleeps.iter().all(|sleep| sleep.lane() == main),
        "{sleeps:#?}"
    );
}

#[test]
fn pool_square_runs_as_many_at_once_as_its_processes_and_one_by_one_with_get_in_the_loop() {
    // 解释 2: each `get` waits for its task, so the next is submitted only after it.
    let trace = traced("pool_square", &["--get-in-loop"], 0.2);
    let tasks = trace.named("task");
    assert_eq!(tasks.len(), 10);
    assert_eq!(most_at_once(&tasks), 1);
    // 解释 1: `Pool(processes=N)`. One worker: every task on one lane, one at a time.
    let trace = traced("pool_square", &["--processes", "1"], 0.05);
    let tasks = trace.named("task");
    assert_eq!(
        (tasks.len(), lanes(&tasks), most_at_once(&tasks)),
        (10, 1, 1)
    );
    // Ten workers: more at once than two CPUs' default pool allows (overwhelming probability:
    // the tasks sleep up to 0.6 s, and ten workers start within tens of milliseconds).
    let trace = traced("pool_square", &["--processes", "10"], 0.2);
    let tasks = trace.named("task");
    let most = most_at_once(&tasks);
    assert!(
        (3..=10).contains(&most),
        "at most ten at once, and more than two: {most}"
    );
}

#[test]
fn the_other_pools_run_their_tasks_side_by_side() {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    // A span per job: pool_map's jobs are its chunks, of ceil(10 / (4 × workers)) items.
    let map_chunks = 10_usize.div_ceil(10_usize.div_ceil(4 * cpus));
    // Overwhelming probability: the tasks sleep (or count) far longer than a job's dispatch.
    for (name, jobs, workers) in [
        ("pool_cpu_count", 5, 4),
        ("pool_callback", 10, 5),
        ("pool_square", 10, cpus),
        ("pool_map", map_chunks, cpus),
        ("pool_countdown", 2, 2),
    ] {
        let trace = traced(name, &[], 0.2);
        let spans = trace.named("task");
        assert_eq!(spans.len(), jobs, "{name}: {spans:#?}");
        let most = most_at_once(&spans);
        assert!(
            most <= workers,
            "{name}: at most {workers} at once, saw {most}"
        );
        assert!(
            most >= workers.min(2),
            "{name}: at least two at once, saw {most}"
        );
    }
}

#[test]
fn queue_pids_children_sleep_side_by_side() {
    // Overwhelming probability: ten children start within milliseconds and sleep 0.2 to 0.6 s.
    let trace = traced("queue_pids", &[], 0.2);
    let sleeps = trace.named("sleep");
    assert_eq!(sleeps.len(), 10);
    assert_eq!(lanes(&sleeps), 10, "a child each");
    assert!(most_at_once(&sleeps) >= 2);
}

// CPU work and the GIL ----------------------------------------------------------------------------

/// The `cpu` spans of `work` outside the main thread of the main process.
fn cpu_off_main<'a>(trace: &'a Trace, work: &str) -> Vec<&'a Span> {
    let main = (trace.main_pid(), u64::from(trace.main_pid()));
    with_arg(trace.named("cpu"), "work", work)
        .into_iter()
        .filter(|span| span.lane() != main)
        .collect()
}

#[test]
fn two_threads_do_their_halves_of_the_cpu_work_at_once() {
    // Each half takes a few milliseconds, and the other tests running beside this one may hold
    // a core for as long: the halves overlap in one of ten runs with overwhelming probability,
    // while joining the first thread before starting the second fails all ten (structural).
    for (name, work) in [("countdown", "countdown"), ("gil_decrement", "decrement")] {
        let overlapped = (0..10).any(|_| {
            let trace = traced(name, &[], 1.0);
            let halves = cpu_off_main(&trace, work);
            assert_eq!(halves.len(), 2, "{name}: {halves:#?}");
            assert_eq!(lanes(&halves), 2, "{name}");
            halves[0].overlaps(halves[1])
        });
        assert!(
            overlapped,
            "{name}'s halves ran one after the other in ten runs"
        );
    }
    // gil_sum's four sums take half a millisecond each, about what starting the four threads
    // takes, so on a loaded machine one run may happen to see them one after another. At least
    // two at once in one of ten runs holds with overwhelming probability; joining each thread
    // before starting the next fails all ten (structural).
    let mut most = 0;
    for _ in 0..10 {
        let trace = traced("gil_sum", &[], 1.0);
        let sums = cpu_off_main(&trace, "sum");
        assert_eq!(sums.len(), 4, "{sums:#?}");
        assert_eq!(lanes(&sums), 4);
        most = most.max(most_at_once(&sums));
        if most >= 2 {
            break;
        }
    }
    assert!(
        most >= 2,
        "gil_sum's four sums ran one at a time in ten runs"
    );
}

#[test]
fn compare_calculate_runs_both_processes_and_both_threads_at_once() {
    // Each calculation takes about ten milliseconds, as long as the tests beside this one may
    // hold a core: both pairs overlap in one of ten runs with overwhelming probability, while
    // running them one after the other fails all ten (structural).
    let both_overlapped = (0..10).any(|_| {
        let trace = traced("compare_calculate", &[], 1.0);
        let main = trace.main_pid();
        let work = with_arg(trace.named("cpu"), "work", "calculate");
        let (in_children, in_parent): (Vec<&Span>, Vec<&Span>) =
            work.into_iter().partition(|span| span.pid != main);
        assert_eq!(in_children.len(), 2);
        assert_ne!(in_children[0].pid, in_children[1].pid);
        let threads: Vec<&Span> = in_parent
            .into_iter()
            .filter(|span| span.lane() != (main, u64::from(main)))
            .collect();
        assert_eq!(threads.len(), 2);
        in_children[0].overlaps(in_children[1]) && threads[0].overlaps(threads[1])
    });
    assert!(
        both_overlapped,
        "compare_calculate's processes or threads ran one after the other in ten runs"
    );
}

#[test]
fn gil_simulated_holds_never_overlap_and_change_hands() {
    // Structural: a hold's span opens after the lock is taken and closes before it is let go.
    let trace = traced("gil_simulated", &[], 1.0);
    let holds = trace.named("gil");
    for (index, a) in holds.iter().enumerate() {
        for b in &holds[index + 1..] {
            assert!(a.lane() == b.lane() || !a.overlaps(b), "{a:?} {b:?}");
        }
    }
    // Overwhelming probability: a hundred million decrements take many 5 ms switch intervals.
    let main = (trace.main_pid(), u64::from(trace.main_pid()));
    let workers: Vec<&&Span> = holds.iter().filter(|span| span.lane() != main).collect();
    let handovers = workers
        .windows(2)
        .filter(|pair| pair[0].lane() != pair[1].lane())
        .count();
    assert!(handovers >= 2, "{handovers} handovers in {workers:#?}");
}

// Synchronisation ---------------------------------------------------------------------------------

#[test]
fn event_traffic_light_waits_only_at_red() {
    let trace = traced("event_traffic_light", &["--cycles", "2"], 0.1);
    let reds = with_arg(trace.named("light"), "colour", "red");
    assert_eq!(reds.len(), 2);
    let waits = trace.named("wait");
    assert!(!waits.is_empty(), "the car waits at least once");
    for wait in waits {
        // Structural: the car waits only once the light has cleared the event, inside a red
        // phase, and wakes when the phase sets it again, long before the next one.
        let red = reds
            .iter()
            .position(|red| red.start <= wait.start && wait.start < red.end)
            .unwrap_or_else(|| panic!("a wait outside every red phase: {wait:?} {reds:#?}"));
        if let Some(next) = reds.get(red + 1) {
            assert!(wait.end < next.start, "{wait:?} runs into {next:?}");
        }
    }
}

#[test]
fn semaphore_lets_exactly_three_in_at_once() {
    // Never more than three: structural (the permits). Exactly three at some moment:
    // overwhelming probability, with ten threads queueing for 0.1 s turns.
    let trace = traced("semaphore", &[], 0.2);
    let inside = trace.named("sleep");
    assert_eq!(inside.len(), 10);
    assert_eq!(most_at_once(&inside), 3);
}

#[test]
fn barrier_waits_end_only_after_every_first_phase() {
    let trace = traced("barrier", &[], 0.2);
    let work = trace.named("sleep");
    let waits = trace.named("wait");
    assert_eq!(waits.len(), 4);
    // Structural: nobody leaves the barrier before the last thread arrives.
    let last_arrival = work.iter().map(|span| span.end).fold(0.0, f64::max);
    assert!(
        waits.iter().all(|wait| wait.end >= last_arrival),
        "{work:#?} {waits:#?}"
    );
    // Structural: the first three to arrive wait for the fourth together.
    assert!(most_at_once(&waits) >= 3);
}

#[test]
fn balance_lock_and_event_loop_mark_what_they_teach() {
    let trace = traced("balance_lock", &[], 1.0);
    let holds = trace.named("lock");
    assert_eq!(
        holds.len(),
        20,
        "one hold in 100,000 of each thread's million"
    );
    assert_eq!(lanes(&holds), 2);
    // Structural: the mutex lets one thread in at a time.
    for (index, a) in holds.iter().enumerate() {
        for b in &holds[index + 1..] {
            assert!(!a.overlaps(b), "{a:?} {b:?}");
        }
    }
    let trace = traced("event_loop", &[], 0.2);
    let polls = trace.named("poll");
    assert_eq!(lanes(&polls), 3, "a lane per task");
    let mut threads: Vec<String> = polls.iter().filter_map(|span| span.arg("thread")).collect();
    threads.sort();
    threads.dedup();
    assert_eq!(threads.len(), 1, "one thread polls them all");
}

// The chart and the switch -------------------------------------------------------------------------

#[test]
fn the_chart_has_a_row_per_lane_an_axis_and_fits_80_columns() {
    let run = example("thread_long_time_task")
        .time_scale(0.2)
        .env("EXAMPLES_TIMELINE", "1")
        .env_remove("RUST_BACKTRACE")
        .run()
        .success();
    let chart = run.stderr_lines();
    assert!(
        chart[0].starts_with("timeline: 3 lanes over "),
        "{}",
        run.stderr
    );
    // The example's main thread first, then the threads in the order they first recorded.
    assert!(chart[1].starts_with("MainThread "), "{}", run.stderr);
    let mut threads: Vec<&str> = chart[2..4].iter().map(|line| &line[..8]).collect();
    threads.sort_unstable();
    assert_eq!(threads, ["Thread-1", "Thread-2"], "{}", run.stderr);
    assert!(
        chart[2].contains("~~~~~") && chart[3].contains("~~~~~"),
        "{}",
        run.stderr
    );
    assert!(chart[4].trim_start().starts_with("0 s"), "{}", run.stderr);
    assert!(chart[5].starts_with("~ sleep"), "{}", run.stderr);
    assert!(
        chart.iter().all(|line| line.chars().count() <= 80),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains('\x1b'),
        "no colour when stderr is not a terminal"
    );
}

#[test]
fn the_timeline_leaves_stdout_as_it_is() {
    let plain = example("process_basic").run().success();
    let charted = example("process_basic")
        .env("EXAMPLES_TIMELINE", "1")
        .run()
        .success();
    assert_eq!(charted.stdout, plain.stdout);
    assert!(charted.stderr.starts_with("timeline: "));
}

#[test]
fn a_timeline_path_that_cannot_be_written_stops_the_example_with_one_line() {
    let run = example("thread_run")
        .env("EXAMPLES_TIMELINE", "/nonexistent/trace.json")
        .run();
    let line = run.bad_input();
    assert!(
        line.starts_with("thread_run: EXAMPLES_TIMELINE=/nonexistent/trace.json cannot be written"),
        "{line}"
    );
}

/// A picture's lane labels (the only right-aligned text of the SVG), pids made `PID`.
fn picture_lanes(svg: &str) -> Vec<String> {
    let label = regex::Regex::new(r#"text-anchor="end"[^>]*>\s*([^<]*?)\s*</text>"#).unwrap();
    let pid = regex::Regex::new(r"\(pid \d+\)").unwrap();
    label
        .captures_iter(svg)
        .map(|found| pid.replace(&found[1], "(pid PID)").into_owned())
        .collect()
}

#[test]
fn the_book_pictures_are_drawn_from_real_runs_with_the_lanes_they_show() {
    let out = std::env::temp_dir().join(format!("timeline-pictures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let args = [
        "--out",
        &out.to_string_lossy(),
        "--no-build",
        "--scale",
        "0.05",
    ];
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let run = example("timelines")
        .args_vec(&args)
        .timeout(Duration::from_secs(90))
        .run()
        .success();
    let drawn: Vec<String> = run
        .stdout
        .lines()
        .map(|line| {
            let path = line.strip_prefix("wrote ").expect("a line per picture");
            let name = Path::new(path).file_stem().unwrap().to_string_lossy();
            name.into_owned()
        })
        .collect();
    // The pictures the book shows: exactly the ones the command draws.
    let committed_dir = tests::workspace().join("book/assets/timelines");
    let mut committed: Vec<String> = std::fs::read_dir(&committed_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "svg"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut sorted = drawn.clone();
    sorted.sort();
    assert_eq!(
        committed, sorted,
        "book/assets/timelines against what the command draws"
    );
    for name in &drawn {
        // Named after an example that still exists (`name` or `name-variant`).
        let binary = name.split('-').next().unwrap();
        assert!(
            tests::EXAMPLE_PACKAGES
                .iter()
                .any(|package| tests::workspace()
                    .join(format!("{package}/src/bin/{binary}.md"))
                    .is_file()),
            "{name}.svg: no example {binary}"
        );
        let fresh = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        let kept = std::fs::read_to_string(committed_dir.join(format!("{name}.svg"))).unwrap();
        assert!(fresh.starts_with("<svg"), "{name}.svg is not an SVG");
        let lanes = picture_lanes(&fresh);
        assert!(
            lanes.len() >= 2 && lanes[0] == "MainThread",
            "{name}.svg: lanes {lanes:?}"
        );
        // The lanes, whatever their order (the command sorts them by name).
        let sorted = |mut lanes: Vec<String>| {
            lanes.sort();
            lanes
        };
        assert_eq!(
            sorted(picture_lanes(&kept)),
            sorted(lanes),
            "{name}.svg in the book shows other lanes than a fresh run: redraw with `cargo run -p \
             benches --bin timelines`"
        );
    }
    // Each lesson's lanes, spot-checked: the threads or processes it is about.
    let fresh = |name: &str| picture_lanes(&std::fs::read_to_string(out.join(name)).unwrap());
    assert_eq!(
        fresh("thread_long_time_task.svg"),
        ["MainThread", "Thread-1", "Thread-2"]
    );
    assert_eq!(
        fresh("pool_apply_async.svg").len(),
        6,
        "the main process and five workers"
    );
    assert_eq!(
        fresh("gil_simulated.svg"),
        ["MainThread", "Thread-1", "Thread-2"]
    );
    // The traces were only the pictures' input: none is left beside them.
    let mut left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".svg"))
        .collect();
    left.sort();
    std::fs::remove_dir_all(&out).unwrap();
    assert!(left.is_empty(), "left beside the pictures: {left:?}");
}
