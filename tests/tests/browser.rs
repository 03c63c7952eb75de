//! The book in a real browser (Chromium, driven over WebDriver by fantoccini), served from
//! 127.0.0.1: every page of both editions opens with its title and no console error, every
//! picture is decoded, every link inside the site answers, nothing is fetched from elsewhere;
//! search finds 进程池 in the Chinese edition and GIL in the English one; the language switch
//! lands on the same page of the other edition. Three screenshots go to
//! `target/book-screenshots/`.
//!
//! Needs `mdbook`, `chromium` and `chromedriver` (skipped without them, failed under `CI`), and
//! its own dependencies, so it is not part of the test command: `.ci/run` runs
//! `cargo test -p tests --features browser --test browser`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tests::book::{EDITIONS, pages};
use tests::tools::{CHROMEDRIVER, CHROMIUM, MDBOOK, Tool, needs_all};

const TOOLS: &[Tool] = &[MDBOOK, CHROMIUM, CHROMEDRIVER];

fn main() -> ExitCode {
    tests::tools::run(
        vec![needs_all(
            TOOLS,
            "every_page_of_both_editions_works_in_chromium",
            every_page_of_both_editions_works_in_chromium,
        )],
        "cargo test -p tests --features browser --test browser",
    )
}

fn every_page_of_both_editions_works_in_chromium() {
    let site = tempfile::tempdir().unwrap();
    tests::book::build(site.path());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let failures = runtime.block_on(check(site.path()));
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// chromedriver, killed and reaped on drop.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The browser's console, as chromedriver keeps it (`goog:loggingPrefs`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

fn on_path(program: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{program} is not on PATH"))
}

async fn start_browser(profile: &Path) -> (Driver, Client) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap()
        .port();
    let driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver"),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A fresh profile, and none of Chromium's own connections: this machine may have no network.
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": on_path("chromium"),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--no-first-run", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session in chromium");
    (driver, client)
}

async fn check(site: &Path) -> Vec<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let files = axum::Router::new().fallback_service(tower_http::services::ServeDir::new(site));
    tokio::spawn(async move { axum::serve(listener, files).await });
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = start_browser(profile.path()).await;
    let mut failures = Vec::new();
    let mut links = BTreeSet::new();
    for edition in EDITIONS {
        let other = if edition == "zh" { "en" } else { "zh" };
        for (title, page) in pages(edition) {
            let html = page.replace(".md", ".html");
            let url = format!("{origin}/{edition}/{html}");
            let mut fail = |what: String| failures.push(format!("{edition}/{html}: {what}"));
            client.goto(&url).await.unwrap();
            let shown = client.title().await.unwrap();
            if !shown.starts_with(&title) {
                fail(format!("title {shown:?}, not {title:?}"));
            }
            let broken = client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     Promise.all([...document.images].map(i => i.decode().catch(() => null)))
                         .then(() => done([...document.images]
                             .filter(i => !(i.complete && i.naturalWidth > 0))
                             .map(i => i.getAttribute('src'))));",
                    vec![],
                )
                .await
                .unwrap();
            if broken.as_array().is_some_and(|broken| !broken.is_empty()) {
                fail(format!("pictures not decoded: {broken}"));
            }
            let fetched = client
                .execute(
                    "return performance.getEntriesByType('resource').map(e => e.name)
                         .filter(n => !n.startsWith(location.origin));",
                    vec![],
                )
                .await
                .unwrap();
            if fetched
                .as_array()
                .is_some_and(|fetched| !fetched.is_empty())
            {
                fail(format!("fetched from elsewhere: {fetched}"));
            }
            let hrefs = client
                .execute(
                    "return [...document.querySelectorAll('a[href]')].map(a => a.href);",
                    vec![],
                )
                .await
                .unwrap();
            for href in hrefs
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if let Some(inside) = href.strip_prefix(&origin) {
                    let without_fragment = inside.split('#').next().unwrap_or_default();
                    links.insert(without_fragment.to_owned());
                }
            }
            // The switch is the page's first link; it names the same page in the other edition.
            let switch = client
                .execute("return document.querySelector('main a').href;", vec![])
                .await
                .unwrap();
            let twin = format!("{origin}/{other}/{html}");
            if switch.as_str() != Some(twin.as_str()) {
                fail(format!("the language switch goes to {switch}, not {twin}"));
            }
            let log = client.issue_cmd(BrowserLog).await.unwrap();
            for entry in log.as_array().into_iter().flatten() {
                if entry["level"] == "SEVERE" || entry["level"] == "WARNING" {
                    fail(format!("console: {}", entry["message"]));
                }
            }
        }
    }
    for link in links {
        let url = format!("{origin}{link}");
        let status = tokio::task::spawn_blocking(move || match ureq::get(&url).call() {
            Ok(response) => response.status().as_u16(),
            Err(ureq::Error::StatusCode(code)) => code,
            Err(_) => 0,
        })
        .await
        .unwrap();
        if status != 200 {
            failures.push(format!("{link}: answered {status}"));
        }
    }
    for (edition, term) in [("zh", "进程池"), ("en", "GIL")] {
        match search(&client, &format!("{origin}/{edition}/index.html"), term).await {
            Ok(hits) if !hits.is_empty() => println!("search {edition} {term:?}: {hits:?}"),
            Ok(_) => failures.push(format!("{edition}: searching {term:?} finds nothing")),
            Err(error) => failures.push(format!("{edition}: searching {term:?}: {error}")),
        }
    }
    for (from, label, to) in [("zh", "English", "en"), ("en", "中文", "zh")] {
        let page = "000/pool.html";
        client
            .goto(&format!("{origin}/{from}/{page}"))
            .await
            .unwrap();
        client
            .find(Locator::LinkText(label))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let landed = client.current_url().await.unwrap();
        if landed.as_str() != format!("{origin}/{to}/{page}") {
            failures.push(format!("{from}/{page}: the switch landed on {landed}"));
        }
    }
    screenshots(&client, &origin).await;
    client.close().await.unwrap();
    failures
}

/// Types `term` into the search box of `url`'s page and returns the results' titles.
async fn search(client: &Client, url: &str, term: &str) -> Result<Vec<String>, String> {
    client.goto(url).await.map_err(|e| e.to_string())?;
    let toggle = client.find(Locator::Id("mdbook-search-toggle")).await;
    toggle
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let bar = client
        .find(Locator::Id("mdbook-searchbar"))
        .await
        .map_err(|e| e.to_string())?;
    bar.send_keys(term).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        let hits = client
            .execute(
                "return [...document.querySelectorAll('#mdbook-searchresults li a')]
                     .map(a => a.textContent);",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        let hits: Vec<String> = hits
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|hit| hit.as_str().map(str::to_owned))
            .collect();
        if !hits.is_empty() || started.elapsed() > Duration::from_secs(10) {
            return Ok(hits);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A process example, a timeline, the task queue: pictures of the book as a reader sees it.
async fn screenshots(client: &Client, origin: &str) {
    let dir = tests::workspace().join("target/book-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, page, scroll_to) in [
        ("process-example", "zh/000/pool.html", "main img"),
        ("timeline", "zh/001/event.html", "main img"),
        ("task-queue", "en/guide/task-queue.html", "main table"),
    ] {
        client.goto(&format!("{origin}/{page}")).await.unwrap();
        let script =
            format!("const e = document.querySelector('{scroll_to}'); if (e) e.scrollIntoView();");
        client.execute(&script, vec![]).await.unwrap();
        let png = client.screenshot().await.unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        println!("screenshot of {page}: {}", path.display());
    }
}
