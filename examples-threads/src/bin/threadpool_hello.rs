//! Four greetings on a pool of ten threads: four two-second sleeps take two seconds, not eight.
//!
//! Tutorial: 《python多进程vs多线程》 (003), section python多线程：适合IO密集 (the `threadpool`
//! package snippet: `sayhello` on `['xiaozi','aa','bb','cc']`).
//! Python API: `threadpool.ThreadPool(10)`, `makeRequests`, `putRequest`, `wait()`.
//!
//! Run: `cargo run -p examples-threads --bin threadpool_hello`
//!
//! What to watch for: four `Hello  <name>` lines in any order (four pool threads start at once),
//! then `2 second`: the sleeps overlap. The seconds are whole, like the tutorial's `%d`. The two
//! spaces are the tutorial's: Python 2's `print "Hello ",str` prints its string's, then one more.
//!
//! Rust differences: the `threadpool` crate mirrors the PyPI package: `execute` is `putRequest`
//! (one job per name, so no `makeRequests`), `join` is `wait`. It has been unmaintained since 2020:
//! prefer a `rayon::ThreadPool` (see `dummy_pool`), `std::thread::scope` for a few threads that
//! borrow local data, or `tokio::task::spawn_blocking` in async code.

use std::time::Instant;

use threadpool::ThreadPool;

fn main() -> anyhow::Result<()> {
    shared::example::start();
    let name_list = ["xiaozi", "aa", "bb", "cc"];

    let start_time = Instant::now();
    let pool = ThreadPool::new(10);
    for name in name_list {
        pool.execute(move || say_hello(name));
    }
    pool.join(); // blocks until every job has run, like `pool.wait()`
    println!("{} second", start_time.elapsed().as_secs());
    Ok(())
}

fn say_hello(name: &str) {
    println!("Hello  {name}");
    shared::pace::sleep_secs(2.0);
}
