//! Plumbing shared by the examples, and nothing else.
//!
//! Every concurrency primitive a tutorial section teaches is written out in the example file
//! itself. This crate holds only what would distract from it:
//!
//! - [`pace`]: the tutorial's `time.sleep` calls, scaled by `EXAMPLES_TIME_SCALE` so the test
//!   suite can run the examples in a fraction of real time;
//! - [`cli`]: flag parsing whose bad input ends in one line on stderr and exit code 2;
//! - [`broken_pipe`]: a quiet end, at once, when the reader of the output goes away;
//! - [`limits`]: which resource limit an error hit, and the open-file limit checked up front;
//! - [`color`]: the tutorial's ANSI colour codes, applied only on a terminal;
//! - [`process`]: starting a function of this program in a child process, with channels to it
//!   and nothing left running afterwards (Python's `multiprocessing.Process` and `Pipe`);
//! - [`pool`]: a pool of worker processes (Python's `multiprocessing.Pool`);
//! - [`manager`]: dicts, lists and queues shared by processes (Python's `Manager`);
//! - [`http`] (feature `http`): a loopback HTTP server with a paced delay, standing in for the
//!   tutorial's web sites.
//!
//! A reader who deletes a call into this crate loses plumbing, never the lesson.

pub mod broken_pipe;
pub mod cli;
pub mod color;
#[cfg(feature = "http")]
pub mod http;
pub mod limits;
pub mod manager;
pub mod pace;
pub mod pool;
pub mod process;
