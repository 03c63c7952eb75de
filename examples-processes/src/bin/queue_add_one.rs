//! Two children compute `a + 1` and return it through a queue; the parent adds the results.
//!
//! Tutorial: 《什么是 GIL》 (004), section 多进程 › 进程中函数的输出 (`add_one(q, a)` with
//! `q.put`).
//! Python API: `Process(target, args)`, `Queue`, `put`, `get`.
//!
//! Run: `cargo run -p examples-processes --bin queue_add_one`
//!
//! What to watch for: `13`, that is (1 + 1) + (10 + 1). The two results may arrive in either
//! order; a sum does not care.
//!
//! Rust differences: a child process cannot hand back a return value the way a thread's
//! `join()` does: processes share no memory, so results travel as messages, exactly as in
//! Python. The example checks its own answer.

use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};

const ADD_ONE: Target<(IpcSender<i64>, i64)> = Target::new("add_one", add_one);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&ADD_ONE]);
    shared::example::start();

    let (queue, results) = ipc::channel::<i64>()?;
    let p1 = Process::spawn(&ADD_ONE, (queue.clone(), 1))?;
    let p2 = Process::spawn(&ADD_ONE, (queue, 10))?;
    p1.join()?;
    p2.join()?;

    let a = results.recv()?;
    let b = results.recv()?;
    assert_eq!(a + b, 13);
    println!("{}", a + b);
    Ok(())
}

fn add_one((queue, a): (IpcSender<i64>, i64)) -> anyhow::Result<()> {
    queue.send(a + 1)?;
    Ok(())
}
