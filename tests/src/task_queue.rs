//! What the task queue's runs (`task_queue`) guarantee, checked the same way on both stores:
//! `tests/distributed.rs` runs them on SQLite, `tests/with_tools.rs` on a Redis it starts.

use std::collections::HashMap;
use std::time::Duration;

use nix::sys::signal::Signal;

use crate::{Run, example};

pub const SQUARES: &str = "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]";

/// `进程id：123启动 (square(3))` → (123, "启动", "square(3)").
pub fn event(line: &str) -> Option<(u32, &str, &str)> {
    let rest = line.strip_prefix("进程id：")?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    let (pid, rest) = rest.split_at(digits);
    let (kind, rest) = rest.split_once(" (")?;
    let job = rest.split([')', ' ']).next()?;
    let job = &rest[..rest.find(')').map_or(job.len(), |end| end + 1)];
    Some((pid.parse().ok()?, kind, job))
}

pub fn worker_pids(run: &Run) -> Vec<u32> {
    let line = run
        .stdout_lines()
        .into_iter()
        .find_map(|line| line.strip_prefix("worker 进程 pid：["))
        .unwrap_or_else(|| panic!("no worker pids line:\n{}", run.stdout));
    line.trim_end_matches(']')
        .split(", ")
        .map(|pid| pid.parse().expect("a pid"))
        .collect()
}

/// What every run of the tutorial's tasks guarantees, whatever the broker: each worker runs one
/// task at a time, every task ends exactly once, by one of the run's workers, and the results
/// come in submission order. Returns, per job, the pids that started it.
pub fn check_tutorial_run(run: &Run) -> HashMap<String, Vec<u32>> {
    let lines = run.stdout_lines();
    let pids = worker_pids(run);
    assert_eq!(pids.len(), 3, "{}", run.stdout);
    let mut in_hand: HashMap<u32, &str> = HashMap::new();
    let mut started: HashMap<String, Vec<u32>> = HashMap::new();
    let mut ended: HashMap<&str, usize> = HashMap::new();
    for line in &lines {
        let Some((pid, kind, job)) = event(line) else {
            continue;
        };
        assert!(
            pids.contains(&pid),
            "{line}: not one of the run's workers {pids:?}"
        );
        match kind {
            "启动" => {
                assert!(
                    in_hand.insert(pid, job).is_none(),
                    "worker {pid} started {job} with a task in hand:\n{}",
                    run.stdout
                );
                started.entry(job.to_owned()).or_default().push(pid);
            }
            "执行完毕" | "失败" => {
                assert_eq!(in_hand.remove(&pid), Some(job), "{line}\n{}", run.stdout);
                if kind == "执行完毕" {
                    *ended.entry(job).or_default() += 1;
                }
            }
            other => panic!("unknown event {other:?} in {line}"),
        }
    }
    let results_at = crate::position_of(&lines, SQUARES);
    for num in 0..10 {
        let job = format!("square({num})");
        assert_eq!(
            ended.get(job.as_str()),
            Some(&1),
            "{job} must end exactly once:\n{}",
            run.stdout
        );
        let end = format!("执行完毕 ({job} = {})", num * num);
        let at = lines
            .iter()
            .position(|line| line.ends_with(&end))
            .expect("the end line");
        assert!(at < results_at, "{end} after the results:\n{}", run.stdout);
    }
    assert_eq!(ended.get("countdown(5000000)"), Some(&10), "{}", run.stdout);
    started
}

/// At-least-once delivery: the killed worker's task runs again elsewhere, and is reported once.
pub fn check_killed_run(run: &Run, killed: u32) {
    let started = check_tutorial_run(run);
    let lines = run.stdout_lines();
    let own: Vec<_> = lines
        .iter()
        .filter_map(|line| event(line))
        .filter(|(pid, _, _)| *pid == killed)
        .collect();
    // Killed right after it printed that it started square(3), so in the middle of it as a
    // rule; it can print nothing after that.
    let (_, what, job) = own.last().expect("the killed worker started a task");
    if (*what, *job) == ("启动", "square(3)") {
        let runs_of_3 = &started["square(3)"];
        assert_eq!(
            runs_of_3.len(),
            2,
            "square(3) runs twice: {runs_of_3:?}\n{}",
            run.stdout
        );
        assert_eq!(runs_of_3[0], killed, "{}", run.stdout);
        assert_ne!(runs_of_3[1], killed, "{}", run.stdout);
    } else {
        // The kill came after square(3) had finished: then it finished there, once.
        assert_eq!(started["square(3)"], [killed], "{}", run.stdout);
    }
}

/// Runs `task_queue` with `args` and sends `signal` to the first worker that starts a task
/// whose line contains `job` (`square(3)`, or `square(` for any square), from outside, by the
/// pid on that line, as a user with `kill` would: in the middle of the task as a rule (a square
/// sleeps up to 0.6 s here). Returns the run and the worker's pid.
pub fn run_signalling_a_worker(args: &[String], job: &str, signal: Signal) -> (Run, u32) {
    let mut started = example("task_queue").args_vec(args).time_scale(0.2).start();
    let line = started.wait_for_line(|line| line.contains(&format!("启动 ({job}")));
    let (pid, _, _) = event(&line).expect("a start line");
    let worker = nix::unistd::Pid::from_raw(i32::try_from(pid).expect("pids fit in i32"));
    nix::sys::signal::kill(worker, signal).expect("cannot signal the worker");
    (started.finish(), pid)
}

/// A stopped worker cannot stall the run: its task is run again by another worker once its
/// heartbeats stop, every task ends once, and at the end the run kills the worker that does not
/// answer SIGTERM, says so in one line, and exits with the results' status. (`finish` has
/// checked that nothing was left running or unreaped.)
pub fn check_stopped_run(run: &Run, stopped: u32) {
    let started = check_tutorial_run(run);
    let lines = run.stdout_lines();
    assert_eq!(
        crate::count(&lines, |line| line
            == format!(
                "worker {stopped} 收到 SIGTERM 后 6 秒仍未退出，已用 SIGKILL 杀掉"
            )),
        1,
        "the stopped worker is killed, and the run says so once:\n{}",
        run.stdout
    );
    assert_eq!(
        lines.last().copied(),
        Some(format!("worker {stopped} 收到 SIGTERM 后 6 秒仍未退出，已用 SIGKILL 杀掉").as_str()),
        "{}",
        run.stdout
    );
    // Stopped in the middle of a task (as a rule): another worker ran that task again.
    let own: Vec<_> = lines
        .iter()
        .filter_map(|line| event(line))
        .filter(|(pid, _, _)| *pid == stopped)
        .collect();
    if let Some((_, "启动", job)) = own.last() {
        let runs = &started[*job];
        assert!(
            runs.len() >= 2 && runs[1..].iter().all(|pid| *pid != stopped),
            "{job}, in the stopped worker's hands, ran again elsewhere: {runs:?}\n{}",
            run.stdout
        );
    }
}

/// Runs `task_queue --redis url` (whose password is `hunter2`), which must end in one line on
/// stderr naming the URL with `***` for the password; returns what follows the URL.
pub fn refused(url: &str) -> String {
    let run = example("task_queue")
        .args(["--redis", url])
        .timeout(Duration::from_secs(20))
        .run();
    let line = run.one_line_error();
    let named = format!(
        "task_queue: cannot reach Redis at {}: ",
        url.replace("hunter2", "***")
    );
    assert!(line.starts_with(&named), "{line}");
    assert!(
        !run.stdout.contains("hunter2") && !line.contains("hunter2"),
        "{run:?}"
    );
    line[named.len()..].to_owned()
}
