//! std's `sync` and `thread`, as loom provides them: a learner's file is checked with these
//! swapped in for `std::sync` and `std::thread` (build.rs does the swap on a copy), so that loom
//! decides every switch between threads. The examples' model checks use the same `Condvar`.

pub mod sync {
    //! `std::sync` under loom: loom's types, and a `Condvar` with the `wait_while` that loom's
    //! lacks (loom#393).

    use std::sync::LockResult;

    pub use loom::sync::atomic;
    pub use loom::sync::{Arc, Barrier, Mutex, MutexGuard, RwLock};
    pub use std::sync::PoisonError;

    #[derive(Debug, Default)]
    pub struct Condvar(loom::sync::Condvar);

    impl Condvar {
        pub fn new() -> Self {
            Self(loom::sync::Condvar::new())
        }

        pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
            self.0.wait(guard)
        }

        /// By std's definition, a loop of `wait` under the predicate: written so here, loom
        /// checks every interleaving of the waits inside it.
        pub fn wait_while<'a, T>(
            &self,
            mut guard: MutexGuard<'a, T>,
            mut condition: impl FnMut(&mut T) -> bool,
        ) -> LockResult<MutexGuard<'a, T>> {
            while condition(&mut guard) {
                guard = self.0.wait(guard)?;
            }
            Ok(guard)
        }

        pub fn notify_one(&self) {
            self.0.notify_one();
        }

        pub fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}

pub mod thread {
    //! `std::thread` under loom: `spawn`, `yield_now`, `current`; no `scope` (loom has none).
    pub use loom::thread::*;
}
