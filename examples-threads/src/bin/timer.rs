//! A timer: run a function once, after a delay, on its own thread; or cancel it first.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 定时器（Timer类）
//! (`Timer(1, hello)`).
//! Python API: `threading.Timer(interval, function)`, `start()`, `cancel()`.
//!
//! Run: `cargo run -p examples-threads --bin timer`
//!
//! What to watch for: `hello, world` one second after the start, as in the tutorial. A second
//! timer, set for five seconds and cancelled at once, never runs its function; the program says
//! so after the greeting.
//!
//! Rust differences: the `Timer` below is a thread waiting on a channel with a timeout: timing
//! out means fire, a message means cancel. Unlike Python's fire-and-forget `cancel()`, this one
//! waits for the thread and reports whether it fired first. Dropping a `Timer` cancels it too (a
//! handle owns what it started); a Python `Timer` fires whether or not anyone keeps a reference.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// `threading.Timer`: calls `action` after `delay` unless cancelled first.
struct Timer {
    cancel: Sender<()>,
    /// Yields `true` if `action` ran.
    thread: JoinHandle<bool>,
}

impl Timer {
    fn start(delay: Duration, action: impl FnOnce() + Send + 'static) -> std::io::Result<Self> {
        let (cancel, cancelled) = mpsc::channel();
        let thread = thread::Builder::new().name("timer".into()).spawn(move || {
            match cancelled.recv_timeout(shared::pace::scaled(delay)) {
                Err(RecvTimeoutError::Timeout) => {
                    action();
                    true
                }
                // Cancelled, or the `Timer` was dropped: either way, do not fire.
                Ok(()) | Err(RecvTimeoutError::Disconnected) => false,
            }
        })?;
        Ok(Self { cancel, thread })
    }

    /// Waits for the timer; returns whether its action ran.
    fn join(self) -> bool {
        self.thread.join().expect("a timer action panicked")
    }

    /// Cancels the timer if it has not fired yet; returns whether it had fired.
    fn cancel(self) -> bool {
        // A send error only means the timer thread already finished, which `join` reports.
        let _ = self.cancel.send(());
        self.join()
    }
}

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let hello_timer = Timer::start(Duration::from_secs(1), hello)?;
    let doomed_timer = Timer::start(Duration::from_secs(5), never_printed)?;

    // Cancelled at once, reported after the tutorial's line, so that the tutorial's comes first.
    let fired_first = doomed_timer.cancel();
    assert!(hello_timer.join(), "the first timer is never cancelled");
    if fired_first {
        println!("第二个定时器没来得及取消就触发了");
    } else {
        println!("第二个定时器在触发前被取消了");
    }
    Ok(())
}

fn hello() {
    println!("hello, world");
}

fn never_printed() {
    println!("this line is never printed");
}
