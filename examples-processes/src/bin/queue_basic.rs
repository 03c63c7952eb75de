//! Three children each put one message on a queue; the parent reads them after joining all.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 多进程通讯共享数据 › 队列.
//! Python API: `multiprocessing.Queue()`, passed to each child in `args`; `put`, `get`.
//!
//! Run: `cargo run -p examples-processes --bin queue_basic`
//!
//! What to watch for: the three `开始put数据` lines, then `主进程获取Queue数据`, the three
//! messages and `结束测试`. The children run at the same time, so their lines, and the order
//! of the messages, can come out in any order (the tutorial shows 0, 1, 2).
//!
//! Rust differences: a Python `Queue` is one object; this one has two ends, an `IpcSender`
//! cloned for each child and the `IpcReceiver` the parent keeps. The parent joins before it
//! reads, as the tutorial does; that works only while the messages fit in the socket's buffer,
//! since a bigger send would block and the join would wait forever (Python's docs warn of it).

use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};

/// Each child gets its own clone of the queue's sending end, and its number.
const FUN1: Target<(IpcSender<String>, u32)> = Target::new("fun1", fun1);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&FUN1]);
    shared::example::start();

    let (queue, messages) = ipc::channel::<String>()?;
    let mut processes = Vec::new();
    for i in 0..3 {
        processes.push(Process::spawn(&FUN1, (queue.clone(), i))?);
    }
    for process in processes {
        process.join()?;
    }

    println!("主进程获取Queue数据");
    for _ in 0..3 {
        println!("{}", messages.recv()?);
    }
    println!("结束测试");
    Ok(())
}

fn fun1((queue, i): (IpcSender<String>, u32)) -> anyhow::Result<()> {
    println!("子进程{i} 开始put数据");
    queue.send(format!("我是{i} 通过Queue通信"))?;
    Ok(())
}
