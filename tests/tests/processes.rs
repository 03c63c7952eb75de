//! The multiprocessing chapter (package `examples-processes`): each binary's documented output.
//! Pids are checked for what is guaranteed: children's pids differ from each other and from the
//! parent's, and a child's parent pid is the example's own pid (`Run::pid`).

use tests::{
    assert_before, assert_never_ahead, assert_same_lines, assert_transcript, example, redact, str,
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
