//! Python's `multiprocessing` for Rust: [`Process`], queues, [`pipe`], [`Manager`] and
//! [`Pool`], with typed arguments and nothing left running or on disk.
//!
//! A child is this same executable started again (Python's `spawn` start method, never
//! `fork`): [`run_if_child`], the first line of `main`, runs the [`Target`] the parent named
//! and exits. Arguments and results cross over [ipc-channel](ipc_channel), typed on both sides
//! by the `Target` or [`Task`] that names them; they may carry `IpcSender`s and `IpcReceiver`s,
//! which is how a queue, a [`Connection`] or a [`Manager`] proxy reaches a child.
//!
//! The overview example (`examples/overview.rs`, built by `cargo test`; run it with
//! `cargo run -p multiprocessing --example overview`):
//!
#![doc = concat!("```no_run\n", include_str!("../examples/overview.rs"), "```")]
//!
//! What it guarantees, and the tests behind each guarantee, are in the crate's README.

#![warn(missing_docs)]

mod manager;
#[doc(hidden)]
pub mod plumbing;
mod pool;
mod process;
mod queue;
mod report;

pub use manager::{DictProxy, ListProxy, Manager, QueueProxy};
pub use pool::{AnyTask, AsyncResult, IMap, Pool, Task, Workers, default_chunk_size};
pub use process::{
    AnyTarget, Connection, CurrentProcess, Process, Target, cpu_count, current_process, describe,
    explain, pipe, python_exitcode, run_if_child, scratch_dir,
};
pub use queue::Queue;
