//! The multiprocessing chapter (package `examples-processes`): each binary's documented output.
//! Pids are checked for what is guaranteed: children's pids differ from each other and from the
//! parent's, and a child's parent pid is the example's own pid (`Run::pid`).

use tests::{
    assert_before, assert_never_ahead, assert_same_lines, assert_transcript, count, example,
    redact, str,
};

const FIVE_CHILDREN_THEN_THE_END: &str = "\
测试Python多进程
测试Python多进程
测试Python多进程
测试Python多进程
测试Python多进程
结束测试
";

#[test]
fn process_basic_runs_five_children_then_ends_the_test() {
    // The children's lines are identical, and the parent prints only after reaping all five.
    let run = example("process_basic").run().success();
    assert_eq!(run.stdout, FIVE_CHILDREN_THEN_THE_END);
}

#[test]
fn process_subclass_prints_what_process_basic_prints() {
    let run = example("process_subclass").run().success();
    assert_eq!(run.stdout, FIVE_CHILDREN_THEN_THE_END);
}

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
    assert_eq!(lines[1], "等待所有子进程完成。");

    let mut pids: Vec<u32> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("子进程: "))
        .map(|rest| rest.split(' ').next().unwrap().parse().unwrap())
        .collect();
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), 2, "two children, two pids: {lines:?}");
    assert!(!pids.contains(&run.pid), "a child has its own pid");

    let redacted = redact(
        &run.stdout,
        &[
            ("[PID]", r"^子进程: (?<redacted>\d+) - "),
            ("[PID]", r"^当前母进程: (?<redacted>\d+)$"),
            ("[SECS]", r"^总共用时(?<redacted>\d+\.\d{2})秒$"),
        ],
    );
    let redacted: Vec<_> = redacted.lines().collect();
    assert_same_lines(
        &redacted,
        &[
            "当前母进程: [PID]",
            "等待所有子进程完成。",
            "子进程: [PID] - 任务1",
            "子进程: [PID] - 任务2",
            "结果: 1152921504606846976",
            "结果: 1152921504606846976",
            "总共用时[SECS]秒",
        ],
    );
    assert_never_ahead(
        &redacted,
        |line| line.starts_with("子进程"),
        |line| line.starts_with("结果"),
    );
    assert_eq!(redacted.last(), Some(&"总共用时[SECS]秒"));
}

#[test]
fn process_hello_says_hello_bob() {
    let run = example("process_hello").run().success();
    assert_eq!(run.stdout, "hello bob\n");
}

#[test]
fn process_info_shows_the_child_whose_parent_is_the_main_process() {
    let run = example("process_info").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines[3], format!("process id: {}", run.pid));
    assert_eq!(lines[9], format!("parent process: {}", run.pid));
    assert_ne!(lines[10], format!("process id: {}", run.pid));
    assert_transcript(
        &redact(
            &run.stdout,
            &[
                ("[PID]", r"^parent process: (?<redacted>\d+)$"),
                ("[PID]", r"^process id: (?<redacted>\d+)$"),
            ],
        ),
        str![[r#"
main process line
module name: process_info
parent process: [PID]
process id: [PID]



function f
module name: process_info
parent process: [PID]
process id: [PID]



hello bob

"#]],
    );
}

#[test]
fn process_lifecycle_reports_every_way_a_child_ends() {
    // At half speed the first child naps 0.5 s: `is_alive` right after the spawn sees it
    // running, and the 0.25 s join timeout runs out before the last child's nap ends.
    let run = example("process_lifecycle").time_scale(0.5).run().success();
    assert!(
        run.stderr.contains("a child process panicking on purpose"),
        "the panicking child's message goes to stderr: {}",
        run.stderr
    );
    assert_transcript(
        &run.stdout,
        str![[r#"
-- a child that returns
is_alive: true
exitcode: None
is_alive: false
exitcode: Some(0)
ExitStatus: exit status: 0
-- a child that panics
is_alive: false
exitcode: Some(101)
ExitStatus: exit status: 101
-- terminate(): SIGTERM, which a process may catch
is_alive: false
exitcode: Some(-15)
ExitStatus: signal: 15 (SIGTERM)
-- kill(): SIGKILL, which no process can catch
is_alive: false
exitcode: Some(-9)
ExitStatus: signal: 9 (SIGKILL)
-- join(timeout) shorter than the child's nap
joined in time: false
is_alive: true
is_alive: false
exitcode: Some(0)
ExitStatus: exit status: 0

"#]],
    );
}

#[test]
fn queue_basic_reads_the_three_messages_after_the_three_puts() {
    let run = example("queue_basic").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 8, "{lines:?}");
    assert_same_lines(
        &lines[..3],
        &[
            "子进程0 开始put数据",
            "子进程1 开始put数据",
            "子进程2 开始put数据",
        ],
    );
    assert_eq!(lines[3], "主进程获取Queue数据");
    assert_same_lines(
        &lines[4..7],
        &[
            "我是0 通过Queue通信",
            "我是1 通过Queue通信",
            "我是2 通过Queue通信",
        ],
    );
    assert_eq!(lines[7], "结束测试");
}

#[test]
fn queue_list_prints_the_mixed_list_as_a_tuple() {
    let run = example("queue_list").run().success();
    assert_eq!(run.stdout, "(42, None, \"hello\")\n");
}

#[test]
fn queue_pids_collects_ten_distinct_child_pids() {
    let run = example("queue_pids").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 13, "{lines:?}");
    let hellos: Vec<String> = (0..10).map(|n| format!("[{n}] Hello!")).collect();
    let hellos: Vec<&str> = hellos.iter().map(String::as_str).collect();
    assert_same_lines(&lines[..10], &hellos);
    assert_eq!(&lines[10..12], ["Done!", "10"]);

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
fn queue_add_one_adds_both_results() {
    let run = example("queue_add_one").run().success();
    assert_eq!(run.stdout, "13\n");
}

#[test]
fn pipe_duplex_orders_what_the_pipe_orders() {
    let run = example("pipe_duplex").run().success();
    let lines = run.stdout_lines();
    assert_same_lines(
        &lines,
        &[
            "主进程接受消息：",
            "子进程发送消息：",
            "子进程接受消息：",
            "你好主进程",
            "主进程发送消息：",
            "你好子进程",
            "结束测试",
        ],
    );
    // Each process's own order.
    assert_before(&lines, "主进程接受消息：", "你好主进程");
    assert_before(&lines, "你好主进程", "主进程发送消息：");
    assert_before(&lines, "子进程发送消息：", "子进程接受消息：");
    assert_before(&lines, "子进程接受消息：", "你好子进程");
    // What the messages order across the two processes.
    assert_before(&lines, "子进程发送消息：", "你好主进程");
    assert_before(&lines, "主进程发送消息：", "你好子进程");
    assert_eq!(lines.last(), Some(&"结束测试"));
}

#[test]
fn pipe_list_prints_the_mixed_list_as_a_tuple() {
    let run = example("pipe_list").run().success();
    assert_eq!(run.stdout, "(42, None, \"hello\")\n");
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
    assert_eq!(lines.len(), 21, "{lines:?}");
    assert_eq!(lines.last(), Some(&"结束测试"));
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
    let order: Vec<_> = pool_events(&lines)
        .into_iter()
        .map(|event| event.map_or_else(|task| task, |(task, _)| task))
        .collect();
    let expected: Vec<u32> = (0..10).flat_map(|task| [task, task]).collect();
    assert_eq!(order, expected, "start N, end N, start N+1, …");
    assert_eq!(lines.last(), Some(&"结束测试"));
}

#[test]
fn pool_cpu_count_runs_five_tasks_on_at_most_four_workers() {
    let run = example("pool_cpu_count").run().success();
    let lines = run.stdout_lines();
    let cpus = std::thread::available_parallelism().unwrap();
    assert_eq!(lines[0], format!("CPU内核数:{cpus}"));
    assert_eq!(lines[1], format!("当前母进程: {}", run.pid));
    assert_eq!(lines.len(), 14, "{lines:?}");
    let mut pids: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("子进程: "))
        .map(|rest| rest.split(' ').next().unwrap())
        .collect();
    assert_eq!(pids.len(), 5);
    pids.sort_unstable();
    pids.dedup();
    assert!(pids.len() <= 4, "{pids:?}");
    assert!(!pids.contains(&run.pid.to_string().as_str()));
    assert_eq!(count(&lines, |l| l == "结果: 1152921504606846976"), 5);
    assert!(
        regex::Regex::new(r"^总共用时\d+\.\d{2}秒$")
            .unwrap()
            .is_match(lines[13])
    );
}

#[test]
fn pool_callback_prints_end_before_every_callback() {
    let run = example("pool_callback").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines[0], "end");
    let expected: Vec<String> = (100..110).map(|n| format!("-->exec done: {n}")).collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_same_lines(&lines[1..], &expected);
}

#[test]
fn pool_countdown_reports_its_time() {
    let run = example("pool_countdown").run().success();
    assert!(
        regex::Regex::new(r"^Time taken in seconds - \d+(\.\d+)?(e-?\d+)?\n$")
            .unwrap()
            .is_match(&run.stdout),
        "{}",
        run.stdout
    );
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
fn pool_square_prints_the_results_in_submission_order() {
    let run = example("pool_square").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 30, "{lines:?}");
    let pids = check_square_lines(&lines[..20], run.pid);
    let cpus = std::thread::available_parallelism().unwrap().get();
    assert!(pids.len() <= cpus, "{pids:?}");
    assert_eq!(
        lines[20..],
        ["0", "1", "4", "9", "16", "25", "36", "49", "64", "81"]
    );
}

#[test]
fn pool_map_returns_the_squares_in_item_order() {
    let run = example("pool_map").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 21, "{lines:?}");
    check_square_lines(&lines[..20], run.pid);
    assert_eq!(lines[20], "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]");
}

#[test]
fn manager_dict_list_shows_what_ten_processes_wrote() {
    let run = example("manager_dict_list").run().success();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 2, "{lines:?}");

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
    assert_eq!(list[..5], [0, 1, 2, 3, 4], "the list starts as range(5)");
    let mut appended = list[5..].to_vec();
    appended.sort_unstable();
    assert_eq!(
        appended,
        (0..10).collect::<Vec<_>>(),
        "each child appended its index once"
    );
}

#[test]
fn pool_manager_queue_spells_itcast_through_the_managers_queue() {
    // The reader reads `qsize()` items after a paced pause of one second, as in the tutorial:
    // at half speed the writer has 0.5 s to put six letters.
    let run = example("pool_manager_queue")
        .time_scale(0.5)
        .run()
        .success();
    let lines = run.stdout_lines();
    let parent = run.pid;
    assert_eq!(lines.len(), 10, "{lines:?}");
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
    let letters: String = lines[3..9]
        .iter()
        .map(|line| line.strip_prefix("reader 从Queue获取到消息:").unwrap())
        .collect();
    assert_eq!(letters, "itcast");
    assert_eq!(lines[9], format!("({parent})End"));
}

#[test]
fn compare_calculate_gets_the_same_sum_three_ways() {
    let run = example("compare_calculate").run().success();
    let sum = "666666566666670000000";
    let redacted = redact(
        &run.stdout,
        &[
            ("[SECS]", r"^\w+ time: (?<redacted>\d+\.\d+(e-?\d+)?)$"),
            ("[RATIO]", r"^two threads took (?<redacted>\d+\.\d{2}) of"),
            ("[RATIO]", r"two processes (?<redacted>\d+\.\d{2}): "),
            // Which verdict depends on the cores this run got; that it follows the ratio is
            // checked below.
            (
                "[VERDICT]",
                "(?<redacted>with no GIL, the threads used two cores, as the processes did|the threads had no second core to use: one core, or a busy machine)$",
            ),
        ],
    );
    assert_eq!(
        redacted,
        format!(
            "normal: {sum}\nnormal time: [SECS]\nmulti_process: {sum}\nmulti_process time: [SECS]\n\
             multi_thread: {sum}\nmulti_thread time: [SECS]\n\
             two threads took [RATIO] of one thread's time, two processes [RATIO]: [VERDICT]\n"
        )
    );
    let last = run.stdout.lines().last().unwrap();
    let ratio: f64 = last["two threads took ".len()..]
        .split(' ')
        .next()
        .and_then(|ratio| ratio.parse().ok())
        .unwrap();
    assert_eq!(
        last.ends_with("as the processes did"),
        ratio < 0.75,
        "{last}"
    );
}

#[test]
fn pool_executor_map_tags_both_halves_the_same_way_in_both_styles() {
    let run = example("pool_executor_map").run().success();
    assert_transcript(
        &run.stdout,
        str![[r#"
== concurrent.futures: ProcessPoolExecutor(max_workers=4).map
(500, 1)
(500, 1)
1000 rows, 2000 entities; row 0: ["Alice/PER", "Paris/LOC"]
== multiprocessing: Pool(10).apply_async, then get
(500, 1)
(500, 1)
1000 rows, 2000 entities; row 0: ["Alice/PER", "Paris/LOC"]
both styles agree

"#]],
    );
}
