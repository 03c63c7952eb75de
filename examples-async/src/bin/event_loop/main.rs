//! An event loop in miniature: a run queue, wakers and a timer thread run three sleeping tasks.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 关于协程 (the event-loop links:
//! select/epoll/kqueue, uvloop).
//! Python API: `asyncio` event loop, `loop.call_later` timers, `asyncio.sleep`.
//!
//! Run: `cargo run -p examples-async --bin event_loop`
//!
//! What to watch for: `a` sleeps 3 s, `b` 1 s then 3 s, `c` 2 s, all on one thread. Each is polled
//! once, says what it awaits and returns `Pending`; then nothing runs until the timer thread calls
//! a waker (`唤醒 b`), which puts the task back on the run queue to be polled again. Wakes come in
//! deadline order (b, c, a, b) unless the machine stalls, each before its poll; 4 s, not 9 s.
//!
//! Rust differences: tokio does the same at scale, with a run queue per worker thread (and work
//! stealing) and a timer wheel whose driver sleeps in `epoll_wait`/`kevent` until the next
//! deadline, so it hears I/O too. A future that returns `Pending` without handing its waker to
//! someone who will call it hangs the loop forever: that is the contract of `poll`.

mod timer;

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Wake, Waker};
use std::thread;
use std::time::Instant;

use timer::{Timer, run_timer, sleep};

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let (timer, timers) = mpsc::channel();
    let timer_thread = thread::Builder::new()
        .name("timer".into())
        .spawn(move || run_timer(&timers))?;
    let (run_queue, ready) = mpsc::channel();
    let start = Instant::now();
    let tasks = [("a", &[3.0][..]), ("b", &[1.0, 3.0]), ("c", &[2.0])];
    for (name, naps) in tasks {
        let future = Box::pin(napper(name, naps, timer.clone()));
        let task = Task {
            name,
            future: Mutex::new(Some(future)),
            run_queue: run_queue.clone(),
        };
        run_queue.send(Arc::new(task))?;
    }
    drop(timer); // the timer thread ends once every `Sleep` is gone

    // The loop itself: take a woken task, poll it, until every task has finished.
    let mut live = tasks.len();
    while live > 0 {
        let task = ready.recv()?; // cannot disconnect: every task holds a sender
        let mut slot = task.future.lock().unwrap(); // poisoned only if a poll panicked
        // A task woken after it finished has nothing left to poll.
        let Some(future) = slot.as_mut() else {
            continue;
        };
        println!("poll {}", task.name);
        let waker = Waker::from(task.clone());
        let mut cx = Context::from_waker(&waker);
        // Each poll is a span in the task's own lane on a timeline (EXAMPLES_TIMELINE=1).
        let _poll = tracing::info_span!("poll", task = task.name).entered();
        if future.as_mut().poll(&mut cx).is_ready() {
            *slot = None;
            live -= 1;
        }
    }
    timer_thread.join().expect("the timer thread panicked");
    let took = start.elapsed().as_secs_f64();
    println!("{} 个任务共用时 {took:.2} 秒", tasks.len());
    Ok(())
}

/// A task: what the executor polls, and how it is woken.
struct Task {
    name: &'static str,
    future: Mutex<Option<BoxFuture>>,
    run_queue: Sender<Arc<Task>>,
}

impl Wake for Task {
    /// Runs on whichever thread saw the event (here the timer's): back onto the run queue.
    fn wake(self: Arc<Self>) {
        let thread = thread::current();
        println!(
            "唤醒 {}（在 {} 线程上）",
            self.name,
            thread.name().unwrap_or("?")
        );
        let _ = self.run_queue.clone().send(self); // fails only once the executor is gone
    }
}

/// The tasks' code: what any `async fn` looks like to the executor.
async fn napper(name: &str, naps: &[f64], timer: Timer) {
    for &secs in naps {
        println!("{name} await 一个 {secs} s 的 sleep");
        sleep(&timer, secs).await;
    }
    println!("{name} 完成");
}
