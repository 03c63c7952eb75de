//! Harness fixture, not an example: drives `multiprocessing` down its failure paths, one scenario
//! per run (`fixture_pool <scenario>`), and prints what the parent saw.

use std::time::Duration;

use multiprocessing::{Pool, Task, Workers, run_if_child};
use nix::sys::signal::{self, Signal};

const SQUARE: Task<u64, u64> = Task::new("square", |n| Ok(n * n));
const FAIL: Task<u64, u64> = Task::new("fail", |n| anyhow::bail!("{n} is not welcome"));
const PANIC: Task<u64, u64> = Task::new("panic", |n| panic!("no square for {n}"));
const DIE: Task<(), ()> = Task::new("die", die);
const SLEEP: Task<u64, ()> = Task::new("sleep", |seconds| {
    std::thread::sleep(Duration::from_secs(seconds));
    Ok(())
});
const SLOW_SQUARE: Task<u64, u64> = Task::new("slow_square", |n| {
    std::thread::sleep(Duration::from_millis(300));
    Ok(n * n)
});
const LINGER: Task<(), ()> = Task::new("linger", linger);
/// 0 sleeps a minute (until the pool is terminated); any other number comes back at once.
const ZERO_NAPS: Task<u64, u64> = Task::new("zero_naps", |n| {
    if n == 0 {
        std::thread::sleep(Duration::from_secs(60));
    }
    Ok(n)
});
const ODD_FAILS: Task<u64, u64> = Task::new("odd_fails", |n| {
    anyhow::ensure!(n % 2 == 0, "{n} is odd");
    Ok(n)
});
const MULTIPLY: Task<(u64, u64), u64> = Task::new("multiply", |(a, b)| Ok(a * b));
const WHO: Task<(), (String, u32)> = Task::new("who", |()| {
    let me = multiprocessing::current_process();
    Ok((me.name, me.pid))
});
const WORKERS: Workers = Workers::new(
    "pool_worker",
    &[
        &SQUARE,
        &FAIL,
        &PANIC,
        &DIE,
        &SLEEP,
        &SLOW_SQUARE,
        &LINGER,
        &ZERO_NAPS,
        &ODD_FAILS,
        &MULTIPLY,
        &WHO,
    ],
);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    let scenario = std::env::args().nth(1).unwrap_or_default();
    match scenario.as_str() {
        "worker-killed" => {
            let mut pool = Pool::new(&WORKERS, 2)?;
            report("get", pool.apply_async(&DIE, ())?.get());
            report("apply after", pool.apply(&SQUARE, 7));
            report("map after", pool.map(&SQUARE, 0..5));
            pool.close();
            report("join", pool.join());
        }
        "task-panics" => {
            let mut pool = Pool::new(&WORKERS, 1)?;
            report("get", pool.apply(&PANIC, 3));
            report("error", pool.apply(&FAIL, 3));
            report("map", pool.map(&PANIC, 0..4));
            report("apply after", pool.apply(&SQUARE, 7));
            pool.close();
            report("join", pool.join());
        }
        "terminate" => {
            let mut pool = Pool::new(&WORKERS, 2)?;
            let sleeping: Vec<_> = (0..4)
                .map(|_| pool.apply_async(&SLEEP, 60))
                .collect::<anyhow::Result<_>>()?;
            pool.terminate();
            for (index, result) in sleeping.into_iter().enumerate() {
                report(&format!("sleep {index}"), result.get());
            }
            report("apply after", pool.apply(&SQUARE, 7));
            report("join", pool.join());
        }
        "join-before-close" => {
            let mut pool = Pool::new(&WORKERS, 1)?;
            report("join", pool.join());
            pool.close();
            report("apply after close", pool.apply(&SQUARE, 7));
            report("join after close", pool.join());
        }
        "drop-running" => {
            let pool = Pool::new(&WORKERS, 2)?;
            let _sleeping = pool.apply_async(&SLEEP, 60)?;
            drop(pool);
            println!("dropped");
        }
        "error-callback" => {
            let mut pool = Pool::new(&WORKERS, 2)?;
            let result = pool.apply_async_with_callbacks(
                &DIE,
                (),
                |()| println!("callback: the task succeeded"),
                |error| println!("error callback: {error:#}"),
            )?;
            result.wait();
            pool.close();
            report("join", pool.join());
        }
        "callback-panics" => {
            let mut pool = Pool::new(&WORKERS, 1)?;
            let first = pool.apply_async_with_callback(&SQUARE, 3, |_| {
                panic!("a callback that fails on purpose")
            })?;
            let second = pool.apply_async(&SQUARE, 4)?;
            report("first", first.get());
            report("second", second.get());
            pool.close();
            report("join", pool.join());
        }
        "slow-exit" => {
            // One worker's channels close while its process lives on: the others' results must
            // not wait for it to be reaped.
            let mut pool = Pool::new(&WORKERS, 2)?;
            let lingering = pool.apply_async(&LINGER, ())?;
            let squared = pool.apply_async(&SLOW_SQUARE, 7)?;
            report("slow_square", squared.get());
            report("linger", lingering.get());
            pool.close();
            report("join", pool.join());
        }
        "all-workers-dead" => {
            let mut pool = Pool::new(&WORKERS, 1)?;
            let dying = pool.apply_async(&DIE, ())?;
            let waiting = pool.apply_async(&SQUARE, 7)?;
            report("die", dying.get());
            report("square", waiting.get());
            pool.close();
            report("join", pool.join());
        }
        "imap" => {
            let pool = Pool::new(&WORKERS, 3)?;
            let in_order: Vec<String> = pool
                .imap(&ODD_FAILS, 0..5, 2)?
                .map(|result| match result {
                    Ok(value) => value.to_string(),
                    Err(error) => format!("error ({error:#})"),
                })
                .collect();
            println!("imap, chunks of 2: {}", in_order.join(", "));
            // The two quick results come while 0 still sleeps: as they complete, not at the end.
            let mut unordered = pool.imap_unordered(&ZERO_NAPS, [0, 1, 2], 1)?;
            let mut quick = [unordered.next(), unordered.next()].map(|r| r.map(|r| r.unwrap()));
            quick.sort();
            println!("imap_unordered, the first two: {quick:?}");
            pool.terminate();
            report(
                "imap_unordered, the sleeper",
                unordered.next().expect("a third result"),
            );
            println!("then: {:?}", unordered.next().map(|r| r.is_ok()));
            let mut pool = Pool::new(&WORKERS, 2)?;
            report("starmap", pool.starmap(&MULTIPLY, [(2, 3), (4, 5)]));
            let me = multiprocessing::current_process();
            println!("parent: {} {}", me.name, me.pid == std::process::id());
            let (name, pid) = pool.apply(&WHO, ())?;
            println!(
                "worker: {} {}",
                name.trim_end_matches(char::is_numeric),
                pool.pids().contains(&pid)
            );
            pool.close();
            report("join", pool.join());
        }
        other => shared::cli::exit_usage(&format!("unknown scenario {other:?}")),
    }
    println!("children left: {}", tests::children_of(std::process::id()));
    Ok(())
}

fn report<T: std::fmt::Debug>(what: &str, outcome: anyhow::Result<T>) {
    match outcome {
        Ok(value) => println!("{what}: {value:?}"),
        Err(error) => println!("{what} failed: {error:#}"),
    }
}

/// A worker killed in the middle of a task.
fn die((): ()) -> anyhow::Result<()> {
    signal::raise(Signal::SIGKILL)?;
    Ok(())
}

/// A worker whose channels close while its process lives on, as a worker slow to exit: `exec`
/// closes every descriptor marked close-on-exec (all of ipc-channel's) and keeps the pid.
fn linger((): ()) -> anyhow::Result<()> {
    use std::os::unix::process::CommandExt as _;
    Err(std::process::Command::new("sleep").arg("60").exec().into())
}
