//! Python's `multiprocessing` for Rust: [`Process`], queues, [`pipe`], [`Manager`] and
//! [`Pool`], with typed arguments and nothing left running or on disk.
//!
//! A child is this same executable started again (Python's `spawn` start method, never
//! `fork`): [`run_if_child`], the first line of `main`, runs the [`Target`] the parent named
//! and exits. Arguments and results cross over [ipc-channel](ipc_channel), typed on both sides
//! by the `Target` or [`Task`] that names them; they may carry `IpcSender`s and `IpcReceiver`s,
//! which is how a queue, a [`Connection`] or a [`Manager`] proxy reaches a child.
//!
//! ```no_run
//! use multiprocessing::{Pool, Process, Target, Task, Workers, run_if_child};
//!
//! const GREET: Target<String> = Target::new("greet", |name| {
//!     println!("hello {name}");
//!     Ok(())
//! });
//! const SQUARE: Task<u64, u64> = Task::new("square", |n| Ok(n * n));
//! const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);
//!
//! fn main() -> anyhow::Result<()> {
//!     // In a child process: runs its target and exits. In the parent: returns at once.
//!     run_if_child(&[&GREET, &WORKERS]);
//!
//!     Process::spawn(&GREET, "bob".to_owned())?.join()?;
//!     let mut pool = Pool::new(&WORKERS, 4)?;
//!     assert_eq!(pool.map(&SQUARE, 0..5)?, [0, 1, 4, 9, 16]);
//!     pool.close();
//!     pool.join()
//! }
//! ```
//!
//! What it guarantees, and the tests behind each guarantee, are in the crate's README.

#![warn(missing_docs)]

pub mod broken_pipe;
pub mod limits;
mod manager;
mod pool;
mod process;
mod report;
pub mod trace;

pub use manager::{Dict, List, Manager, Queue};
pub use pool::{AnyTask, AsyncResult, Pool, Task, Workers, default_chunk_size};
pub use process::{
    AnyTarget, Connection, Process, Target, describe, explain, pipe, python_exitcode, run_if_child,
    scratch_dir,
};
