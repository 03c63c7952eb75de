//! The flags and roles: no role runs everything on this machine; `worker` and `submit` share a
//! queue on Redis with other machines.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "The tutorial's pool tasks on a task queue (apalis)")]
pub struct Cli {
    #[command(subcommand)]
    pub role: Option<Role>,
    /// Use this Redis server as the queue instead of a SQLite file (`redis://host:port`,
    /// `redis://:password@host:port`, `rediss://…`).
    #[arg(long, global = true, value_parser = crate::redis_url::check)]
    pub redis: Option<String>,
    /// Also submit a task that returns an error and one that panics, every time.
    #[arg(long)]
    pub fail_tasks: bool,
}

#[derive(Subcommand)]
pub enum Role {
    /// Serve the queue's tasks until Ctrl-C (which finishes the task in hand first).
    Worker,
    /// Submit the tasks and print their results.
    Submit,
}
