//! The loop's timer: `asyncio.sleep` as a future, and a thread that calls each sleeper's waker
//! at its deadline (asyncio keeps its timers in a heap and sleeps in `select` until the first).

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// Where a `Sleep` leaves its deadline and waker.
pub type Timer = Sender<(Instant, Waker)>;

/// `asyncio.sleep(secs)`, scaled like every tutorial sleep.
pub fn sleep(timer: &Timer, secs: f64) -> Sleep {
    let deadline = Instant::now() + shared::pace::scaled(Duration::from_secs_f64(secs));
    Sleep {
        deadline,
        timer: timer.clone(),
        registered: false,
    }
}

/// `asyncio.sleep`: `Pending` until the deadline, with the waker left at the timer thread.
pub struct Sleep {
    deadline: Instant,
    timer: Timer,
    registered: bool,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.deadline {
            return Poll::Ready(());
        }
        // This executor's wakers for one task all wake the same `Arc<Task>`, so registering once
        // is enough; tokio's Sleep swaps in the newest waker unless `will_wake` says it is the same.
        if !self.registered {
            let _ = self.timer.send((self.deadline, cx.waker().clone()));
            self.registered = true;
        }
        Poll::Pending
    }
}

/// Waits for the earliest deadline (or a new registration), then wakes every task that is due.
pub fn run_timer(registrations: &Receiver<(Instant, Waker)>) {
    let mut timers: Vec<(Instant, Waker)> = Vec::new();
    loop {
        timers.sort_by_key(|&(deadline, _)| deadline);
        let now = Instant::now();
        let due = timers.partition_point(|&(deadline, _)| deadline <= now);
        for (_, waker) in timers.drain(..due) {
            waker.wake();
        }
        let next = match timers.first() {
            Some((deadline, _)) => {
                registrations.recv_timeout(deadline.saturating_duration_since(now))
            }
            None => registrations
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
        };
        match next {
            Ok(timer) => timers.push(timer),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
