//! The synchronisation chapter (package `examples-sync`). What every run prints is in each
//! example's transcript (`src/bin/<name>.md`); these tests check what a transcript cannot say.

use tests::example;

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
    let balance: i64 = lines[0].parse().expect("the balance");
    assert!(balance.abs() <= 8 * 4_000_000, "{balance}");
    let verdict = if balance == 0 {
        "这次是 0：没有丢失更新，或者丢失的正好互相抵消"
    } else {
        "不是 0：有更新在 load 和 store 之间丢失了"
    };
    assert_eq!(lines[1], verdict);
}

#[test]
fn increment_not_atomic_never_gains_and_counts_what_it_lost() {
    let run = example("increment_not_atomic").run().success();
    let lines = run.stdout_lines();
    let first =
        regex::Regex::new(r"^n \+= 1 拆成 load、add、store：(\d+)（应为 2000000，丢失 (\d+)）$")
            .unwrap();
    let c = first.captures(lines[0]).expect("the load/add/store line");
    let (total, lost): (u64, u64) = (c[1].parse().unwrap(), c[2].parse().unwrap());
    // Lost updates only ever lower the total (in theory down to 2); they never raise it.
    assert!((2..=2_000_000).contains(&total), "{total}");
    assert_eq!(total + lost, 2_000_000);
}

/// The counts, in order, and the final count of a `counter_fuzz` run.
fn fuzz_run(args: &[&str]) -> (Vec<u32>, u32) {
    let mut example = example("counter_fuzz");
    for arg in args {
        example = example.args([*arg]);
    }
    let run = example.run().success();
    let lines = run.stdout_lines();
    let counts: Vec<u32> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("The count is "))
        .map(|n| n.parse().unwrap())
        .collect();
    let last = lines
        .last()
        .unwrap()
        .strip_prefix("最终计数：")
        .expect("final count last");
    (counts, last.parse().unwrap())
}

#[test]
fn counter_fuzz_without_the_lock_prints_counts_in_range() {
    // Which counts repeat depends on the sleeps: guaranteed are counts of 1 to 10 and a final
    // count from 1 to 10 (every store is a value read plus one).
    let (counts, last) = fuzz_run(&["--seed", "1"]);
    assert!(
        counts.iter().all(|count| (1..=10).contains(count)),
        "{counts:?}"
    );
    assert!((1..=10).contains(&last));
}

#[test]
fn counter_fuzz_with_the_lock_counts_one_to_ten_in_order() {
    // The transcript has the counts in any order, since `Finishing up` may fall between them.
    let (counts, _) = fuzz_run(&["--lock", "--seed", "42"]);
    assert_eq!(counts, (1..=10).collect::<Vec<_>>());
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
fn queue_task_done_gives_every_item_to_one_of_the_four_workers() {
    let run = example("queue_task_done").run().success();
    let done = regex::Regex::new(r"^worker (\d+) 完成了 item \d+$").unwrap();
    for line in run.stdout_lines() {
        if let Some(c) = done.captures(line) {
            let worker: u32 = c[1].parse().unwrap();
            assert!((1..=4).contains(&worker), "{line}");
        }
    }
}

#[test]
fn semaphore_never_lets_more_than_three_in() {
    let run = example("semaphore").run().success();
    let lines = run.stdout_lines();
    let step = regex::Regex::new(r"^线程 (\d+) (进入|离开)（里面有 (\d+) 个）$").unwrap();
    let mut inside = std::collections::BTreeSet::new();
    let (last, steps) = lines.split_last().expect("steps, then the peak");
    for line in steps {
        let c = step
            .captures(line)
            .unwrap_or_else(|| panic!("not a step: {line:?}"));
        let id: u32 = c[1].parse().unwrap();
        if &c[2] == "进入" {
            inside.insert(id);
        } else {
            assert!(inside.remove(&id), "thread {id} left before entering");
        }
        // Printed after the step, so a line may lag the count; neither ever exceeds 3.
        assert!(inside.len() <= 3, "{} inside at {line}", inside.len());
        assert!(c[3].parse::<usize>().unwrap() <= 3, "{line}");
    }
    let peak = regex::Regex::new(r"^同时在里面最多：([0-3]) 个（上限 3）$").unwrap();
    assert!(peak.is_match(last), "{last}");
}

#[test]
fn barrier_names_exactly_one_of_its_four_threads_the_leader() {
    let run = example("barrier").run().success();
    let leader = regex::Regex::new(r"^线程 (\d+)：被选为 leader$").unwrap();
    let leaders: Vec<u32> = run
        .stdout_lines()
        .iter()
        .filter_map(|line| leader.captures(line))
        .map(|c| c[1].parse().unwrap())
        .collect();
    assert!(
        leaders.len() == 1 && (1..=4).contains(&leaders[0]),
        "{leaders:?}"
    );
}

#[test]
fn deadlock_ordered_lets_one_thread_through_then_the_other() {
    let run = example("deadlock").args(["--ordered"]).run().success();
    let lines = run.stdout_lines();
    let thread = |line: &str| line.split(' ').next().unwrap().to_owned();
    let (first, second) = (thread(lines[0]), thread(lines[1]));
    assert_ne!(first, second, "{lines:#?}");
    let moved = |who: &str| match who {
        "t1" => "t1 把 10 从 A 转到 B".to_owned(),
        _ => "t2 把 20 从 B 转到 A".to_owned(),
    };
    // The first holds A, then the second waits for it; the first finishes before the second
    // gets A.
    let expected = [
        format!("{first} 持有 A"),
        format!("{second} 等待 A"),
        format!("{first} 持有 B"),
        moved(&first),
        format!("{second} 持有 A"),
        format!("{second} 持有 B"),
        moved(&second),
        "A = 110, B = 90".to_owned(),
    ];
    assert_eq!(lines, expected);
}

#[test]
fn deadlock_rejects_unknown_flags() {
    let run = example("deadlock").args(["--timeout"]).run();
    assert!(run.bad_input().contains("--timeout"));
}
