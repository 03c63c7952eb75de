//! The same five processes, written as a type with a `run` method: the Rust shape of
//! subclassing `Process`.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section multiprocessing 模块 › 类继承方式
//! (`class MyProcess(Process)`).
//! Python API: a `Process` subclass overriding `run()`, with the inherited `start()` and `join()`.
//!
//! Run: `cargo run -p examples-processes --bin process_subclass`
//!
//! What to watch for: the output of `process_basic`: five `测试Python多进程`, then `结束测试`.
//!
//! Rust differences (Rust has no inheritance, so the subclass's two halves are written apart):
//! - Its state (`self.name`) is a plain struct that can be serialised: the child's argument.
//! - Its `run` is an ordinary method, registered as the target; our one-line `start` spawns it.
//! - In Python, `self.name = name` also renames the process (`name` is a `Process` attribute);
//!   composition keeps the two names apart.

use multiprocessing::{Process, Target, run_if_child};
use serde::{Deserialize, Serialize};

/// The child runs `MyProcess::run` on the struct the parent sent.
const MY_PROCESS: Target<MyProcess> = Target::new("MyProcess::run", MyProcess::run);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&MY_PROCESS]);
    shared::example::start();

    let mut processes = Vec::new();
    for _ in 0..5 {
        processes.push(MyProcess::new("Python").start()?);
    }
    for process in processes {
        process.join()?;
    }
    println!("结束测试");
    Ok(())
}

#[derive(Serialize, Deserialize)]
struct MyProcess {
    name: String,
}

impl MyProcess {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
        }
    }

    /// Python's inherited `start()`: sends this value to a new process, which calls `run`.
    fn start(self) -> anyhow::Result<Process> {
        Process::spawn(&MY_PROCESS, self)
    }

    /// Python's overridden `run()`: what the child process does.
    fn run(self) -> anyhow::Result<()> {
        println!("测试{}多进程", self.name);
        Ok(())
    }
}
