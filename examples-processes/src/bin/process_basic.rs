//! Five child processes each run `fun1("Python")`; the parent waits for all of them.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section multiprocessing 模块
//! (`Process(target=fun1, args=('Python',))` started five times, then joined).
//! Python API: `multiprocessing.Process(target, args)`, `start()`, `join()`, `__main__` guard.
//!
//! Run: `cargo run -p examples-processes --bin process_basic`
//!
//! What to watch for: five `测试Python多进程`, then `结束测试`, always last because the parent
//! prints it only after every child has exited.
//!
//! Rust differences: a child is this same program started again and told which target to run.
//! `run_if_child`, first in `main`, is the `if __name__ == '__main__':` guard turned around: in
//! a child it runs the target and exits there. `Process::spawn` is `Process(...)` and `start()`
//! in one step. The tutorial joins its last `p` five times; here each child is joined, and
//! `join()?` fails if a child failed, where Python's `join()` leaves you to check `exitcode`.

use multiprocessing::{Process, Target, run_if_child};

/// What each child runs, under the name the parent starts it by. The argument type is part of
/// the target, so the parent cannot send what the child cannot read.
const FUN1: Target<String> = Target::new("fun1", fun1);

fn main() -> anyhow::Result<()> {
    // In a child: runs FUN1 and exits here. In the parent: returns at once.
    run_if_child(&[&FUN1]);
    shared::example::start();

    let mut processes = Vec::new();
    for _ in 0..5 {
        processes.push(Process::spawn(&FUN1, "Python".to_owned())?);
    }
    for process in processes {
        process.join()?; // also reaps the child: no zombie is left
    }
    println!("结束测试");
    Ok(())
}

fn fun1(name: String) -> anyhow::Result<()> {
    println!("测试{name}多进程");
    Ok(())
}
