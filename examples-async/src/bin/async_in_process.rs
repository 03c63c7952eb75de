//! An event loop in a worker process: URLs come in on one queue, results go back on another.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section Mulitiprocessing is good ,
//! asyncio is great, Why not both (`run_loop(tx, rx)` with `limit = 10`, whose queues are
//! `url_queue` and `results` here).
//! Python API: `Process`, `Queue`, `new_event_loop()`, `run_until_complete()`, `asyncio.wait()`.
//!
//! Run: `cargo run -p examples-async --bin async_in_process`
//!
//! What to watch for: the worker reports a pid of its own. The 30 URLs come back in waves of up to
//! 10, each in any order: every URL exactly once, never more than 10 at the server at once.
//!
//! Rust differences: the tutorial's loop never ends; here the parent drops `url_queue` once all is
//! sent, and the worker drains it, finishes what is in flight and exits, closing `results`. A
//! thread forwards each URL from the blocking `IpcReceiver` to a tokio channel, which `select!`
//! waits on beside the `JoinSet` (the tutorial's `pending`). A task is a URL, not
//! `(fn, args, kwargs)`: a function cannot travel between processes.

use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use multiprocessing::{Process, Target, run_if_child};
use tokio::task::JoinSet;

/// The tutorial's `limit`: how many fetches one worker keeps in flight.
const LIMIT: usize = 10;

const BOOTSTRAP: Target<(IpcReceiver<String>, IpcSender<Fetched>)> =
    Target::new("bootstrap", bootstrap);

/// One result on the `results` queue.
#[derive(serde::Serialize, serde::Deserialize)]
struct Fetched {
    url: String,
    status: u16,
    body: String,
}

fn main() -> anyhow::Result<()> {
    // In the worker: runs bootstrap and exits here. In the parent: returns at once.
    run_if_child(&[&BOOTSTRAP]);
    shared::example::start();

    let server = shared::http::Server::builder().delay_secs(0.5).start()?;
    let (url_queue, worker_urls) = ipc::channel::<String>()?;
    let (worker_results, results) = ipc::channel::<Fetched>()?;
    println!("父进程 pid {}", std::process::id());
    let worker = Process::spawn(&BOOTSTRAP, (worker_urls, worker_results))?;

    let urls: Vec<String> = (0..30)
        .map(|i| server.url(&format!("/posts/{i}")))
        .collect();
    for url in &urls {
        url_queue.send(url.clone())?;
    }
    // No more work: once the worker has drained the queue, it sees the queue closed and ends.
    drop(url_queue);

    let mut answered = Vec::new();
    // Ends when the worker's sender is gone: it has exited (or died: then `join` says how).
    while let Ok(fetched) = results.recv() {
        println!("{} {} {}", fetched.status, fetched.url, fetched.body);
        answered.push(fetched.url);
    }
    worker.join()?;

    answered.sort();
    let mut expected = urls;
    expected.sort();
    anyhow::ensure!(
        answered == expected,
        "some URL was not answered exactly once"
    );
    println!("每个 URL 都恰好应答了一次，共 {} 个", answered.len());
    println!(
        "服务器上同时处理的请求最多：{} 个（上限 {LIMIT}）",
        server.max_in_flight()
    );
    Ok(())
}

/// The worker process: an event loop of its own (`new_event_loop` + `run_until_complete`).
fn bootstrap((urls, results): (IpcReceiver<String>, IpcSender<Fetched>)) -> anyhow::Result<()> {
    println!("worker 进程 pid {}：运行自己的事件循环", std::process::id());
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    event_loop.block_on(run_loop(urls, results))
}

async fn run_loop(urls: IpcReceiver<String>, results: IpcSender<Fetched>) -> anyhow::Result<()> {
    // Blocking in `recv` on the event loop's only thread would freeze every fetch in flight.
    let (forward, mut queue) = tokio::sync::mpsc::channel(LIMIT);
    std::thread::spawn(move || {
        // Ends when the parent closes `url_queue`; dropping `forward` then closes `queue`.
        while let Ok(url) = urls.recv() {
            if forward.blocking_send(url).is_err() {
                break;
            }
        }
    });

    let client = reqwest::Client::new();
    let mut pending = JoinSet::new();
    loop {
        tokio::select! {
            Some(url) = queue.recv(), if pending.len() < LIMIT => {
                pending.spawn(fetch_url(client.clone(), url));
            }
            Some(done) = pending.join_next() => {
                // A blocking write, but into a socket buffer with room for far more than 30 results.
                results.send(done??)?;
            }
            else => break, // the queue is closed and nothing is pending
        }
    }
    Ok(())
}

async fn fetch_url(client: reqwest::Client, url: String) -> reqwest::Result<Fetched> {
    // Held across the awaits, never entered: on a timeline, this `wait` spans the request.
    let _wait = tracing::info_span!("wait", on = url);
    let response = client.get(&url).send().await?.error_for_status()?;
    let status = response.status().as_u16();
    let body = response.text().await?;
    Ok(Fetched { url, status, body })
}
