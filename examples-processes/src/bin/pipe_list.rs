//! A child sends a mixed list through a pipe; the parent prints it.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 进程间通信 › Pipe()
//! (`conn.send([42, None, 'hello'])`).
//! Python API: `parent_conn, child_conn = Pipe()`, `send`, `recv`, `close`.
//!
//! Run: `cargo run -p examples-processes --bin pipe_list`
//!
//! What to watch for: `(42, None, "hello")`, the tutorial's `[42, None, 'hello']` in Rust
//! notation (see `queue_list` for why it is a tuple).
//!
//! Rust differences: each end of a `multiprocessing::pipe` has its own types: what it sends
//! and what it receives. This child only sends, so its end receives `()`, and the compiler
//! rejects a parent that tries to send it anything but `()`.

use multiprocessing::{Connection, Process, Target, pipe, run_if_child};

/// The tutorial's `[42, None, 'hello']`.
type Mixed = (i32, Option<i32>, String);

/// The child's end sends `Mixed` and receives nothing.
const F: Target<Connection<Mixed, ()>> = Target::new("f", f);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&F]);
    shared::example::start();

    let (parent_conn, child_conn) = pipe::<(), Mixed>()?;
    let p = Process::spawn(&F, child_conn)?;
    println!("{:?}", parent_conn.recv()?);
    p.join()?;
    Ok(())
}

fn f(conn: Connection<Mixed, ()>) -> anyhow::Result<()> {
    conn.send((42, None, "hello".to_owned()))?;
    Ok(()) // dropping `conn` closes it
}
