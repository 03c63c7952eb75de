//! Two HTTP requests awaited together: both wait on the server at once, so they take one delay.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section Asyncio (`fetch_url` and
//! `fetch_two` with `asyncio.gather`).
//! Python API: `async def`, `await`, `asyncio.gather(future_a, future_b)`, aiohttp's
//! `request('GET', url)`.
//!
//! Run: `cargo run -p examples-async --bin fetch_two`
//!
//! What to watch for: the loopback server takes one second to answer each request, yet both answers
//! arrive after about one second, not two, and it reports both requests in flight at once (1 only
//! if the machine stalls for a second). The order it finished them in (`served`) may vary.
//!
//! Rust differences: the tutorial's Python fails as written on aiohttp 3: `aiohttp.request` is an
//! async context manager (`async with aiohttp.request('GET', url) as response:`), not something
//! to `await`. `tokio::try_join!` is `gather` for a fixed set: it polls both on this task and
//! stops at the first error. reqwest stands in for aiohttp, with one shared `Client`, as an
//! aiohttp `ClientSession` would be.

use std::time::Instant;

use reqwest::StatusCode;

/// What `fetch_url` returns: the status and the body.
type Page = (StatusCode, String);

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let server = shared::http::Server::builder().delay_secs(1.0).start()?;
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    let start = Instant::now();
    let (a, b) = event_loop.block_on(fetch_two(&server.url("/url_a"), &server.url("/url_b")))?;
    let elapsed = start.elapsed();

    println!("a: {} {}", a.0, a.1.trim_end());
    println!("b: {} {}", b.0, b.1.trim_end());
    println!("fetch_two 用时 {:.2} 秒", elapsed.as_secs_f64());
    println!("服务器应答了 {:?}", server.served());
    println!("同时处理的请求最多：{} 个", server.max_in_flight());
    Ok(())
}

async fn fetch_url(client: &reqwest::Client, url: &str) -> reqwest::Result<Page> {
    let response = client.get(url).send().await?.error_for_status()?;
    Ok((response.status(), response.text().await?))
}

async fn fetch_two(url_a: &str, url_b: &str) -> reqwest::Result<(Page, Page)> {
    let client = reqwest::Client::new();
    let future_a = fetch_url(&client, url_a);
    let future_b = fetch_url(&client, url_b);
    // The first poll starts both requests; the task then sleeps until both answers are in.
    tokio::try_join!(future_a, future_b)
}
