//! A child puts a mixed list on a queue; the parent prints it.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 进程间通信 › Queue()
//! (`q.put([42, None, 'hello'])`).
//! Python API: `multiprocessing.Queue()`, `put`, `get`.
//!
//! Run: `cargo run -p examples-processes --bin queue_list`
//!
//! What to watch for: `(42, None, "hello")`, the same data as the tutorial's
//! `[42, None, 'hello']`, in Rust notation.
//!
//! Rust differences:
//! - A Python list can mix an int, `None` and a str. A Rust value has one type, so the
//!   closest data is a tuple `(i32, Option<i32>, String)`: its `None` is "no number".
//! - The parent reads before it joins, as the tutorial does. The child holds the only sender,
//!   so were it to die without sending, `recv` would fail at once instead of waiting forever.

use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};

/// The tutorial's `[42, None, 'hello']`.
type Mixed = (i32, Option<i32>, String);

const F: Target<IpcSender<Mixed>> = Target::new("f", f);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&F]);
    shared::example::start();

    let (queue, received) = ipc::channel::<Mixed>()?;
    let p = Process::spawn(&F, queue)?;
    println!("{:?}", received.recv()?);
    p.join()?;
    Ok(())
}

fn f(queue: IpcSender<Mixed>) -> anyhow::Result<()> {
    queue.send((42, None, "hello".to_owned()))?;
    Ok(())
}
