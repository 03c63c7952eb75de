//! An event loop inside a worker process: tasks arrive on one queue, at most 10 run at a time,
//! results go back on another.
//!
//! Tutorial: `002_…txt`, section Mulitiprocessing is good , asyncio is great, Why not both
//! (`run_loop(tx, rx)` with `limit = 10`, `bootstrap`, `fetch_all`).
//! Python API: `multiprocessing.Process(target=bootstrap, args=(tx, rx))`, `Queue`,
//! `asyncio.new_event_loop()`, `run_until_complete()`, `asyncio.wait()`.
//!
//! Run: `cargo run -p examples-async --bin async_in_process`
//!
//! What to watch for: the worker reports a pid of its own. The parent sends 30 URLs at once; the
//! worker fetches them from the loopback server, never more than 10 at a time, so the results come
//! back in waves of up to 10, each wave in any order. Every URL is answered exactly once, and the
//! server saw at most 10 requests at once.
//!
//! Rust differences:
//! - The tutorial's loop never ends. Here the parent drops its sender once every URL is sent: the
//!   worker's queue then reports "disconnected" when empty, the worker finishes what is in flight
//!   and exits, and the parent's results queue closes in turn when the worker's sender goes.
//! - `IpcReceiver::recv` blocks its thread. A plain thread waits on it and forwards each URL into a
//!   tokio channel, whose `recv` is a future the event loop can wait on alongside the fetches.
//! - A task is a URL, not the tutorial's `(fn, args, kwargs)`: a function cannot travel between
//!   processes, so the worker knows the one it runs (Python pickles a function by its name).
//! - A `JoinSet` is the tutorial's `pending` set; `select!` waits for a new task or a finished one.

use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use multiprocessing::{Process, Target, run_if_child};
use tokio::task::JoinSet;

/// The tutorial's `limit`: how many fetches one worker keeps in flight.
const LIMIT: usize = 10;

const BOOTSTRAP: Target<(IpcReceiver<String>, IpcSender<Fetched>)> =
    Target::new("bootstrap", bootstrap);

/// One result on the `rx` queue.
#[derive(serde::Serialize, serde::Deserialize)]
struct Fetched {
    url: String,
    status: u16,
    body: String,
}

fn main() -> anyhow::Result<()> {
    // In the worker: runs bootstrap and exits here. In the parent: returns at once.
    run_if_child(&[&BOOTSTRAP]);
    shared::cli::no_args();

    let server = shared::http::Server::builder().delay_secs(0.5).start()?;
    let (tx, tasks) = ipc::channel::<String>()?;
    let (results, rx) = ipc::channel::<Fetched>()?;
    println!("parent pid {}", std::process::id());
    let worker = Process::spawn(&BOOTSTRAP, (tasks, results))?;

    let urls: Vec<String> = (0..30)
        .map(|i| server.url(&format!("/posts/{i}")))
        .collect();
    for url in &urls {
        tx.send(url.clone())?;
    }
    // No more work: once the worker has drained the queue, it sees the queue closed and ends.
    drop(tx);

    let mut answered = Vec::new();
    // Ends when the worker's sender is gone: it has exited (or died: then `join` says how).
    while let Ok(fetched) = rx.recv() {
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
    println!("every URL answered exactly once: {}", answered.len());
    println!(
        "most requests in flight at the server: {} (limit {LIMIT})",
        server.max_in_flight()
    );
    Ok(())
}

/// The worker process: an event loop of its own (`new_event_loop` + `run_until_complete`).
fn bootstrap((tx, rx): (IpcReceiver<String>, IpcSender<Fetched>)) -> anyhow::Result<()> {
    println!("worker pid {}: its own event loop", std::process::id());
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    event_loop.block_on(run_loop(tx, rx))
}

async fn run_loop(tx: IpcReceiver<String>, rx: IpcSender<Fetched>) -> anyhow::Result<()> {
    // Blocking in `recv` on the event loop's only thread would freeze every fetch in flight.
    let (forward, mut queue) = tokio::sync::mpsc::channel(LIMIT);
    std::thread::spawn(move || {
        // Ends when the parent closes `tx`; dropping `forward` then closes `queue`.
        while let Ok(url) = tx.recv() {
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
                rx.send(done??)?;
            }
            else => break, // the queue is closed and nothing is pending
        }
    }
    Ok(())
}

async fn fetch_url(client: reqwest::Client, url: String) -> reqwest::Result<Fetched> {
    let response = client.get(&url).send().await?.error_for_status()?;
    let status = response.status().as_u16();
    let body = response.text().await?;
    Ok(Fetched { url, status, body })
}
