//! A blocking HTTP client inside async code: each call runs on tokio's blocking pool, 100 at once.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section Asyncio (`getUrlBlocking` with
//! `loop.run_in_executor`).
//! Python API: `loop.run_in_executor(None, requests.get, url)`, `asyncio.wait(tasks)`.
//!
//! Run: `cargo run -p examples-async --bin run_in_executor` (or add `-- --max-blocking-threads 6`)
//!
//! What to watch for: 100 `starting request to …` lines (in practice all before the first answer),
//! then each answer's `200` and body, in any order. All 100 wait at the server together, so the run
//! takes about half a second; with `--max-blocking-threads 6` (the size of Python's default
//! executor here) six run at a time, about nine seconds.
//!
//! Rust differences: the tutorial's Python fails as written since 3.11: `asyncio.wait` of bare
//! coroutines raises `TypeError` (wrap each in `asyncio.create_task`); here each request is a
//! spawned task. `spawn_blocking` is `run_in_executor(None, …)`, its pool up to
//! `max_blocking_threads` (512) threads. A blocking call cannot be cancelled: dropping its
//! future only stops the waiting.

use std::time::Instant;

/// getUrlBlocking from the tutorial, for 100 URLs.
#[derive(clap::Parser)]
struct Args {
    /// The most threads the blocking pool may start (tokio's default is 512).
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u16).range(1..))]
    max_blocking_threads: u16,
}

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();

    let server = shared::http::Server::builder().delay_secs(0.5).start()?;
    let urls: Vec<String> = (0..100)
        .map(|i| server.url(&format!("/posts/{i}")))
        .collect();

    let start = Instant::now();
    // The event loop is one thread, as in asyncio; the blocking pool is apart from it.
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(args.max_blocking_threads.into())
        .build()?;
    event_loop.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for url in urls {
            tasks.spawn(got_response(url));
        }
        while let Some(finished) = tasks.join_next().await {
            finished??;
        }
        anyhow::Ok(())
    })?;
    let elapsed = start.elapsed();

    assert_eq!(server.served().len(), 100);
    println!(
        "服务器应答了 100 个请求，同时最多 {} 个",
        server.max_in_flight()
    );
    println!(
        "{} executed in {:.2} seconds.",
        shared::cli::binary_name(),
        elapsed.as_secs_f64()
    );
    Ok(())
}

async fn get_url_blocking(url: String) -> anyhow::Result<(u16, String)> {
    println!("starting request to {url} "); // the tutorial's line ends with a space
    // This task waits here without holding the event loop; a pool thread makes the call.
    let response = tokio::task::spawn_blocking(move || get(&url)).await??;
    println!("{}", response.0);
    Ok(response)
}

async fn got_response(url: String) -> anyhow::Result<()> {
    let (_status, text) = get_url_blocking(url).await?;
    println!("{text}");
    Ok(())
}

/// The blocking call, `requests.get(url)`: the thread that makes it waits for the answer.
fn get(url: &str) -> Result<(u16, String), ureq::Error> {
    // A `wait` span on a timeline (EXAMPLES_TIMELINE=1), on the blocking pool's thread.
    let _wait = tracing::info_span!("wait", on = url).entered();
    let mut response = ureq::get(url).call()?;
    let text = response.body_mut().read_to_string()?;
    Ok((response.status().as_u16(), text))
}
