//! The multiprocessing chapter (package `examples-processes`): what the transcripts
//! (`src/bin/<name>.md`, checked by `transcripts.rs`) cannot say. Pids are checked for what is
//! guaranteed: children's pids differ from each other and from the parent's, and a child's
//! parent pid is the example's own pid (`Run::pid`); then happens-before pairs, how many tasks
//! run at once, and on how many workers.

use tests::{assert_before, assert_never_ahead, example};

#[test]
fn process_long_time_task_overlaps_two_children_with_their_own_pids() {
    // Each child sleeps 0.4 s at this scale; the second starts within milliseconds of the first,
    // so both report before either finishes.
    let run = example("process_long_time_task")
        .time_scale(0.2)
        .run()
        .success();
    let lines = run.stdout_lines();
    assert_eq!(lines[0], format!("当前母进程: {}", run.pid));

    let mut pids: Vec<u32> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("子进程: "))
        .map(|rest| rest.split(' ').next().unwrap().parse().unwrap())
        .collect();
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), 2, "two children, two pids: {lines:?}");
    assert!(!pids.contains(&run.pid), "a child has its own pid");

    assert_never_ahead(
        &lines,
        |line| line.starts_with("子进程"),
        |line| line.starts_with("结果"),
    );
}

#[test]
fn process_info_shows_the_child_whose_parent_is_the_main_process() {
    let run = example("process_info").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines[3], format!("process id: {}", run.pid));
    assert_eq!(lines[9], format!("parent process: {}", run.pid));
    assert_ne!(lines[10], format!("process id: {}", run.pid));
}

#[test]
fn queue_pids_collects_ten_distinct_child_pids() {
    let run = example("queue_pids").run().success();
    let lines = run.stdout_lines();
    let list = lines[12]
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'));
    let mut pids: Vec<u32> = list
        .expect("a list of pids")
        .split(", ")
        .map(|pid| pid.parse().expect("a pid"))
        .collect();
    assert!(!pids.contains(&run.pid), "the pids are the children's");
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), 10, "ten children, ten pids: {}", lines[12]);
}

#[test]
fn pipe_duplex_orders_what_the_pipe_orders() {
    let run = example("pipe_duplex").run().success();
    let lines = run.stdout_lines();
    // Each process's own order.
    assert_before(&lines, "主进程接受消息：", "你好主进程");
    assert_before(&lines, "你好主进程", "主进程发送消息：");
    assert_before(&lines, "子进程发送消息：", "子进程接受消息：");
    assert_before(&lines, "子进程接受消息：", "你好子进程");
    // What the messages order across the two processes.
    assert_before(&lines, "子进程发送消息：", "你好主进程");
    assert_before(&lines, "主进程发送消息：", "你好子进程");
}

/// `(task, pid)` of every `Run task N (pid)...` line, and the task of every `Task N runs` line,
/// as events in output order: `Ok((task, pid))` for a start, `Err(task)` for an end.
fn pool_events(lines: &[&str]) -> Vec<Result<(u32, u32), u32>> {
    let start = regex::Regex::new(r"^Run task (\d+) \((\d+)\)\.\.\.$").unwrap();
    let end = regex::Regex::new(r"^Task (\d+) runs \d+\.\d{2} seconds\.$").unwrap();
    lines
        .iter()
        .filter_map(|line| {
            if let Some(c) = start.captures(line) {
                Some(Ok((c[1].parse().unwrap(), c[2].parse().unwrap())))
            } else {
                end.captures(line).map(|c| Err(c[1].parse().unwrap()))
            }
        })
        .collect()
}

/// Every task 0..10 starts once and ends once, after its start; returns the peak number of
/// tasks running at once and the distinct worker pids.
fn check_pool_run(lines: &[&str], parent: u32) -> (usize, Vec<u32>) {
    let events = pool_events(lines);
    assert_eq!(events.len(), 20, "ten starts and ten ends: {lines:?}");
    let (mut running, mut peak) = (std::collections::BTreeSet::new(), 0);
    let mut pids = Vec::new();
    for event in events {
        match event {
            Ok((task, pid)) => {
                assert!(running.insert(task), "task {task} started twice");
                assert_ne!(pid, parent, "tasks run in workers, not in the parent");
                pids.push(pid);
                peak = peak.max(running.len());
            }
            Err(task) => assert!(running.remove(&task), "task {task} ended before it started"),
        }
    }
    assert!(running.is_empty());
    pids.sort_unstable();
    pids.dedup();
    (peak, pids)
}

#[test]
fn pool_apply_async_runs_at_most_five_tasks_at_once_on_five_reused_workers() {
    let run = example("pool_apply_async").run().success();
    let lines = run.stdout_lines();
    let (peak, pids) = check_pool_run(&lines, run.pid);
    assert!(peak <= 5, "at most five tasks at once, saw {peak}");
    assert!(
        pids.len() <= 5,
        "ten tasks on at most five workers: {pids:?}"
    );
}

#[test]
fn pool_apply_runs_the_tasks_strictly_one_after_the_other() {
    let run = example("pool_apply").run().success();
    let lines = run.stdout_lines();
    let (peak, pids) = check_pool_run(&lines, run.pid);
    assert_eq!(peak, 1);
    assert!(pids.len() <= 5, "{pids:?}");
}

#[test]
fn pool_cpu_count_runs_five_tasks_on_at_most_four_workers() {
    let run = example("pool_cpu_count").run().success();
    let lines = run.stdout_lines();
    let cpus = std::thread::available_parallelism().unwrap();
    assert_eq!(lines[0], format!("CPU内核数:{cpus}"));
    assert_eq!(lines[1], format!("当前母进程: {}", run.pid));
    let mut pids: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("子进程: "))
        .map(|rest| rest.split(' ').next().unwrap())
        .collect();
    pids.sort_unstable();
    pids.dedup();
    assert!(pids.len() <= 4, "{pids:?}");
    assert!(!pids.contains(&run.pid.to_string().as_str()));
}

#[test]
fn pool_callback_prints_end_before_every_callback() {
    // Overwhelming probability, not a guarantee: `end` follows ten sends, microseconds, while
    // the first callback waits for a worker's sleep, 0.1 s at the test scale.
    let run = example("pool_callback").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines[0], "end");
    let mut done: Vec<&str> = lines[1..].to_vec();
    done.sort_unstable();
    let expected: Vec<String> = (100..110).map(|n| format!("-->exec done: {n}")).collect();
    assert_eq!(done, expected, "each task's callback, once");
}

/// Each worker prints `启动` then `执行完毕` for one task at a time; returns the workers' pids.
fn check_square_lines(lines: &[&str], parent: u32) -> Vec<String> {
    let line = regex::Regex::new(r"^进程id：(\d+)(启动|执行完毕)$").unwrap();
    let mut busy = std::collections::BTreeMap::<String, bool>::new();
    let mut starts = 0;
    for text in lines {
        let c = line
            .captures(text)
            .unwrap_or_else(|| panic!("unexpected line {text:?}"));
        assert_ne!(c[1].parse::<u32>().unwrap(), parent);
        let running = busy.entry(c[1].to_owned()).or_default();
        if &c[2] == "启动" {
            assert!(!*running, "worker {} started a task while busy", &c[1]);
            starts += 1;
        } else {
            assert!(
                *running,
                "worker {} finished a task it had not started",
                &c[1]
            );
        }
        *running = !*running;
    }
    assert_eq!(starts, 10);
    assert!(busy.values().all(|running| !running));
    busy.into_keys().collect()
}

#[test]
fn pool_square_runs_one_task_at_a_time_per_worker_on_at_most_one_worker_per_cpu() {
    let run = example("pool_square").run().success();
    let lines = run.stdout_lines();
    let pids = check_square_lines(&lines[..20], run.pid);
    let cpus = std::thread::available_parallelism().unwrap().get();
    assert!(pids.len() <= cpus, "{pids:?}");
}

#[test]
fn pool_map_runs_one_item_at_a_time_per_worker() {
    let run = example("pool_map").run().success();
    let lines = run.stdout_lines();
    check_square_lines(&lines[..20], run.pid);
}

#[test]
fn manager_dict_list_shows_what_ten_processes_wrote() {
    let run = example("manager_dict_list").run().success();
    let lines = run.stdout_lines();

    let dict = lines[0].strip_prefix('{').and_then(|d| d.strip_suffix('}'));
    let mut entries: Vec<&str> = dict.expect("a dict").split(", ").collect();
    assert_eq!(
        entries.len(),
        11,
        "ten int keys and one str key: {}",
        lines[0]
    );
    entries.sort_unstable();
    let mut expected: Vec<String> = (0..10).map(|key| format!("{key}: \"a\"")).collect();
    expected.push("\"2\": \"b\"".to_owned());
    expected.sort_unstable();
    assert_eq!(entries, expected);

    let list = lines[1].strip_prefix('[').and_then(|l| l.strip_suffix(']'));
    let list: Vec<u32> = list
        .expect("a list")
        .split(", ")
        .map(|item| item.parse().unwrap())
        .collect();
    let mut appended = list[5..].to_vec();
    appended.sort_unstable();
    assert_eq!(
        appended,
        (0..10).collect::<Vec<_>>(),
        "each child appended its index once"
    );
}

#[test]
fn pool_manager_queue_runs_writer_and_reader_in_workers_of_the_main_process() {
    // The reader reads `qsize()` items after a paced pause of one second, as in the tutorial:
    // at half speed the writer has 0.5 s to put six letters.
    let run = example("pool_manager_queue")
        .time_scale(0.5)
        .run()
        .success();
    let lines = run.stdout_lines();
    let parent = run.pid;
    assert_eq!(lines[0], format!("({parent})start"));
    let writer = regex::Regex::new(r"^writer 启动（(\d+)\),父进程为\((\d+)\)$").unwrap();
    let reader = regex::Regex::new(r"^reader 启动\((\d+)\),父进程为（(\d+)\)$").unwrap();
    let (w, r) = (
        writer.captures(lines[1]).unwrap(),
        reader.captures(lines[2]).unwrap(),
    );
    assert_eq!(
        w[2].parse::<u32>().unwrap(),
        parent,
        "the workers' parent is the main process"
    );
    assert_eq!(r[2].parse::<u32>().unwrap(), parent);
    assert_ne!(w[1].parse::<u32>().unwrap(), parent);
    assert_ne!(r[1].parse::<u32>().unwrap(), parent);
    assert_eq!(lines[9], format!("({parent})End"));
}

#[test]
fn compare_calculate_gives_the_verdict_its_own_times_call_for() {
    let run = example("compare_calculate").run().success();
    let last = run.stdout.lines().last().unwrap();
    let ratio: f64 = last
        .strip_prefix("两个线程用时是单线程的 ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|ratio| ratio.parse().ok())
        .unwrap_or_else(|| panic!("no ratio in {last:?}"));
    // Which verdict depends on the cores this run got; it must follow the ratio.
    let parallel = "没有 GIL，线程和进程一样用上了两个核";
    let serial = "线程没有第二个核可用：单核，或机器太忙";
    assert!(
        last.ends_with(&format!("：{parallel}")) || last.ends_with(&format!("：{serial}")),
        "{last}"
    );
    // The example compares its unrounded ratio; printed as 0.75, it may be either side.
    if ratio != 0.75 {
        assert_eq!(last.ends_with(parallel), ratio < 0.75, "{last}");
    }
}
