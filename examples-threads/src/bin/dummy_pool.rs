//! Three slow downloads one after another, then on a pool of eight threads: I/O waits overlap.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section multiprocessing.dummy 模块
//! (`map(urlopen, urls)` vs `ThreadPool(processes=8).map(urlopen, urls)`); 《python多进程vs多线程》
//! (003), section IO密集.
//! Python API: `multiprocessing.dummy.Pool` (a thread pool), `map`, `close()`, `join()`, `urlopen`.
//!
//! Run: `cargo run -p examples-threads --bin dummy_pool`
//!
//! What to watch for: the three URLs stand for the tutorial's three baidu hosts, served on
//! 127.0.0.1 after 0.2 s (paced). `Normal: X` is about three delays, `Thread Pool: Y` about one.
//! After each phase a line says the server answered each URL once, and at most how many at a time.
//!
//! Rust differences: Python 3's `map` is lazy, so the tutorial's `Normal` times nothing; here
//! `collect` runs the fetches inside the timing. `Pool.map` is `par_iter().map().collect()`, in
//! input order, on a `rayon::ThreadPool` of its own: blocking I/O would stall rayon's global pool.

use std::time::Instant;

use rayon::prelude::*;

/// Paths standing for `www.baidu.com`, `home.baidu.com` and `tieba.baidu.com`.
const HOSTS: [&str; 3] = ["/www", "/home", "/tieba"];

fn main() -> anyhow::Result<()> {
    shared::example::start();
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
    // A `wait` span on a timeline (EXAMPLES_TIMELINE=1): this thread waits for the answer.
    let _wait = tracing::info_span!("wait", on = url).entered();
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
        "服务器对 {} 各应答一次；同时最多 {} 个",
        expected.join(", "),
        server.max_in_flight()
    );
    Ok(())
}
