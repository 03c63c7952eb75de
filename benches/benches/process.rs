//! What `multiprocessing`'s processes cost, in release: `cargo bench -p benches --bench process`.
//!
//! - `spawn_join`: start a child (re-exec + ipc-channel handshake + arguments), let it return,
//!   join and reap it. Python: `Process(target=f).start(); p.join()`.
//! - `queue_small_messages`: one child sends `u64`s on an `ipc::channel`; the parent receives
//!   them. Reported per message. Python: `q.put(i)` in a child, `q.get()` in the parent.
//! - `pipe_round_trip`: the parent sends a `u64` through a `Connection`, a child echoes it.
//!   Python: `conn.send(i); conn.recv()` against a child looping on `recv`/`send`.
//!
//! `process.py` beside this file measures the same three things in CPython on the same machine.
//! The medians are in `target/criterion/<name>/new/estimates.json`.
//!
//! A round trip is mostly the time it takes to wake the other process. When the two processes
//! sit on different cores of a virtual machine, waking one costs tens of microseconds (two
//! threads of one process passing a number back and forth through `std::sync::mpsc` pay the
//! same), so also run both benchmarks pinned to one core, `taskset -c 0 cargo bench …`, to see
//! what the mechanism itself costs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use multiprocessing::{Connection, Process, Target, pipe, run_if_child};

const NOOP: Target<()> = Target::new("noop", |()| Ok(()));
const PRODUCER: Target<(IpcReceiver<u64>, IpcSender<u64>)> = Target::new("producer", producer);
const ECHO: Target<Connection<u64>> = Target::new("echo", echo);

fn main() {
    // A bench binary is a program like any other: its children start here too.
    run_if_child(&[&NOOP, &PRODUCER, &ECHO]);
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    spawn_join(&mut criterion);
    queue_small_messages(&mut criterion);
    pipe_round_trip(&mut criterion);
    criterion.final_summary();
}

fn spawn_join(criterion: &mut Criterion) {
    criterion.bench_function("spawn_join", |bench| {
        bench.iter(|| {
            let child = Process::spawn(&NOOP, ()).expect("spawn");
            child.join().expect("join");
        });
    });
}

fn queue_small_messages(criterion: &mut Criterion) {
    let (requests, requests_in_child) = ipc::channel::<u64>().expect("channel");
    let (queue, messages) = ipc::channel::<u64>().expect("channel");
    let child = Process::spawn(&PRODUCER, (requests_in_child, queue)).expect("spawn");
    let mut group = criterion.benchmark_group("queue_small_messages");
    group.throughput(Throughput::Elements(1));
    group.bench_function("recv", |bench| {
        bench.iter_custom(|count| {
            let start = Instant::now();
            requests.send(count).expect("request");
            for _ in 0..count {
                black_box(messages.recv().expect("message"));
            }
            start.elapsed()
        });
    });
    group.finish();
    drop(requests); // the producer's `recv` fails, and it returns
    child.join().expect("join");
}

fn pipe_round_trip(criterion: &mut Criterion) {
    let (parent, child_end) = pipe::<u64, u64>().expect("pipe");
    let child = Process::spawn(&ECHO, child_end).expect("spawn");
    criterion.bench_function("pipe_round_trip", |bench| {
        let mut next = 0_u64;
        bench.iter(|| {
            next += 1;
            parent.send(next).expect("send");
            assert_eq!(parent.recv().expect("recv"), next);
        });
    });
    drop(parent);
    child.join().expect("join");
}

/// Sends as many messages as each request asks for, until the parent hangs up.
fn producer((requests, queue): (IpcReceiver<u64>, IpcSender<u64>)) -> anyhow::Result<()> {
    while let Ok(count) = requests.recv() {
        for message in 0..count {
            queue.send(message)?;
        }
    }
    Ok(())
}

/// Sends back every number it receives, until the parent hangs up.
fn echo(conn: Connection<u64>) -> anyhow::Result<()> {
    while let Ok(number) = conn.recv() {
        conn.send(number)?;
    }
    Ok(())
}
