//! The synchronisation chapter (package `examples-sync`).

use tests::{assert_never_ahead, assert_same_lines, example};

#[test]
fn balance_lock_always_ends_at_zero() {
    // The example asserts the balance itself; running it a few times guards against a lock
    // that only looked right once. Each run does 2 × 1,000,000 locked rounds.
    for _ in 0..3 {
        let run = example("balance_lock").run().success();
        assert_eq!(run.stdout, "0\n");
    }
}

#[test]
fn balance_race_prints_a_balance_in_range_and_says_whether_it_is_zero() {
    // Which updates are lost depends on the interleaving: only the shape of the answer is
    // guaranteed. Every update moves the balance by 5 or 8 from a value read earlier, and
    // there are 4,000,000 of them.
    let run = example("balance_race").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let balance: i64 = lines[0].parse().expect("the balance");
    assert!(balance.abs() <= 8 * 4_000_000, "{balance}");
    let verdict = if balance == 0 {
        "0 this time: no update was lost, or the lost ones cancelled out"
    } else {
        "not 0: updates were lost between a load and its store"
    };
    assert_eq!(lines[1], verdict);
}

#[test]
fn increment_not_atomic_never_gains_and_fetch_add_never_loses() {
    let run = example("increment_not_atomic").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first =
        regex::Regex::new(r"^n \+= 1 as load, add, store: (\d+) \(expected 2000000, lost (\d+)\)$")
            .unwrap();
    let c = first.captures(lines[0]).expect("the load/add/store line");
    let (total, lost): (u64, u64) = (c[1].parse().unwrap(), c[2].parse().unwrap());
    // Lost updates only ever lower the total (in theory down to 2); they never raise it.
    assert!((2..=2_000_000).contains(&total), "{total}");
    assert_eq!(total + lost, 2_000_000);
    assert_eq!(
        lines[1],
        "n.fetch_add(1): 2000000 (expected 2000000, lost 0)"
    );
}

#[test]
fn counter_counts_one_to_ten_each_with_its_separator() {
    let run = example("counter").run().success();
    let mut expected = String::from("Starting up --------\n");
    for count in 1..=10 {
        expected.push_str(&format!("The count is {count}\n------------\n"));
    }
    expected.push_str("Finishing up\n");
    assert_eq!(run.stdout, expected);
}

/// The count lines, the number of separators, and the final count of a `counter_fuzz` run.
fn fuzz_run(args: &[&str]) -> (String, Vec<u32>, usize, u32) {
    let mut example = example("counter_fuzz");
    for arg in args {
        example = example.args([*arg]);
    }
    let run = example.run().success();
    let lines = run.stdout_lines();
    let seed = lines[0]
        .strip_prefix("seed: ")
        .expect("the seed first")
        .to_owned();
    assert_eq!(lines[1], "Starting up --------");
    assert_eq!(tests::count(&lines, |l| l == "Finishing up"), 1);
    let counts: Vec<u32> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("The count is "))
        .map(|n| n.parse().unwrap())
        .collect();
    let separators = tests::count(&lines, |l| l == "------------");
    let last = lines
        .last()
        .unwrap()
        .strip_prefix("final count: ")
        .expect("final count last");
    assert_eq!(lines.len(), 2 + 1 + counts.len() + separators + 1);
    (seed, counts, separators, last.parse().unwrap())
}

#[test]
fn counter_fuzz_without_the_lock_prints_ten_counts_in_range() {
    // Which counts repeat depends on the sleeps: guaranteed are ten counts of 1 to 10, ten
    // separators, and a final count from 1 to 10 (every store is a value read plus one).
    let (_, counts, separators, last) = fuzz_run(&["--seed", "1"]);
    assert_eq!(counts.len(), 10);
    assert_eq!(separators, 10);
    assert!(
        counts.iter().all(|count| (1..=10).contains(count)),
        "{counts:?}"
    );
    assert!((1..=10).contains(&last));
}

#[test]
fn counter_fuzz_with_the_lock_counts_one_to_ten_in_order() {
    let (seed, counts, separators, last) = fuzz_run(&["--lock", "--seed", "42"]);
    assert_eq!(seed, "42", "the given seed is the one printed");
    assert_eq!(counts, (1..=10).collect::<Vec<_>>());
    assert_eq!(separators, 10);
    assert_eq!(last, 10);
}

#[test]
fn counter_fuzz_rejects_a_bad_seed() {
    let run = example("counter_fuzz").args(["--seed", "abc"]).run();
    assert!(
        run.bad_input()
            .contains("invalid value 'abc' for '--seed <SEED>'")
    );
}

#[test]
fn queue_task_done_processes_every_item_exactly_once_then_stops_every_worker() {
    let run = example("queue_task_done").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 25, "{lines:?}");
    let done = regex::Regex::new(r"^worker [1-4] did item (\d+)$").unwrap();
    let mut items: Vec<u32> = lines[..20]
        .iter()
        .map(|l| done.captures(l).expect("a work line")[1].parse().unwrap())
        .collect();
    items.sort_unstable();
    assert_eq!(
        items,
        (1..=20).collect::<Vec<_>>(),
        "each item exactly once"
    );
    assert_eq!(lines[20], "all 20 items done");
    assert_same_lines(
        &lines[21..],
        &[
            "worker 1 stops",
            "worker 2 stops",
            "worker 3 stops",
            "worker 4 stops",
        ],
    );
}

#[test]
fn semaphore_never_lets_more_than_three_in() {
    let run = example("semaphore").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 21, "{lines:?}");
    let step = regex::Regex::new(r"^thread (\d+) (enters|leaves) \((\d) inside\)$").unwrap();
    let mut inside = std::collections::BTreeSet::new();
    let mut entered = std::collections::BTreeSet::new();
    for line in &lines[..20] {
        let c = step.captures(line).expect("an enter or leave line");
        let id: u32 = c[1].parse().unwrap();
        if &c[2] == "enters" {
            assert!(entered.insert(id), "thread {id} entered twice");
            inside.insert(id);
        } else {
            assert!(inside.remove(&id), "thread {id} left before entering");
        }
        // Printed after the step, so a line may lag the count; neither ever exceeds 3.
        assert!(inside.len() <= 3, "{} inside at {line}", inside.len());
        assert!(c[3].parse::<usize>().unwrap() <= 3, "{line}");
    }
    assert_eq!(entered.len(), 10);
    let peak = regex::Regex::new(r"^peak inside: ([0-3]) \(limit 3\)$").unwrap();
    assert!(peak.is_match(lines[20]), "{}", lines[20]);
}

#[test]
fn barrier_holds_every_phase_two_until_all_of_phase_one() {
    let run = example("barrier").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 9, "{lines:?}");
    assert_never_ahead(
        &lines,
        |l| l.ends_with("phase 1 done"),
        |l| l.ends_with("phase 2"),
    );
    assert_eq!(
        tests::count(&lines[..4], |l| l.ends_with("phase 1 done")),
        4
    );
    assert_eq!(tests::count(&lines, |l| l.ends_with(": the leader")), 1);
    assert_eq!(tests::count(&lines, |l| l.ends_with("phase 2")), 4);
}
