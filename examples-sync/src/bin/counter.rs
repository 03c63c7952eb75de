//! Ten threads each add one to a shared counter and report it; a lock makes each report belong to
//! its own increment.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section
//! 多线程环境下对资源的操作需要考虑线程安全问题 (`counter += 1`).
//! Python API: `threading.Thread(target=worker).start()`, a global `counter`.
//!
//! Run: `cargo run -p examples-sync --bin counter`
//!
//! What to watch for: `The count is 1` to `10`, in order, each followed by `------------`, between
//! `Starting up --------` and `Finishing up`: the tutorial's output, less the blank line after
//! `Starting up`, which this snippet does not print (`counter_fuzz`'s variant does).
//!
//! Rust differences: the tutorial's version is a race that usually looks right (`counter_fuzz`
//! shows when it does not). Here each worker holds the lock from its increment to its separator, so
//! the output is guaranteed, not lucky. `Finishing up` waits for the ten threads; in Python it can
//! come out before some of them have printed.

use std::sync::Mutex;
use std::thread;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let counter = Mutex::new(0_u32);
    println!("Starting up --------");
    thread::scope(|scope| {
        for _ in 0..10 {
            scope.spawn(|| worker(&counter));
        }
    });
    println!("Finishing up");
    Ok(())
}

fn worker(counter: &Mutex<u32>) {
    // A poisoned lock means another worker panicked: a bug, so panic too.
    let mut count = counter.lock().unwrap();
    *count += 1;
    println!("The count is {count}");
    println!("------------");
}
