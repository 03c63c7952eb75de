//! The GIL chapter (package `examples-threads`): what the transcripts (`src/bin/<name>.md`,
//! checked by `tests/tests/suite/transcripts.rs`) cannot say: the flags' bad input, the ranges of the
//! loopback server's in-flight counts, and the totals computed from the crawler's report.

use tests::example;

/// The server's "同时最多 N 个" (at most N at a time) from each line that reports it, in order.
fn in_flight(stdout: &str) -> Vec<usize> {
    let regex = regex::Regex::new(r"(?m)；同时最多 (\d+) 个$").unwrap();
    regex
        .captures_iter(stdout)
        .map(|captures| captures[1].parse().unwrap())
        .collect()
}

#[test]
fn bad_flags_exit_2_with_one_clear_line() {
    for (binary, args, message) in [
        (
            "gil_simulated",
            ["--switch-ms", "x"],
            "invalid value 'x' for '--switch-ms <SWITCH_MS>': invalid digit found in string",
        ),
        (
            "gil_simulated",
            ["--switch-ms", "0"],
            "invalid value '0' for '--switch-ms <SWITCH_MS>': 0 is not in 1..=1000",
        ),
        (
            "countdown",
            ["--threads", "0"],
            "invalid value '0' for '--threads <THREADS>': 0 is not in 1..=1024",
        ),
        (
            "countdown",
            ["--count", "-1"],
            "invalid value '-1' for '--count <COUNT>': invalid digit found in string",
        ),
    ] {
        let run = example(binary).args(args).run();
        assert_eq!(run.bad_input(), format!("{binary}: {message} (see --help)"));
    }
}

#[test]
fn dummy_pool_overlaps_at_most_its_three_fetches() {
    let run = example("dummy_pool").run().success();
    // The pool's fetches can overlap, three at the most. (The server reports its maximum so
    // far, so the second number is the pool's own whenever it is above the sequential 1.)
    let in_flight = in_flight(&run.stdout);
    assert!((1..=3).contains(&in_flight[1]), "three URLs: {in_flight:?}");
}

#[test]
fn thread_crawler_counts_every_page_once_by_worker() {
    let run = example("thread_crawler").run().success();

    // `{1: 10, 2: 9, …}`: workers numbered 1 to 10, at most once each, 100 pages in all.
    let counts = run
        .stdout_lines()
        .into_iter()
        .find_map(|line| line.strip_prefix("每个工作线程的页面数："))
        .unwrap();
    let entry = regex::Regex::new(r"(\d+): (\d+)").unwrap();
    let mut workers = Vec::new();
    let mut pages = 0;
    for captures in entry.captures_iter(counts) {
        workers.push(captures[1].parse::<usize>().unwrap());
        pages += captures[2].parse::<usize>().unwrap();
    }
    assert_eq!(pages, 100, "{}", run.stdout);
    assert!(workers.iter().all(|w| (1..=10).contains(w)), "{workers:?}");
    assert!(workers.windows(2).all(|w| w[0] < w[1]), "{workers:?}");
    let in_flight = in_flight(&run.stdout);
    assert!(
        (1..=10).contains(&in_flight[0]),
        "ten workers: {in_flight:?}"
    );
}
