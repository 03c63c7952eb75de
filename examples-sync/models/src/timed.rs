//! shuttle's `Mutex`, `Condvar` and channel, with timeouts that can happen.
//!
//! shuttle's `wait_timeout` and `recv_timeout` never time out, so a model of the timer or the
//! GIL would never see its deadline pass. Here the deadline passes at a point of the schedule:
//! - [`mpsc::Receiver::recv_timeout`] is a scheduling point, then a `try_recv`: whatever was sent
//!   before the checker ran it is received, else it times out. Every order of the send and the
//!   deadline is one schedule, so `check_dfs` explores them all.
//! - [`Condvar::wait_timeout`] either waits for a notification, or lets the lock go, lets the
//!   others run, takes it back and says it timed out; which one is shuttle's random choice, so a
//!   check that uses it runs under `check_random`, which records and replays that choice too.
//!
//! Both only ever do what the real call may do, so a failed assertion found here can happen for
//! real. A deadlock reported in the waiting branch may not: a real timeout would end it.

use std::ops::{Deref, DerefMut};
use std::sync::LockResult;
use std::time::Duration;

use shuttle::rand::RngCore as _;

/// `std::sync::Mutex`, whose guard remembers its mutex, so that a timed-out wait can take it back.
#[derive(Default)]
pub struct Mutex<T> {
    inner: shuttle::sync::Mutex<T>,
}

impl<T> Mutex<T> {
    pub fn new(value: T) -> Self {
        Self {
            inner: shuttle::sync::Mutex::new(value),
        }
    }

    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        // A poisoned lock is a panic in the model, which fails the check anyway.
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(MutexGuard {
            mutex: self,
            inner: Some(inner),
        })
    }
}

pub struct MutexGuard<'a, T> {
    mutex: &'a Mutex<T>,
    /// `None` only inside a wait.
    inner: Option<shuttle::sync::MutexGuard<'a, T>>,
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner
            .as_ref()
            .expect("a guard outside a wait holds its lock")
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner
            .as_mut()
            .expect("a guard outside a wait holds its lock")
    }
}

/// What a timed wait returns: whether the deadline passed.
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

#[derive(Default)]
pub struct Condvar {
    inner: shuttle::sync::Condvar,
}

impl Condvar {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        let inner = guard.inner.take().expect("the guard holds its lock");
        let inner = self
            .inner
            .wait(inner)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.inner = Some(inner);
        Ok(guard)
    }

    pub fn wait_while<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> LockResult<MutexGuard<'a, T>> {
        while condition(&mut guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// Waits for a notification, or, as shuttle's random choice, for the deadline to pass.
    pub fn wait_timeout<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        _deadline: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        if shuttle::rand::thread_rng().next_u32().is_multiple_of(2) {
            let guard = self
                .wait(guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            return Ok((guard, WaitTimeoutResult(false)));
        }
        // The deadline passes: the lock is let go meanwhile, as in a real wait.
        drop(guard.inner.take());
        shuttle::thread::yield_now();
        let mutex = guard.mutex;
        let inner = mutex
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.inner = Some(inner);
        Ok((guard, WaitTimeoutResult(true)))
    }

    pub fn notify_one(&self) {
        self.inner.notify_one();
    }

    pub fn notify_all(&self) {
        self.inner.notify_all();
    }
}

/// `std::sync::mpsc`, with a `recv_timeout` whose deadline is a point of the schedule.
pub mod mpsc {
    use std::time::Duration;

    pub use std::sync::mpsc::{RecvTimeoutError, TryRecvError};

    pub use shuttle::sync::mpsc::Sender;

    pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
        let (sender, receiver) = shuttle::sync::mpsc::channel();
        (sender, Receiver(receiver))
    }

    pub struct Receiver<T>(shuttle::sync::mpsc::Receiver<T>);

    impl<T> Receiver<T> {
        /// What has arrived by the time the checker runs this, or a timeout.
        pub fn recv_timeout(&self, _deadline: Duration) -> Result<T, RecvTimeoutError> {
            shuttle::thread::yield_now();
            self.0.try_recv().map_err(|error| match error {
                TryRecvError::Empty => RecvTimeoutError::Timeout,
                TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
            })
        }
    }
}
