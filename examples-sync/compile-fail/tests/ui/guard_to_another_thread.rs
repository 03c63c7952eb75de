// Locking in one thread and unlocking in another. Rust refuses to send a `MutexGuard` to
// another thread: on many platforms only the thread that locked a mutex may unlock it.
// Python's `Lock` allows this (a `Semaphore(1)` in disguise); in Rust, release where you
// locked, and use a channel or a `Condvar` to tell the other thread (`semaphore`).
use std::sync::Mutex;
use std::thread;

fn main() {
    let balance = Mutex::new(0_i64);
    let guard = balance.lock().unwrap();
    thread::scope(|scope| {
        scope.spawn(move || drop(guard));
    });
}
