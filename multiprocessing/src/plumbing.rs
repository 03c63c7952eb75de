//! What this workspace's `shared` crate needs from the library's insides, and nothing a
//! program using the library calls: hidden from the docs, not part of its API.
//!
//! - [`broken_pipe`]: a quiet end when the reader of stdout goes away, in every process;
//! - [`limits`]: the open-file and process limits, named in the errors they cause;
//! - [`trace`]: the timeline records every process of a run writes.

pub mod broken_pipe;
pub mod limits;
pub mod trace;

use std::any::Any;

/// The text of a panic's payload: what `panic!` was given, when it was text.
pub fn panic_text(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}
