//! The rest of the `Process` API, one child per case: `is_alive`, `exitcode` after a clean
//! exit, a panic, `terminate()` and `kill()`, and a `join` timeout that runs out first.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 多进程, and
//! 《第16章 协程-补充内容》 (000) › multiprocessing 模块, taken further.
//! Python API: `is_alive()`, `exitcode`, `terminate()`, `kill()`, `join(timeout)`.
//!
//! Run: `cargo run -p examples-processes --bin process_lifecycle`
//!
//! What to watch for:
//! - `exitcode` is `None` while a child runs, then its exit code, or minus the signal that
//!   ended it (`-15` after `terminate()`, `-9` after `kill()`), as in Python.
//! - A panic exits with code 101 (an uncaught Python exception: 1); its message goes to stderr.
//! - After `join_timeout` runs out the child is still alive: it only stops waiting.
//!
//! Rust differences: std's `ExitStatus`, printed beside `exitcode`, keeps exit codes and
//! signals apart (`code()`, `signal()`); `Process::exitcode` folds both into Python's integer.

use std::time::Duration;

use multiprocessing::{Process, Target, run_if_child};

/// Sleeps this many (paced) seconds, then exits with code 0.
const NAP: Target<f64> = Target::new("nap", nap);
/// Panics at once.
const PANIC: Target<()> = Target::new("panic", panic);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&NAP, &PANIC]);
    shared::example::start();

    println!("-- 正常返回的子进程");
    let mut child = Process::spawn(&NAP, 1.0)?;
    println!("is_alive: {}", child.is_alive()?);
    println!("exitcode: {:?}", child.exitcode()?);
    child.wait()?; // `join()` that keeps the handle, to ask it questions afterwards
    report(&mut child)?;

    println!("-- 会 panic 的子进程");
    let mut child = Process::spawn(&PANIC, ())?;
    child.wait()?;
    report(&mut child)?;

    println!("-- terminate()：SIGTERM，进程可以捕获");
    let mut child = Process::spawn(&NAP, 60.0)?;
    child.terminate()?;
    child.wait()?;
    report(&mut child)?;

    println!("-- kill()：SIGKILL，任何进程都无法捕获");
    let mut child = Process::spawn(&NAP, 60.0)?;
    child.kill()?;
    child.wait()?;
    report(&mut child)?;

    println!("-- join(timeout) 比子进程睡的时间短");
    let mut child = Process::spawn(&NAP, 1.0)?;
    let joined = child.join_timeout(shared::pace::scaled(Duration::from_millis(500)))?;
    println!("超时前 join 成功：{}", joined.is_some());
    println!("is_alive: {}", child.is_alive()?);
    child.wait()?;
    report(&mut child)?;
    Ok(())
}

/// What a finished child's handle says: Python's view, then Rust's.
fn report(child: &mut Process) -> anyhow::Result<()> {
    println!("is_alive: {}", child.is_alive()?);
    println!("exitcode: {:?}", child.exitcode()?);
    if let Some(status) = child.exit_status()? {
        println!("ExitStatus: {status}");
    }
    Ok(())
}

fn nap(seconds: f64) -> anyhow::Result<()> {
    shared::pace::sleep_secs(seconds);
    Ok(())
}

fn panic((): ()) -> anyhow::Result<()> {
    // This panic is the lesson, not a bug to hunt: print where and why, but no backtrace even
    // when RUST_BACKTRACE is set (std's own hook would print one).
    std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
    panic!("子进程故意 panic");
}
