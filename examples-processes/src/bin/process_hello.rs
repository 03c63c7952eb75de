//! One child process sleeps two seconds and says hello; the parent waits for it.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 多进程 (the second snippet:
//! `f('bob')` in a `Process`).
//! Python API: `Process(target=f, args=('bob',))`, `start()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin process_hello`
//!
//! What to watch for: `hello bob` after two seconds, and nothing after it: the parent has
//! nothing to print, it only waits (`join`) so that it does not end before its child.
//!
//! Rust differences: Python's `print('hello', name)` puts a space between its arguments; the
//! format string writes that space out.

use multiprocessing::{Process, Target, run_if_child};

const F: Target<String> = Target::new("f", f);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&F]);
    shared::example::start();

    let p = Process::spawn(&F, "bob".to_owned())?;
    p.join()?;
    Ok(())
}

fn f(name: String) -> anyhow::Result<()> {
    shared::pace::sleep_secs(2.0);
    println!("hello {name}");
    Ok(())
}
