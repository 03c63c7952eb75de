//! I/O-bound work: 100 requests to the loopback server, each answered after 50 ms, in release:
//! `cargo bench -p benches --bench io`. The tutorial's crawler and thread-pool paragraphs
//! (《python中多进程、多线程以及GIL记录》 (002), 《python多进程vs多线程》 (003) IO密集,
//! 《第16章 协程-补充内容》 (000) multiprocessing.dummy) in numbers.
//!
//! - `io/sequential`: one request after the other with `ureq` (about 100 × 50 ms = 5 s).
//! - `io/thread_pool`: the same blocking requests on a `rayon::ThreadPool` of 100 threads,
//!   built once. Why 100: the goal is to finish in about the time of the slowest single
//!   request, which needs all 100 requests in flight at once; a pool of N threads takes
//!   ⌈100 / N⌉ × 50 ms. Threads that wait on a socket cost no CPU, so the core count does not
//!   limit them. Python: `ThreadPoolExecutor(100)`.
//! - `io/async`: 100 `reqwest` requests at once, on a one-thread tokio runtime (built once),
//!   like `asyncio`'s one event loop. Python: `asyncio.gather` of 100 requests.
//!
//! Goal: the thread pool and async runs within 20% of 50 ms (the slowest single request),
//! not of the 5 s the requests add up to. Each variant gets its own server, and prints on
//! stderr the most requests that server saw in flight at once.
//!
//! The server's delay is scaled by `EXAMPLES_TIME_SCALE`, like every tutorial sleep: leave it
//! unset here. CPython's figures: `benches/python/io.py`, which the report runs against the
//! same server.

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode};
use shared::http::Server;

const REQUESTS: usize = 100;
const DELAY_SECS: f64 = 0.05;

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = criterion.benchmark_group("io");
    // The fewest samples criterion takes, of equal size: the sequential run alone is 5 s, so
    // this group takes about a minute.
    group.sample_size(10).sampling_mode(SamplingMode::Flat);

    with_server(&mut group, "sequential", |group, urls| {
        let agent = ureq::Agent::new_with_defaults();
        group.bench_function("sequential", |bench| {
            bench.iter(|| {
                for url in urls {
                    fetch(&agent, url);
                }
            });
        });
    });

    with_server(&mut group, "thread_pool", |group, urls| {
        let agent = ureq::Agent::new_with_defaults();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(REQUESTS)
            .build()
            .expect("a pool of 100 threads");
        group.bench_function("thread_pool", |bench| {
            bench.iter(|| {
                pool.scope(|scope| {
                    for url in urls {
                        let agent = &agent;
                        scope.spawn(move |_| fetch(agent, url));
                    }
                });
            });
        });
    });

    with_server(&mut group, "async", |group, urls| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let client = reqwest::Client::new();
        group.bench_function("async", |bench| {
            bench.iter(|| {
                runtime.block_on(futures::future::join_all(
                    urls.iter().map(|url| fetch_async(&client, url)),
                ))
            });
        });
    });

    group.finish();
    criterion.final_summary();
}

/// Starts a server with the 50 ms delay, runs `bench` with its 100 URLs, then reports how
/// many requests the server held at once.
fn with_server(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    bench: impl FnOnce(&mut BenchmarkGroup<'_, WallTime>, &[String]),
) {
    let server = Server::builder()
        .delay_secs(DELAY_SECS)
        .start()
        .expect("the loopback server");
    let urls: Vec<String> = (1..=REQUESTS)
        .map(|id| server.url(&format!("/posts/{id}")))
        .collect();
    bench(group, &urls);
    eprintln!(
        "io/{name}: at most {} requests in flight at once",
        server.max_in_flight()
    );
}

/// One request, read to the end of its body (`call` fails on any status but 2xx).
fn fetch(agent: &ureq::Agent, url: &str) {
    let mut response = agent.get(url).call().expect("GET");
    response.body_mut().read_to_string().expect("body");
}

async fn fetch_async(client: &reqwest::Client, url: &str) {
    let response = client.get(url).send().await.expect("GET");
    let response = response.error_for_status().expect("status 200");
    response.text().await.expect("body");
}
