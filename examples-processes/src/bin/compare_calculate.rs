//! The same CPU work three ways: one thread, two processes, two threads.
//!
//! Tutorial: 《什么是 GIL》 (004), section 简单的多进程，多线程效率对比 (`calculate(q)`: the sum of
//! `i ** 2` for `i` below ten million, done twice).
//! Python API: `Process` and `Thread` with a `Queue` for the results, `time.time()`.
//!
//! Run: `cargo run -p examples-processes --bin compare_calculate`
//!
//! What to watch for: all three print `666666566666670000000`. In CPython two processes take
//! about half of one thread's time, and two threads as long or longer, since the GIL lets one
//! thread at a time run Python code. In Rust the two threads use two cores, as the processes do;
//! the last line gives both times as a fraction of one thread's. Each process takes ~2 ms to start.
//!
//! Rust differences: the sum passes `u64::MAX`, so it is a `u128` (Python's ints just grow).
//! `black_box` stops the optimiser from replacing the loop by its closed form. Threads could
//! return their sums through `JoinHandle::join`; the channel only keeps the tutorial's shape.

use std::hint::black_box;
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};

const CALCULATE: Target<IpcSender<u128>> = Target::new("calculate", |q| Ok(q.send(calculate())?));

fn main() -> anyhow::Result<()> {
    run_if_child(&[&CALCULATE]);
    shared::example::start();

    let t1 = Instant::now();
    println!("normal: {}", calculate() + calculate());
    let normal = t1.elapsed().as_secs_f64();
    println!("normal time: {normal}");

    let t2 = Instant::now();
    let (q, results) = ipc::channel::<u128>()?;
    let p1 = Process::spawn(&CALCULATE, q.clone())?;
    let p2 = Process::spawn(&CALCULATE, q)?;
    p1.join()?;
    p2.join()?;
    println!("multi_process: {}", results.recv()? + results.recv()?);
    let processes = t2.elapsed().as_secs_f64();
    println!("multi_process time: {processes}");

    let t3 = Instant::now();
    let (q, results) = mpsc::channel::<u128>();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let q = q.clone();
            thread::spawn(move || q.send(calculate()))
        })
        .collect();
    for worker in workers {
        worker.join().expect("a calculating thread panicked")?;
    }
    println!("multi_thread: {}", results.recv()? + results.recv()?);
    let threads = t3.elapsed().as_secs_f64();
    println!("multi_thread time: {threads}");
    // The verdict comes from this run's times: on one core, or a busy one, threads gain nothing.
    let (threads, processes) = (threads / normal, processes / normal);
    let verdict = if threads < 0.75 {
        "没有 GIL，线程和进程一样用上了两个核"
    } else {
        "线程没有第二个核可用：单核，或机器太忙"
    };
    println!("两个线程用时是单线程的 {threads:.2} 倍，两个进程是 {processes:.2} 倍：{verdict}");
    Ok(())
}

fn calculate() -> u128 {
    // A `tracing` span marks the work on a timeline (EXAMPLES_TIMELINE=1), in whichever process.
    let _cpu = tracing::info_span!("cpu", work = "calculate").entered();
    let mut res: u128 = 0;
    for i in 0..10_000_000_u128 {
        res += black_box(i) * i;
    }
    res
}
