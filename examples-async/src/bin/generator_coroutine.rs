//! A generator is a function whose paused frame became a value: `gen_fn` by hand, as an
//! `Iterator`, then as a `Future`.
//!
//! Tutorial: `002_…txt`, section 关于协程 (`gen_fn` with two `yield`s driven by `next(gen)` until
//! `StopIteration`; `gi_frame.f_lasti`; "the call stack gets transformed into a heap object").
//! Python API: a generator function (`yield`), `next()`, `StopIteration`; `async def`, which
//! began as sugar over such generators.
//!
//! Run: `cargo run -p examples-async --bin generator_coroutine`
//!
//! What to watch for: nothing reorders, every step is a call made by `main`.
//! - `GenFn` is `gen_fn`'s frame: one variant per place it can be parked, the tutorial's
//!   `f_lasti` made explicit (`Start` is its `-1`). Each `next()` runs from there to the next
//!   `yield`: `start`, `Some(1)`, `middle`, `Some(2)`, `done`, then `None` where Python raises
//!   `StopIteration`.
//! - Driven as a `Future`, the same frame prints the same lines, but a suspension hands out no
//!   value: `poll` answers `Pending` ("not yet, I will wake you") and at the end `Ready(())`.
//!   The `async` block below it is the same state machine, written by the compiler; its
//!   `tokio::task::yield_now().await` is a bare `yield`.
//! - The last line: a whole paused frame is a few bytes, a plain value that can be moved or
//!   boxed. `Box::pin` puts it on the heap, as `tokio::spawn` does: the tutorial's heap object.
//!
//! Rust differences:
//! - Stable Rust has no `yield` in ordinary functions, so the generator is an `Iterator`
//!   written by hand; `async` blocks are the generators the compiler does write.
//! - Python's `next` raises `StopIteration`; `Iterator::next` returns `None`, `poll` `Ready`.
//! - Every Python frame lives on the heap. A Rust state machine lives wherever you put it,
//!   and its size is known at compile time.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

fn main() -> anyhow::Result<()> {
    shared::cli::no_args();

    println!("-- gen_fn as an Iterator, driven by next() --");
    let mut generator = GenFn::Start;
    for _ in 0..3 {
        println!("{generator:?}: next()");
        println!("{:?}", generator.next());
    }
    println!("{generator:?}: None is Python's StopIteration");

    println!("-- gen_fn as a Future, driven by poll() --");
    poll_by_hand(Box::pin(Coroutine(GenFn::Start)));

    println!("-- the same steps as an async block --");
    let compiled = async {
        println!("start");
        tokio::task::yield_now().await;
        println!("middle");
        tokio::task::yield_now().await;
        println!("done");
    };
    let sizes = (size_of::<GenFn>(), size_of_val(&compiled));
    // `Box::pin` moves the paused frame onto the heap, as `tokio::spawn` does.
    poll_by_hand(Box::pin(compiled));

    println!(
        "paused frames: GenFn {} B, async block {} B",
        sizes.0, sizes.1
    );
    Ok(())
}

/// gen_fn's frame: where it is parked. It has no locals; a variable that lived across a
/// `yield` would be a field of the variant that follows that `yield`.
#[derive(Debug)]
enum GenFn {
    Start,
    AfterYield1,
    AfterYield2,
    Finished,
}

impl Iterator for GenFn {
    type Item = i32;

    /// Runs from the current resume point to the next `yield` (or to the end).
    fn next(&mut self) -> Option<i32> {
        match self {
            Self::Start => {
                println!("start");
                *self = Self::AfterYield1;
                Some(1)
            }
            Self::AfterYield1 => {
                println!("middle");
                *self = Self::AfterYield2;
                Some(2)
            }
            Self::AfterYield2 => {
                println!("done");
                *self = Self::Finished;
                None
            }
            Self::Finished => None,
        }
    }
}

/// A generator-based coroutine, as in Python 3.4: every `yield` is a suspension point.
struct Coroutine(GenFn);

impl Future for Coroutine {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.0.next() {
            // `Pending` promises a wake-up. Nothing outside is awaited here, so ask at once to be
            // polled again, as `tokio::task::yield_now` does.
            Some(_) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            None => Poll::Ready(()),
        }
    }
}

/// The smallest event loop: poll until `Ready`. A no-op waker is enough, since nothing else
/// could run in between anyway.
fn poll_by_hand(mut future: Pin<Box<dyn Future<Output = ()>>>) {
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        let poll = future.as_mut().poll(&mut cx);
        println!("{poll:?}");
        if poll.is_ready() {
            break;
        }
    }
}
