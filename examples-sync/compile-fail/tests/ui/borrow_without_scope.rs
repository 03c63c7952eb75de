// A thread that borrows a local of the function that started it. Rust refuses: a thread from
// `thread::spawn` may outlive the function, and the local with it. The fixes: `move` the
// value into the thread, or start the thread with `thread::scope`, which joins it before the
// scope ends (as `counter`, `balance_lock` and `semaphore` do).
use std::thread;

fn main() {
    let names = vec!["t1", "t2"];
    let worker = thread::spawn(|| println!("{names:?}"));
    worker.join().unwrap();
}
