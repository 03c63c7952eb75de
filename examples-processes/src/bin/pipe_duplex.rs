//! A duplex pipe: the child says hello to the parent, and the parent answers.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 多进程通讯共享数据 › 管道.
//! Python API: `multiprocessing.Pipe()` (two connected ends), `send`, `recv`, `close`.
//!
//! Run: `cargo run -p examples-processes --bin pipe_duplex`
//!
//! What to watch for: seven lines. The two processes print at the same time, so the order
//! between them varies, but not the order the pipe imposes: `你好主进程` always follows
//! `子进程发送消息：` (the parent cannot receive it before the child sends it), `你好子进程`
//! always follows `主进程发送消息：`, and `结束测试` is last (after `join`).
//!
//! Rust differences: Python's `Pipe()` is one OS pipe with two ends. ipc-channel's channels go
//! one way, so `multiprocessing::pipe` ties two of them into a `Connection` per end, with
//! `send` and `recv`; `recv` on an end whose peer is gone fails, as Python's raises `EOFError`.

use multiprocessing::{Connection, Process, Target, pipe, run_if_child};

const FUN1: Target<Connection<String>> = Target::new("fun1", fun1);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&FUN1]);
    shared::example::start();

    let (conn1, conn2) = pipe::<String, String>()?;
    let p = Process::spawn(&FUN1, conn2)?; // conn2 goes to the child
    println!("主进程接受消息：");
    println!("{}", conn1.recv()?);
    println!("主进程发送消息：");
    conn1.send("你好子进程".to_owned())?;
    p.join()?;
    println!("结束测试");
    Ok(())
}

fn fun1(conn: Connection<String>) -> anyhow::Result<()> {
    println!("子进程发送消息：");
    conn.send("你好主进程".to_owned())?;
    println!("子进程接受消息：");
    println!("{}", conn.recv()?);
    Ok(()) // `conn` is dropped here: Python's `conn.close()`
}
