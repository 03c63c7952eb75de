//! Three slow downloads one after another, then on a pool of eight threads: I/O waits overlap.
//!
//! Tutorial: `000_…txt`, section multiprocessing.dummy 模块 (`map(urlopen, urls)` vs
//! `ThreadPool(processes=8).map(urlopen, urls)`); `003_…txt`, section IO密集.
//! Python API: `multiprocessing.dummy.Pool` (a thread pool behind the `multiprocessing.Pool`
//! API), `map`, `close()`, `join()`, `urllib.request.urlopen`.
//!
//! Run: `cargo run -p examples-threads --bin dummy_pool`
//!
//! What to watch for: the three URLs stand for the tutorial's three baidu hosts, served on
//! 127.0.0.1 with 0.2 s (paced) before each answer. `Normal: X` is about three delays, the
//! requests one at a time; `Thread Pool: Y` about one delay, the three waiting together. After
//! each phase the example checks with the server that it answered every URL exactly once, and
//! prints how many requests it held at once.
//!
//! Rust differences:
//! - In Python 3, `map` is lazy: the tutorial's `results = map(urlopen, urls)` fetches
//!   nothing, so its `Normal` time measures nothing. Rust iterators are lazy too; `collect`
//!   runs them, inside the timing.
//! - The pool is a dedicated `rayon::ThreadPool` of 8 threads (without `num_threads` it
//!   would have one per CPU, like `ThreadPool()`). Chosen over the `threadpool` crate because
//!   `par_iter().map().collect()` is `Pool.map` itself: results in input order, a failed
//!   fetch returned as the error, and no channel to write. It is a pool of our own, not
//!   rayon's global one, because blocking I/O would stall the global pool's CPU work.

use std::time::Instant;

use rayon::prelude::*;

/// Paths standing for `www.baidu.com`, `home.baidu.com` and `tieba.baidu.com`.
const HOSTS: [&str; 3] = ["/www", "/home", "/tieba"];

fn main() -> anyhow::Result<()> {
    shared::cli::no_args();
    let server = shared::http::Server::builder().delay_secs(0.2).start()?;
    let urls: Vec<String> = HOSTS.iter().map(|host| server.url(host)).collect();

    let start = Instant::now();
    let results: Vec<String> = urls
        .iter()
        .map(|url| urlopen(url))
        .collect::<Result<_, _>>()?;
    println!("Normal: {}", start.elapsed().as_secs_f64());
    check_served(&server, 0)?;

    let start2 = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build()?;
    let results2: Vec<String> = pool.install(|| {
        urls.par_iter()
            .map(|url| urlopen(url))
            .collect::<Result<_, _>>()
    })?;
    drop(pool); // `close()`: the idle threads exit on their own; `drop` does not wait for them
    println!("Thread Pool: {}", start2.elapsed().as_secs_f64());
    check_served(&server, HOSTS.len())?;

    // Like `Pool.map`, the pool returns results in the order of `urls`, whatever finished first.
    assert_eq!(results2, results);
    Ok(())
}

/// `urlopen(url).read()`, with a real blocking HTTP client.
fn urlopen(url: &str) -> Result<String, ureq::Error> {
    ureq::get(url).call()?.body_mut().read_to_string()
}

/// Checks that the server answered each of `HOSTS` exactly once after its first `before` answers.
fn check_served(server: &shared::http::Server, before: usize) -> anyhow::Result<()> {
    let mut served = server.served().split_off(before);
    served.sort();
    let mut expected = HOSTS.to_vec();
    expected.sort();
    anyhow::ensure!(served == expected, "the server answered {served:?}");
    println!(
        "the server answered {} once each; at most {} at a time",
        expected.join(", "),
        server.max_in_flight()
    );
    Ok(())
}
