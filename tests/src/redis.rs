//! A `redis-server` of the test's own, for the task queue's Redis runs: a free loopback port,
//! protected mode, nothing saved, its files in a temporary directory, stopped when dropped. No
//! test uses a Redis it did not start.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RedisServer {
    child: Child,
    port: u16,
    password: Option<String>,
    _dir: tempfile::TempDir,
}

impl RedisServer {
    pub fn start() -> Self {
        Self::start_with(None)
    }

    /// A server that only answers clients giving `password` (`requirepass`).
    pub fn with_password(password: &str) -> Self {
        Self::start_with(Some(password.to_owned()))
    }

    fn start_with(password: Option<String>) -> Self {
        let dir = tempfile::tempdir().expect("cannot make a directory for redis-server");
        // The port is free now; another process taking it before redis-server does is unlikely,
        // and would show as redis-server exiting below.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("cannot find a free port")
            .port();
        let mut command = Command::new("redis-server");
        command
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--protected-mode",
                "yes",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null());
        if let Some(password) = &password {
            command.args(["--requirepass", password]);
        }
        let child = command.spawn().unwrap_or_else(|error| {
            panic!("cannot start redis-server ({error}): install it (book/en/introduction.md)")
        });
        let mut server = Self {
            child,
            port,
            password,
            _dir: dir,
        };
        server.wait_until_ready();
        server
    }

    /// `redis://127.0.0.1:PORT`, with the password if the server has one.
    pub fn url(&self) -> String {
        match &self.password {
            Some(password) => format!("redis://:{password}@127.0.0.1:{}", self.port),
            None => format!("redis://127.0.0.1:{}", self.port),
        }
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Some(status) = self.child.try_wait().expect("cannot wait for redis-server") {
                panic!(
                    "redis-server exited at once ({status}); port {} taken?",
                    self.port
                );
            }
            if self.answers_ping() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "redis-server on port {} did not answer within 10 s",
            self.port
        );
    }

    fn answers_ping(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        // Without the password, a protected server answers `-NOAUTH`: it is up all the same.
        let mut reply = [0; 64];
        stream.write_all(b"PING\r\n").is_ok() && stream.read(&mut reply).is_ok_and(|read| read > 0)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
