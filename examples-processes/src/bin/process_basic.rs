//! Five child processes each run `fun1('Python')`; the parent waits for all of them.
//!
//! Tutorial: `000_…txt`, section multiprocessing 模块 (`Process(target=fun1, args=('Python',))`
//! started five times, then joined).
//! Python API: `multiprocessing.Process(target, args)`, `start()`, `join()`, and the
//! `if __name__ == '__main__':` guard.
//!
//! Run: `cargo run -p examples-processes --bin process_basic`
//!
//! What to watch for: five `测试Python多进程`, then `结束测试`, always last because the parent
//! prints it only after every child has exited.
//!
//! Rust differences: there is no `multiprocessing`. This is what Python's `spawn` start method
//! does underneath, written out: the parent runs its own executable again, with an environment
//! variable saying which function the child is for. The first lines of `main` are the twin of
//! `if __name__ == '__main__':`: a child runs its function and returns before the parent's code.
//! The examples that pass data between processes use the same idea through `shared`, which adds
//! channels (ipc-channel), typed arguments and clean-up guards.

use std::process::{Command, Stdio};

/// Names the function a re-executed child must run.
const CHILD_ROLE: &str = "EXAMPLES_CHILD_ROLE";

fn main() -> anyhow::Result<()> {
    // Child side: run the target with its argument, then leave.
    if std::env::var_os(CHILD_ROLE).is_some_and(|role| role == "fun1") {
        let name = std::env::args().nth(1).unwrap_or_default();
        fun1(&name);
        return Ok(());
    }

    shared::cli::no_args();
    let exe = std::env::current_exe()?;
    let mut processes = Vec::new();
    for _ in 0..5 {
        // `Process(target=fun1, args=('Python',)).start()`
        let child = Command::new(&exe)
            .env(CHILD_ROLE, "fun1")
            .arg("Python")
            .stdin(Stdio::null())
            .spawn()?;
        processes.push(child);
    }

    for mut process in processes {
        let pid = process.id();
        let status = process.wait()?; // `join()`: also reaps the child, so no zombie is left
        anyhow::ensure!(status.success(), "child {pid} ended with {status}");
    }
    println!("结束测试");
    Ok(())
}

fn fun1(name: &str) {
    println!("测试{name}多进程");
}
