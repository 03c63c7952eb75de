//! Logging from threads, with each record tagged by the thread that wrote it.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 多线程 GIL › threading模块 (the `logging`
//! snippet with `%(threadName)-10s`).
//! Python API: `logging.basicConfig(level=DEBUG, format='[%(levelname)s](%(threadName)-10s) …')`,
//! `threading.Thread(name='mythread', target=foo)`.
//!
//! Run: `cargo run -p examples-threads --bin thread_logging`
//!
//! What to watch for: four records on stderr, where Python's `logging` writes too:
//! `[DEBUG](mythread  ) Starting...`, `[DEBUG](Thread-2  ) Starting...`, then both `Exiting...`
//! two seconds later. Each thread's `Starting` precedes its `Exiting`; the two may swap places.
//!
//! Rust differences: logging is not in std. Code logs through the `log` crate and `env_logger`
//! prints the records; its format closure stands in for `basicConfig`, and `RUST_LOG=info` would
//! hide these debug records, as a higher `level=` would. The unnamed thread is `Thread-2` as in the
//! tutorial: CPython counts only threads made without a name, and the tutorial's environment had
//! made one (a fresh Python 3.11 prints `Thread-1 (foo)`: since 3.10 the target's name follows).

use std::io::Write;
use std::thread;

fn main() -> anyhow::Result<()> {
    shared::example::start();

    // This program's records only: its libraries log too (a `tracing` span becomes a `log`
    // record once a library turns on tracing's `log` feature), as Python's would under the root logger.
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("thread_logging=debug"),
    )
    .format(|out, record| {
        // The record does not carry the thread: the formatter runs on the logging thread.
        let current = thread::current();
        let thread_name = current.name().unwrap_or("<unnamed>");
        writeln!(
            out,
            "[{}]({thread_name:<10}) {}",
            record.level(),
            record.args()
        )
    })
    .init();

    // CPython's counter of unnamed threads, where the tutorial's run had it: one made already.
    let mut unnamed_threads = 1;
    let mut spawn = |name: Option<&str>| {
        let name = name.map_or_else(
            || {
                unnamed_threads += 1;
                format!("Thread-{unnamed_threads}")
            },
            str::to_owned,
        );
        thread::Builder::new().name(name).spawn(foo)
    };
    let named = spawn(Some("mythread"))?;
    let unnamed = spawn(None)?;

    named.join().expect("mythread panicked");
    unnamed.join().expect("Thread-2 panicked");
    Ok(())
}

fn foo() {
    log::debug!("Starting...");
    shared::pace::sleep_secs(2.0);
    log::debug!("Exiting...");
}
