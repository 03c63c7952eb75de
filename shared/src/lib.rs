//! Plumbing shared by the examples, and nothing else.
//!
//! Every concurrency primitive a tutorial section teaches is written out in the example file
//! itself, and the process examples' `multiprocessing` is a library of its own. This crate
//! holds only what would distract from either:
//!
//! - [`pace`]: the tutorial's `time.sleep` calls, scaled by `EXAMPLES_TIME_SCALE` so the test
//!   suite can run the examples in a fraction of real time;
//! - [`example`]: the start every example shares ([`example::start`], or
//!   [`example::start_with`] for flags): bad input ends in one line on stderr and exit code 2,
//!   the open-file limit is checked, the output's reader going away ends the example quietly;
//! - [`cli`]: that one line on stderr, and the exit code;
//! - [`cargo`]: cargo, run from a program cargo started (the tests, the exercises' runner);
//! - [`limits`]: the open-file limit the examples need, checked before they start;
//! - [`color`]: the tutorial's ANSI colour codes, applied only on a terminal;
//! - [`timeline`]: `EXAMPLES_TIMELINE`, a chart or a trace of when every thread, process and
//!   task of a run was busy; [`trace`] reads such a trace back, for the tests and the
//!   exercises' grader;
//! - [`http`] (feature `http`): a loopback HTTP server with a paced delay, standing in for the
//!   tutorial's web sites.
//!
//! A reader who deletes a call into this crate loses plumbing, never the lesson.

pub mod cargo;
pub mod cli;
pub mod color;
pub mod example;
#[cfg(feature = "http")]
pub mod http;
pub mod limits;
pub mod pace;
pub mod timeline;
pub mod trace;
