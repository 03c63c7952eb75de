//! Every order in which the tutorial's two `change_it` calls can run their steps, each run on a
//! tiny simulated machine: the tutorial's table of steps, enumerated instead of imagined.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多线程以及一些同步的问题
//! (`balance = balance + n` is really `x = balance + n; balance = x`, and the schedule of `t1` and
//! `t2` that ends at -8).
//! Python API: none; the tutorial works this out by hand.
//!
//! Run: `cargo run -p examples-sync --bin balance_interleavings`
//!
//! What to watch for: 70 schedules (8 steps, 4 of each thread: 8 choose 4), the final balances
//! they reach with how many reach each, then the tutorial's own schedule, step by step, at -8.
//! Every run prints the same: no OS scheduler takes part.
//!
//! Rust differences: `balance_race` runs the real threads and samples a few of their orders; this
//! walks every order of one small case, which is what a model checker does for real code (the
//! models in `examples-sync/models`, on `balance_race`'s own `change_it`).

use std::collections::BTreeMap;

/// The two threads: name and `n`, as in `t1 = Thread(target=run_thread, args=(5,))`.
const THREADS: [(&str, i64); 2] = [("t1", 5), ("t2", 8)];
/// `change_it(n)` split as the tutorial splits it: add, store, subtract, store.
const STEPS: usize = 4;

/// `t1`, `t2`, `t2`, `t1`, `t1`, `t1`, `t2`, `t2`: the tutorial's bad interleaving.
const TUTORIAL: [usize; 8] = [0, 1, 1, 0, 0, 0, 1, 1];

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let mut schedules = Vec::new();
    every_schedule([STEPS; 2], &mut Vec::new(), &mut schedules);
    println!("t1 的 4 步和 t2 的 4 步，共 {} 种调度", schedules.len());

    let mut outcomes = BTreeMap::<i64, usize>::new();
    for schedule in &schedules {
        *outcomes.entry(run(schedule, |_| {})).or_default() += 1;
    }
    for (balance, count) in &outcomes {
        println!("最终 balance {balance:>2}：{count:>2} 种调度");
    }
    assert_eq!(outcomes.values().sum::<usize>(), schedules.len());

    assert!(schedules.iter().any(|schedule| schedule == &TUTORIAL));
    println!("教程里的调度，是结果为 -8 的 {} 种之一：", outcomes[&-8]);
    println!("初始值 balance = 0");
    let balance = run(&TUTORIAL, |step| println!("{step}"));
    println!("结果 balance = {balance}");
    assert_eq!(balance, -8);
    Ok(())
}

/// Appends to `schedules` every sequence of thread indexes that gives thread `t` `left[t]`
/// more steps after `prefix`.
fn every_schedule(left: [usize; 2], prefix: &mut Vec<usize>, schedules: &mut Vec<Vec<usize>>) {
    if left == [0, 0] {
        schedules.push(prefix.clone());
    }
    for thread in 0..2 {
        if left[thread] > 0 {
            let mut rest = left;
            rest[thread] -= 1;
            prefix.push(thread);
            every_schedule(rest, prefix, schedules);
            prefix.pop();
        }
    }
}

/// Runs one schedule from `balance = 0`: one shared `balance`, and each thread's own `x`, the
/// register that holds a value between its load and its store. Returns the final balance;
/// `show` gets each step written out as the tutorial writes it.
fn run(schedule: &[usize], mut show: impl FnMut(String)) -> i64 {
    let mut balance = 0;
    let mut x = [0_i64; 2];
    let mut done = [0; 2];
    for &thread in schedule {
        let ((name, n), i) = (THREADS[thread], thread + 1);
        let step = match done[thread] {
            0 | 2 => {
                let (sign, delta) = if done[thread] == 0 {
                    ("+", n)
                } else {
                    ("-", -n)
                };
                x[thread] = balance + delta;
                format!(
                    "{name}: x{i} = balance {sign} {n}  # x{i} = {balance} {sign} {n} = {}",
                    x[thread]
                )
            }
            _ => {
                balance = x[thread];
                format!("{name}: balance = x{i}      # balance = {balance}")
            }
        };
        done[thread] += 1;
        show(step);
    }
    balance
}
