//! A crawler: ten threads drain a queue of 100 URLs, one consumer thread processes every page.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section
//! 多线程环境下对资源的操作需要考虑线程安全问题 (the paragraph after the `task_done` worker: 10
//! threads loop `while not queue.empty()` over `requests.get`, put each response in a shared
//! container, and one message queue processes them all).
//! Python API: `threading.Thread`, `queue.Queue` (`empty`, `get`, `put`), `requests.get`.
//!
//! Run: `cargo run -p examples-threads --bin thread_crawler`
//!
//! What to watch for: 100 pages of 0.1 s (paced) take about 1 s with 10 workers, not 10 s. The
//! per-worker counts vary but always add up to 100; the server confirms it answered each URL once.
//!
//! Rust differences: `while not queue.empty(): queue.get()` checks, then acts, so two workers can
//! both see one URL left and the loser blocks in `get()` forever. Here the channel is filled and
//! closed first, so `recv` takes a URL or reports it empty and closed, in one step. Pages reach the
//! consumer over a second channel, which it drains until the last worker drops its sender.

use std::collections::BTreeMap;
use std::thread;
use std::time::Instant;

use crossbeam::channel::{self, Receiver, Sender};

const WORKERS: usize = 10;
const URLS: usize = 100;

struct Page {
    worker: usize,
    url: String,
    body: String,
}

fn main() -> anyhow::Result<()> {
    shared::example::start();
    let server = shared::http::Server::builder().delay_secs(0.1).start()?;
    let paths: Vec<String> = (1..=URLS).map(|i| format!("/page/{i}")).collect();

    let (queue, urls) = channel::unbounded();
    for path in &paths {
        queue.send(server.url(path))?;
    }
    drop(queue); // closed: a worker's `recv` fails once the queue is empty

    let start = Instant::now();
    let (pages, responses) = channel::unbounded();
    let (fetched, per_worker) = thread::scope(|scope| {
        let consumer = scope.spawn(|| process(responses));
        let workers: Vec<_> = (1..=WORKERS)
            .map(|worker| {
                let (urls, pages) = (urls.clone(), pages.clone());
                scope.spawn(move || crawl(worker, urls, pages))
            })
            .collect();
        drop(pages); // only the workers hold senders now: the consumer ends after the last one
        // The consumer first: if it fails, the workers' sends fail too, as a consequence.
        // (A panic in either would be a bug; `unwrap` passes it on.)
        let per_worker = consumer.join().unwrap()?;
        let mut fetched = 0;
        for worker in workers {
            fetched += worker.join().unwrap()?;
        }
        anyhow::Ok((fetched, per_worker))
    })?;
    let elapsed = start.elapsed().as_secs_f64();

    let processed: usize = per_worker.values().sum();
    println!("{WORKERS} 个工作线程抓取了 {fetched} 个页面，用时 {elapsed:.2} 秒");
    println!("一个消费者线程处理了 {processed} 个页面");
    println!("每个工作线程的页面数：{per_worker:?}");
    let mut served = server.served();
    served.sort();
    let mut expected = paths;
    expected.sort();
    anyhow::ensure!(served == expected, "the server answered {served:?}");
    println!(
        "服务器对 {URLS} 个 URL 各应答一次；同时最多 {} 个",
        server.max_in_flight()
    );
    Ok(())
}

/// One worker: fetch URLs until the queue is empty and closed; returns how many it fetched.
fn crawl(worker: usize, urls: Receiver<String>, pages: Sender<Page>) -> anyhow::Result<usize> {
    let mut fetched = 0;
    for url in urls {
        // A `wait` span on a timeline (EXAMPLES_TIMELINE=1): the worker waits for the page.
        let wait = tracing::info_span!("wait", on = url).entered();
        let body = ureq::get(&url).call()?.body_mut().read_to_string()?;
        drop(wait);
        pages.send(Page { worker, url, body })?;
        fetched += 1;
    }
    Ok(fetched)
}

/// The consumer: checks that each page names its own URL's path, and counts the pages by the
/// worker that fetched them.
fn process(responses: Receiver<Page>) -> anyhow::Result<BTreeMap<usize, usize>> {
    let mut per_worker = BTreeMap::new();
    for page in responses {
        let path = page.body.strip_prefix("hello from ").map(str::trim_end);
        anyhow::ensure!(
            path.is_some_and(|path| page.url.ends_with(path)),
            "{} answered {:?}",
            page.url,
            page.body
        );
        *per_worker.entry(page.worker).or_default() += 1;
    }
    Ok(per_worker)
}
