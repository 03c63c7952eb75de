//! A generator is a paused frame made a value: `gen_fn` by hand, as an `Iterator`, then a `Future`.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 关于协程 (`gen_fn`, `next(gen)`,
//! `gi_frame.f_lasti`, and "the call stack gets transformed into a heap object").
//! Python API: `yield`, `next()`, `StopIteration`; `async def`, which began as sugar over them.
//!
//! Run: `cargo run -p examples-async --bin generator_coroutine`
//!
//! What to watch for: nothing reorders, as `main` makes every call. `GenFn` has a variant per place
//! `gen_fn` can be parked (`f_lasti`; `Start` is `-1`). `next()` gives `start`, `Some(1)`,
//! `middle`, `Some(2)`, `done`, then `None` for `StopIteration`. Polled, the frame and the `async`
//! block (the compiler's version) print the same, `Pending` at each `yield`, then `Ready(())`.
//!
//! Rust differences: stable Rust has no `yield` in ordinary functions, so `GenFn` is written by
//! hand. A Python frame always lives on the heap; a Rust one, a few bytes (the last line), lives
//! wherever it is put: `Box::pin` moves it to the heap, as `tokio::spawn` does.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

fn main() -> anyhow::Result<()> {
    shared::example::start();

    println!("-- gen_fn 作为 Iterator，由 next() 驱动 --");
    let mut generator = GenFn::Start;
    for _ in 0..3 {
        println!("{generator:?}: next()");
        println!("{:?}", generator.next());
    }
    println!("{generator:?}：None 就是 Python 的 StopIteration");

    println!("-- gen_fn 作为 Future，由 poll() 驱动 --");
    poll_by_hand(Box::pin(Coroutine(GenFn::Start)));

    println!("-- 同样的步骤，写成 async 块 --");
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

    println!("暂停的帧：GenFn {} B，async 块 {} B", sizes.0, sizes.1);
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
