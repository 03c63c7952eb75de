//! A loopback HTTP server: the tutorial's web sites, on `127.0.0.1`, with a latency you choose.
//!
//! The tutorial fetches `www.baidu.com` and `jsonplaceholder.typicode.com`. The examples fetch
//! from this server instead, so I/O-bound behaviour is real (a socket, a request, a response
//! that arrives after a delay) and reproducible without the internet.
//!
//! - It binds `127.0.0.1:0` (a free port on loopback, never another interface), serves on a
//!   thread of its own with its own tokio runtime, and stops when the [`Server`] is dropped.
//! - Every response waits the configured delay first. The delay is tutorial time: it is scaled
//!   by `EXAMPLES_TIME_SCALE` like every other sleep (see [`crate::pace`]).
//! - It records each path it answers and the most requests it held at once, so an example
//!   can show (and a test can check) that every URL was fetched exactly once, and how many
//!   requests really overlapped.
//!
//! Paths: `GET /posts/{id}` answers a small JSON post (jsonplaceholder's shape); any other
//! `GET` answers the configured body (default: `hello from <path>`).
//!
//! The HTTP is axum's (on hyper); the clients in the examples are real client crates too.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{Uri, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::sync::oneshot;

/// How to build a [`Server`]: `Server::builder().delay_secs(0.2).start()?`.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    delay: Duration,
    body: Option<String>,
}

impl Builder {
    /// Each response waits `secs` tutorial seconds (scaled by `EXAMPLES_TIME_SCALE`).
    pub fn delay_secs(mut self, secs: f64) -> Self {
        self.delay = Duration::from_secs_f64(secs);
        self
    }

    /// The body of every path except `/posts/{id}`.
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Binds `127.0.0.1:0` and starts serving on a new thread.
    pub fn start(self) -> anyhow::Result<Server> {
        // Bound here, not on the server thread, so that a failure is this call's error.
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .context("binding the loopback HTTP server to 127.0.0.1")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;

        let state = Arc::new(Shared {
            delay: crate::pace::scaled(self.delay),
            body: self.body,
            served: Mutex::default(),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        let router = Router::new()
            .route("/posts/{id}", get(post))
            .fallback(get(page))
            .with_state(Arc::clone(&state));

        let cannot_start = |error: std::io::Error| {
            anyhow::anyhow!(
                "cannot start the loopback HTTP server: {error}{}",
                multiprocessing::plumbing::limits::suffix(&error)
            )
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(cannot_start)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("loopback-http".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    axum::serve(listener, router)
                        .with_graceful_shutdown(async {
                            // Either a send or the sender's drop means "stop".
                            let _ = stopped.await;
                        })
                        .await
                })
                // Dropping the runtime here cancels connections still open (keep-alive ones).
            })
            .map_err(cannot_start)?;

        Ok(Server {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// A running loopback server; dropping it stops the server and joins its thread.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    state: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// A server with no delay and the default body.
    pub fn start() -> anyhow::Result<Self> {
        Self::builder().start()
    }

    /// Configure the delay and body, then [`Builder::start`].
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The address it listens on, always `127.0.0.1:<port>`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port><path>`; `path` starts with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The paths answered so far, in the order their responses were sent.
    pub fn served(&self) -> Vec<String> {
        self.state
            .served
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The largest number of requests that were waiting for their response at one time.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // The thread only serves; an error or panic there has nothing left to report to.
            let _ = thread.join();
        }
    }
}

#[derive(Debug)]
struct Shared {
    delay: Duration,
    body: Option<String>,
    served: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Shared {
    /// Waits the delay while counting this request as in flight, then records its path.
    async fn respond(&self, path: String) {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.served
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(path);
    }
}

async fn post(State(state): State<Arc<Shared>>, Path(id): Path<u32>) -> impl IntoResponse {
    state.respond(format!("/posts/{id}")).await;
    let json = format!(r#"{{"userId":1,"id":{id},"title":"post {id}","body":"from 127.0.0.1"}}"#);
    ([(header::CONTENT_TYPE, "application/json")], json)
}

async fn page(State(state): State<Arc<Shared>>, uri: Uri) -> String {
    let path = uri.path().to_owned();
    state.respond(path.clone()).await;
    state
        .body
        .clone()
        .unwrap_or_else(|| format!("hello from {path}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;
    use std::sync::Barrier;

    fn fetch(url: &str) -> anyhow::Result<(u16, String)> {
        let mut response = ureq::get(url).call()?;
        let mut body = String::new();
        response.body_mut().as_reader().read_to_string(&mut body)?;
        Ok((response.status().as_u16(), body))
    }

    #[test]
    fn serves_posts_as_json_and_other_paths_as_text() -> anyhow::Result<()> {
        let server = Server::start()?;
        assert!(server.addr().ip().is_loopback());
        assert_eq!(
            fetch(&server.url("/posts/7"))?,
            (
                200,
                r#"{"userId":1,"id":7,"title":"post 7","body":"from 127.0.0.1"}"#.to_owned()
            )
        );
        assert_eq!(
            fetch(&server.url("/tieba"))?,
            (200, "hello from /tieba\n".to_owned())
        );
        assert_eq!(server.served(), ["/posts/7", "/tieba"]);
        Ok(())
    }

    #[test]
    fn a_configured_body_replaces_the_default_one() -> anyhow::Result<()> {
        let server = Server::builder().body("你好").start()?;
        assert_eq!(fetch(&server.url("/"))?, (200, "你好".to_owned()));
        Ok(())
    }

    #[test]
    fn a_bad_post_id_is_a_client_error_and_not_recorded() -> anyhow::Result<()> {
        let server = Server::start()?;
        let error = ureq::get(&server.url("/posts/x")).call();
        assert!(
            matches!(error, Err(ureq::Error::StatusCode(400))),
            "{error:?}"
        );
        assert!(server.served().is_empty());
        Ok(())
    }

    #[test]
    fn requests_wait_concurrently_and_are_counted() -> anyhow::Result<()> {
        // A long delay so that all four requests are surely waiting at the same time.
        let server = Server::builder().delay_secs(1.0).start()?;
        let barrier = Barrier::new(4);
        let statuses = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|i| {
                    let (server, barrier) = (&server, &barrier);
                    scope.spawn(move || {
                        barrier.wait();
                        fetch(&server.url(&format!("/page/{i}"))).map(|(status, _)| status)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or(Ok(0)))
                .collect::<anyhow::Result<Vec<_>>>()
        })?;
        assert_eq!(statuses, [200; 4]);
        assert_eq!(server.max_in_flight(), 4);
        let mut served = server.served();
        served.sort();
        assert_eq!(served, ["/page/0", "/page/1", "/page/2", "/page/3"]);
        Ok(())
    }

    #[test]
    fn dropping_the_server_stops_it() -> anyhow::Result<()> {
        let server = Server::start()?;
        let (addr, url) = (server.addr(), server.url("/"));
        // A keep-alive connection left open must not hold the drop up.
        let agent = ureq::Agent::new_with_defaults();
        agent.get(&url).call()?;
        drop(server);
        assert!(std::net::TcpStream::connect(addr).is_err());
        assert!(agent.get(&url).call().is_err());
        Ok(())
    }
}
