//! The report's rows: which Rust benchmark and which CPython figure measure the same thing.

/// The latency of one request to the loopback server in the I/O workload.
pub const REQUEST_SECS: f64 = 0.05;

/// One workload of the report, with its rows.
pub struct Section {
    pub title: &'static str,
    /// A short name for the chart.
    pub short: &'static str,
    /// What is measured and how, in Markdown.
    pub intro: &'static str,
    pub rows: &'static [Row],
    /// The ratios that carry the section's lesson.
    pub ratios: &'static [Ratio],
    /// A time the chart marks across the section, with its label.
    pub marker: Option<(f64, &'static str)>,
    /// Runs of many tasks, shown again as one task's share and as tasks per second.
    pub per_task: &'static [PerTask],
    /// Processes watched while they have nothing to do: their CPU time per second.
    pub idle: &'static [Idle],
}

/// A figure in CPU seconds per second (a share of one core), not a time per run.
pub struct Idle {
    pub label: &'static str,
    pub id: &'static str,
}

/// A run of `tasks` tasks: the report also divides its time by them.
pub struct PerTask {
    pub label: &'static str,
    pub id: &'static str,
    pub tasks: f64,
}

/// One way to run a workload: a criterion benchmark id and a CPython script's key, either of
/// which may be missing (rayon has no CPython twin; `fork` has no Rust one).
pub struct Row {
    pub label: &'static str,
    pub rust: Option<&'static str>,
    pub python: Option<&'static str>,
}

/// One run's time over another's (`Per::Run`), or over a fixed time (`Per::Secs`).
pub struct Ratio {
    pub name: &'static str,
    pub of: &'static str,
    pub per: Per,
}

pub enum Per {
    Run(&'static str),
    Secs(f64),
}

impl Ratio {
    /// The ratio of the times `time` gives for the ids, if it has them.
    pub fn value(&self, time: impl Fn(&str) -> Option<f64>) -> Option<f64> {
        let per = match self.per {
            Per::Run(id) => time(id)?,
            Per::Secs(secs) => secs,
        };
        Some(time(self.of)? / per)
    }
}

const fn both(label: &'static str, id: &'static str) -> Row {
    Row {
        label,
        rust: Some(id),
        python: Some(id),
    }
}

pub const SECTIONS: &[Section] = &[
    Section {
        title: "Countdown: CPU-bound work on threads, rayon and processes",
        short: "Countdown, 50M",
        intro: "The tutorial's countdown (《python中多进程、多线程以及GIL记录》 (002): single_threaded.py and multi_threaded.py, \
            then the `Pool(processes=2)` version): 50,000,000 decrements, \
            `while n > 0: n -= 1`, on one thread, split over two threads, over a rayon pool \
            of two threads (`rayon::join`), and over two worker processes (`apply_async` \
            twice on a pool started before the clock). Rust: `benches/benches/countdown.rs` \
            (`std::hint::black_box` keeps the loop); CPython: `benches/python/countdown.py`.",
        rows: &[
            both("one thread", "countdown/one_thread"),
            both("two threads", "countdown/two_threads"),
            Row {
                label: "rayon, two threads",
                rust: Some("countdown/rayon"),
                python: None,
            },
            both("two processes", "countdown/two_processes"),
        ],
        ratios: &[
            Ratio {
                name: "two threads / one thread",
                of: "countdown/two_threads",
                per: Per::Run("countdown/one_thread"),
            },
            Ratio {
                name: "rayon / two threads",
                of: "countdown/rayon",
                per: Per::Run("countdown/two_threads"),
            },
            Ratio {
                name: "two processes / one thread",
                of: "countdown/two_processes",
                per: Per::Run("countdown/one_thread"),
            },
        ],
        marker: None,
        per_task: &[],
        idle: &[],
    },
    Section {
        title: "The GIL: CPython's real one, and a simulated one in Rust",
        short: "GIL (Rust: simulated, 10×)",
        intro: "The tutorial's `decrement` (《第16章 协程-补充内容》 (000), GIL例子): 100,000,000 decrements on \
            one thread, against two threads of 50,000,000. CPython runs it under its real GIL. \
            Rust has none, so `benches/benches/gil.rs` simulates one with the design of \
            CPython's (the code of the `gil_simulated` example itself): one global lock a thread \
            must hold to run its loop; a thread that waits for it longer than the 5 ms switch \
            interval asks the holder to let go; the holder checks for that request at every \
            iteration, hands the lock over and waits until the other thread has taken it. Both \
            Rust rows run under the simulated GIL, with ten times the tutorial's count \
            (1,000,000,000, split in two): at the tutorial's count a Rust run lasts about six \
            switch intervals, and a fixed cost of starting and waking the second thread (about \
            3 ms here, whether or not the GIL changes hands) would hide the handovers; CPython's \
            run of the tutorial's count already spans some 400 intervals. Compare the ratios, not \
            the times. CPython: `benches/python/gil.py`.",
        // Rust runs ten times CPython's count here, so the rows are not set side by side.
        rows: &[
            Row {
                label: "one thread: Rust 1,000,000,000",
                rust: Some("gil/one_thread"),
                python: None,
            },
            Row {
                label: "one thread: CPython 100,000,000",
                rust: None,
                python: Some("gil/one_thread"),
            },
            Row {
                label: "two threads: Rust 2 × 500,000,000",
                rust: Some("gil/two_threads"),
                python: None,
            },
            Row {
                label: "two threads: CPython 2 × 50,000,000",
                rust: None,
                python: Some("gil/two_threads"),
            },
        ],
        ratios: &[Ratio {
            name: "two threads / one thread (Rust: the simulated GIL; CPython: its GIL)",
            of: "gil/two_threads",
            per: Per::Run("gil/one_thread"),
        }],
        marker: None,
        per_task: &[],
        idle: &[],
    },
    Section {
        title: "I/O-bound work: 100 requests, 50 ms each",
        short: "I/O, 100 × 50 ms",
        intro: "100 `GET`s to the loopback server (`shared::http::Server`, every response \
            delayed 50 ms): one after the other, on a pool of 100 threads, and all at once on \
            one async event loop. Rust (`benches/benches/io.rs`): `ureq`, a \
            `rayon::ThreadPool` of 100 threads running the same blocking calls, and `reqwest` \
            on a one-thread tokio runtime. CPython (`benches/python/io.py`, against the same \
            server, started by the report): `urllib`, `ThreadPoolExecutor(100)`, and `asyncio` \
            with a minimal HTTP GET written on asyncio streams, as the standard library has no \
            asyncio HTTP client. Why 100 threads: to finish in one request's time, all 100 \
            requests must be in flight at once; a pool of N threads needs ⌈100 / N⌉ rounds of \
            50 ms, and a thread waiting on a socket uses no core.",
        rows: &[
            both("sequential", "io/sequential"),
            both("thread pool of 100", "io/thread_pool"),
            both("async, 100 at once", "io/async"),
        ],
        ratios: &[
            Ratio {
                name: "thread pool / one request (50 ms)",
                of: "io/thread_pool",
                per: Per::Secs(REQUEST_SECS),
            },
            Ratio {
                name: "async / one request (50 ms)",
                of: "io/async",
                per: Per::Secs(REQUEST_SECS),
            },
            Ratio {
                name: "sequential / one request (50 ms)",
                of: "io/sequential",
                per: Per::Secs(REQUEST_SECS),
            },
        ],
        marker: Some((REQUEST_SECS, "one request: 50 ms")),
        per_task: &[],
        idle: &[],
    },
    Section {
        title: "The process machinery: Process, Queue, Pipe, Pool, Manager",
        short: "Processes",
        intro: "What the `multiprocessing` crate costs (`Process`, `Pool`, \
            `Manager`) next to Python's `multiprocessing`: start and join a child that does \
            nothing; one small message through a queue; one round trip through a pipe; \
            `Pool(2).map` of 10,000 trivial tasks, with the default chunks and with chunk \
            size 1; one set and one get on a manager dict. A Rust child is this program \
            started again, like Python's `spawn` start method; `fork` (CPython's default on \
            Linux before 3.14) and `forkserver` have no Rust twin. Most of these are a wake-up \
            of another process, which a virtual machine makes slow on both sides. A pipe's \
            round trip, counted with `strace -c -f`: four system calls in Rust (a `sendmsg` and \
            a `recvmsg` a side), six in CPython (a `write` and two `read`s a side); with both \
            processes on one core (`taskset -c 0`), 12 µs in Rust and 31 to 42 µs in CPython; \
            across two cores, the kernel waking the other core's process is most of it, and \
            varies more from run to run than the two sides differ. Rust: \
            `benches/benches/process.rs`, `pool.rs`; CPython: `benches/python/process.py`, \
            `pool.py`.",
        rows: &[
            Row {
                label: "spawn + join a child",
                rust: Some("spawn_join"),
                python: Some("spawn_join/spawn"),
            },
            Row {
                label: "fork + join a child",
                rust: None,
                python: Some("spawn_join/fork"),
            },
            Row {
                label: "forkserver + join a child",
                rust: None,
                python: Some("spawn_join/forkserver"),
            },
            both("queue, one message", "queue_small_messages/recv"),
            both("pipe round trip", "pipe_round_trip"),
            both("pool map, default chunks", "pool_map/default_chunks"),
            both("pool map, chunk size 1", "pool_map/chunk_size_1"),
            both("manager dict set + get", "manager_dict_set_get"),
        ],
        ratios: &[],
        marker: None,
        per_task: &[],
        idle: &[],
    },
    Section {
        title: "A task queue: 10,000 trivial tasks through a broker",
        short: "Task queue, 10,000",
        intro: "The `task_queue` example's setup (《python中多进程、多线程以及GIL记录》 (002), 牵涉到一些celery的点) with \
            10,000 tasks of `x + 1`: pushed to a queue, served by two worker processes, and \
            every result read back from the queue. Rust: apalis on a SQLite file and on Redis \
            (`benches/benches/task_queue.rs`), with the example's own wake-ups and no polling: \
            on Redis, Redis' messages (a task pushed, a task ended; the example's `events.rs`); \
            on SQLite, a file the submitter writes once it has pushed and the `-wal` file the \
            workers' results go to, watched through the kernel, with the example's SQLite \
            settings (`sqlite.rs`: WAL, `synchronous = NORMAL`, statistics for the query \
            planner); a one-second tick for what comes without a message. Each worker runs one \
            task at a time and fetches 4 at a time, as Celery's do by default (the example \
            fetches one: its tasks take seconds). CPython: Celery on the same Redis, as broker \
            and result backend, `celery worker --concurrency 2` with its defaults, \
            `group(...).get()` (`benches/python/celery_queue.py`; needs \
            `pip install \"celery[redis]\"`, else its cells read —). A run of 10,000 takes \
            seconds, so both sides give the median of 3 runs, not criterion's; a round trip is \
            the median of 30. Next to them, the local `Pool(2).map` of the same tasks, one \
            task's round trip on an idle queue (`.delay(1).get()`), and the CPU time the \
            workers and the submitter use in 10 s with nothing queued (Linux' `/proc`). The \
            Redis is a `redis-server` the report starts on a loopback port. apalis-redis 1.0 \
            fails every fetch once more than about 8,000 pushed tasks wait (Lua's `unpack` \
            limit in its `fetch_next.lua`), so the Rust submitter keeps at most 4,000 \
            unfinished.",
        rows: &[
            both(
                "Pool(2).map, chunk size 1: one machine, no broker",
                "pool_map/chunk_size_1",
            ),
            Row {
                label: "SQLite queue (apalis), 10,000 tasks",
                rust: Some("task_queue/sqlite/10k"),
                python: None,
            },
            both(
                "Redis queue (Rust: apalis; CPython: Celery), 10,000 tasks",
                "task_queue/redis/10k",
            ),
            Row {
                label: "SQLite queue, one task's round trip",
                rust: Some("task_queue/sqlite/one"),
                python: None,
            },
            both("Redis queue, one task's round trip", "task_queue/redis/one"),
        ],
        ratios: &[
            Ratio {
                name: "SQLite queue / Pool(2).map",
                of: "task_queue/sqlite/10k",
                per: Per::Run("pool_map/chunk_size_1"),
            },
            Ratio {
                name: "Redis queue / Pool(2).map",
                of: "task_queue/redis/10k",
                per: Per::Run("pool_map/chunk_size_1"),
            },
            Ratio {
                name: "SQLite queue / Redis queue",
                of: "task_queue/sqlite/10k",
                per: Per::Run("task_queue/redis/10k"),
            },
        ],
        marker: None,
        per_task: &[
            PerTask {
                label: "Pool(2).map, chunk size 1",
                id: "pool_map/chunk_size_1",
                tasks: 10_000.0,
            },
            PerTask {
                label: "SQLite queue",
                id: "task_queue/sqlite/10k",
                tasks: 10_000.0,
            },
            PerTask {
                label: "Redis queue",
                id: "task_queue/redis/10k",
                tasks: 10_000.0,
            },
        ],
        idle: &[
            Idle {
                label: "SQLite queue, a worker",
                id: "task_queue/sqlite/idle_worker",
            },
            Idle {
                label: "SQLite queue, the submitter",
                id: "task_queue/sqlite/idle_submitter",
            },
            Idle {
                label: "Redis queue, a worker",
                id: "task_queue/redis/idle_worker",
            },
            Idle {
                label: "Redis queue, the submitter",
                id: "task_queue/redis/idle_submitter",
            },
        ],
    },
];

/// Figures that come from a program of their own rather than from criterion: the task queue
/// bench prints its medians as the CPython scripts do.
pub fn from_criterion(id: &str) -> bool {
    !id.starts_with("task_queue/")
}

/// The criterion benches under `benches/benches/`; `task_queue` is run on its own.
pub const CRITERION_BENCHES: &[&str] = &["countdown", "gil", "io", "process", "pool"];

/// The CPython scripts under `benches/python/`, in the order the report runs them.
pub const PYTHON_SCRIPTS: &[&str] = &[
    "countdown.py",
    "gil.py",
    "io.py",
    "process.py",
    "pool.py",
    "celery_queue.py",
];

/// Figures a script may leave out: Celery's, when it is not installed.
pub fn optional(id: &str) -> bool {
    id.starts_with("task_queue/")
}
