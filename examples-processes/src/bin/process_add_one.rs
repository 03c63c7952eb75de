//! The smallest child process: it adds one to its argument and prints the sum.
//!
//! Tutorial: 《什么是 GIL》 (004), section 多进程 › multiprocessing (`add_one(a)`).
//! Python API: `Process(target=add_one, args=(1,))`, `start()`, `join()`.
//!
//! Run: `cargo run -p examples-processes --bin process_add_one`
//!
//! What to watch for: one line, `2`, printed by the child; the parent prints nothing and only
//! waits for it. The next snippet of the section, `queue_add_one`, brings the sum back instead.
//!
//! Rust differences: `args=(1,)` is a one-element tuple in Python; a `Target<u64>` takes its one
//! argument as it is. `Process::spawn` is `Process(...)` and `start()` in one call.

use multiprocessing::{Process, Target, run_if_child};

const ADD_ONE: Target<u64> = Target::new("add_one", add_one);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&ADD_ONE]);
    shared::example::start();

    let p1 = Process::spawn(&ADD_ONE, 1)?;
    p1.join()?;
    Ok(())
}

fn add_one(a: u64) -> anyhow::Result<()> {
    println!("{}", a + 1);
    Ok(())
}
