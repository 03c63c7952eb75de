//! The examples' tests, one module per chapter or concern, in one test binary. Cargo runs test
//! binaries one after another, and the tests of one binary side by side: together, a test that
//! waits (a heartbeat, a grace period) leaves the cores to the others, and the examples are
//! built once, by the first test that runs one (`tests::binary`).
//!
//! The tests that need a program the Rust toolchain does not bring are in `../with_tools.rs`.

mod asyncio;
mod book;
mod copy_out;
mod coroutines;
mod distributed;
mod every_example;
mod gil;
mod pool;
mod processes;
mod reliability;
mod shared_cli;
mod spawn;
mod sync;
mod threads;
mod timelines;
mod transcripts;
