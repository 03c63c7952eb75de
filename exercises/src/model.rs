//! Grading by loom: a small program drives the learner's type from two or three threads, and
//! loom runs it once per interleaving (every one, with at most a few preemptions). An assertion
//! that fails, a panic, or a deadlock (every thread waiting) in any of them fails the exercise,
//! and the report shows that schedule as steps per thread, in the exercise's own terms.
//!
//! Each program is sized so that the usual wrong answers fail it: one permit and three threads
//! for the semaphore (so that a release that frees two lets two in), two waiters for the event (so
//! that `notify_one` leaves one behind), an audit between two transfers, and so on. The kept wrong
//! answers in `exercises/<name>/wrong-*.rs` prove it: `cargo test -p exercises` grades them.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, PoisonError};

use loom::sync::Arc;
use loom::sync::atomic::AtomicI64;
use loom::thread;

use crate::Verdict;

/// Every interleaving with at most this many preemptions (a thread switched out while it could
/// go on), unless a model needs more: each wrong answer kept beside a solution is caught within
/// two, but for a `get` that checks with `if` (three).
const PREEMPTIONS: usize = 2;

/// The steps of the execution loom is running: (thread, what it did). loom runs one thread at a
/// time, so a std `Mutex` here orders the steps as they happened.
static STEPS: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
/// How the report names a file: `grade` maps its copies back to the files they came from.
pub static FILE_NAMES: std::sync::OnceLock<fn(&str) -> String> = std::sync::OnceLock::new();

/// Records a step of thread `thread` (0 is the model's main thread).
fn step(thread: usize, what: impl Into<String>) {
    STEPS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((thread, what.into()));
}

/// Runs `model` in every interleaving; passes if none fails. A failure (an assertion, a panic
/// in the learner's code, or loom's report of a deadlock) is printed with its schedule, and the
/// process exits with code 1: loom stops at the first failure, and a panic that unwinds through
/// its threads can abort the process before anything else could report it.
fn check(threads: usize, preemptions: usize, model: impl Fn() + Sync + Send + 'static) -> Verdict {
    static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);
    std::panic::set_hook(Box::new(move |info| {
        let text = multiprocessing::plumbing::panic_text(info.payload()).unwrap_or("a panic");
        let mut report = if text.starts_with("deadlock") {
            "deadlock: every thread is waiting, and none of them will wake the others".to_owned()
        } else if info
            .location()
            .is_some_and(|at| at.file().ends_with("src/model.rs"))
        {
            text.to_owned() // the model's own finding
        } else if let Some(at) = info.location() {
            let name = FILE_NAMES
                .get()
                .map_or_else(|| at.file().to_owned(), |f| f(at.file()));
            format!("a thread panicked: {text} (at {name}:{})", at.line())
        } else {
            text.to_owned()
        };
        let steps = std::mem::take(&mut *STEPS.lock().unwrap_or_else(PoisonError::into_inner));
        let _ = write!(
            report,
            "\n\nin interleaving {}, which went:\n{}",
            EXECUTIONS.load(SeqCst),
            render(threads, &steps)
        );
        println!("{report}");
        std::process::exit(1);
    }));
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(preemptions);
    builder.check(move || {
        EXECUTIONS.fetch_add(1, SeqCst);
        STEPS.lock().unwrap_or_else(PoisonError::into_inner).clear();
        model();
    });
    let _ = std::panic::take_hook();
    Verdict::pass(format!(
        "passed in all {} interleavings loom tried (every one with at most {preemptions} \
         preemptions)",
        EXECUTIONS.load(SeqCst)
    ))
}

/// The steps as a table: one column per thread, one row per step, in the order they happened.
fn render(threads: usize, steps: &[(usize, String)]) -> String {
    const WIDTH: usize = 26;
    let mut table = String::new();
    for thread in 0..threads {
        let name = if thread == 0 {
            "main".to_owned()
        } else {
            format!("thread {thread}")
        };
        let _ = write!(table, "{name:<WIDTH$}");
    }
    table = table.trim_end().to_owned();
    for (thread, what) in steps {
        table.push('\n');
        table.push_str(&" ".repeat(thread * WIDTH));
        table.push_str(what);
    }
    if steps.is_empty() {
        table.push_str("\n(no step was taken)");
    }
    table
}

/// Joins a model thread, passing its panic on (loom then reports it, with this schedule).
fn join<T>(handle: thread::JoinHandle<T>) -> T {
    handle
        .join()
        .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
}

/// The `event` exercise: Python's `threading.Event`.
pub trait Event: Send + Sync + 'static {
    fn new() -> Self;
    fn set(&self);
    fn clear(&self);
    fn is_set(&self) -> bool;
    fn wait(&self);
}

/// Two threads wait while the main thread sets the event: both must return, whenever they
/// started waiting; `clear` and `is_set` must agree with `set`.
pub fn event<E: Event>() -> Verdict {
    check(3, PREEMPTIONS, || {
        let event = Arc::new(E::new());
        assert!(!event.is_set(), "is_set() is true on a new Event");
        let waiters: Vec<_> = (1..=2)
            .map(|me| {
                let event = Arc::clone(&event);
                thread::spawn(move || {
                    step(me, "wait() …");
                    event.wait();
                    step(me, "… wait() returned");
                })
            })
            .collect();
        step(0, "set() …");
        event.set();
        step(0, "… set() returned");
        assert!(event.is_set(), "is_set() is false right after set()");
        for waiter in waiters {
            join(waiter);
        }
        step(0, "clear()");
        event.clear();
        assert!(!event.is_set(), "is_set() is true right after clear()");
    })
}

/// The `semaphore` exercise: Python's `threading.Semaphore`, `acquire` and `release`.
pub trait Semaphore: Send + Sync + 'static {
    fn new(permits: usize) -> Self;
    fn acquire(&self);
    fn release(&self);
}

/// Three threads share a semaphore of one permit: never two inside, and everyone gets in.
pub fn semaphore<S: Semaphore>() -> Verdict {
    check(4, PREEMPTIONS, || {
        let semaphore = Arc::new(S::new(1));
        // std's atomic: loom switches threads only at its own operations, so this count is exact.
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (1..=3)
            .map(|me| {
                let (semaphore, inside) = (Arc::clone(&semaphore), Arc::clone(&inside));
                thread::spawn(move || {
                    step(me, "acquire() …");
                    semaphore.acquire();
                    let now = inside.fetch_add(1, SeqCst) + 1;
                    step(me, format!("… inside ({now} in)"));
                    assert!(now <= 1, "{now} threads inside a Semaphore(1)");
                    thread::yield_now();
                    inside.fetch_sub(1, SeqCst);
                    step(me, "release()");
                    semaphore.release();
                })
            })
            .collect();
        for thread in threads {
            join(thread);
        }
    })
}

/// The `balance` exercise: the tutorial's `change_it`, which must leave the balance at 0.
pub trait Bank: Send + Sync + 'static {
    fn new() -> Self;
    fn change_it(&self, n: i64);
    fn balance(&self) -> i64;
}

/// Two threads change the balance while the main thread reads it: every read, and the end,
/// must find 0, since each `change_it` adds and takes away the same amount.
pub fn balance<B: Bank>() -> Verdict {
    check(3, PREEMPTIONS, || {
        let bank = Arc::new(B::new());
        let threads: Vec<_> = [(1, 5), (2, 8)]
            .into_iter()
            .map(|(me, n)| {
                let bank = Arc::clone(&bank);
                thread::spawn(move || {
                    step(me, format!("change_it({n}) …"));
                    bank.change_it(n);
                    step(me, format!("… change_it({n}) done"));
                })
            })
            .collect();
        let seen = bank.balance();
        step(0, format!("balance() → {seen}"));
        assert!(seen == 0, "balance() returned {seen} while the threads ran");
        for thread in threads {
            join(thread);
        }
        let end = bank.balance();
        step(0, format!("balance() → {end}"));
        assert!(end == 0, "the balance is {end} after both threads, not 0");
    })
}

/// The `deadlock` exercise: a transfer between two accounts, each behind its own lock.
pub trait Account: Send + Sync + 'static {
    fn new(id: u32, balance: i64) -> Self;
    fn balance(&self) -> i64;
    /// Moves `amount` from `from` to `to`.
    fn transfer(from: &Self, to: &Self, amount: i64);
    /// The money in both accounts, read under both locks.
    fn audit(a: &Self, b: &Self) -> i64;
}

/// Two transfers in opposite directions, and an audit while they run: nobody may wait for ever,
/// no money may be seen missing, and the balances must end right.
pub fn deadlock<A: Account>() -> Verdict {
    check(3, PREEMPTIONS, || {
        let (a, b) = (Arc::new(A::new(1, 100)), Arc::new(A::new(2, 100)));
        let threads: Vec<_> = [(1, 10), (2, 20)]
            .into_iter()
            .map(|(me, amount)| {
                let (a, b) = (Arc::clone(&a), Arc::clone(&b));
                thread::spawn(move || {
                    let (from, to, names) = if me == 1 {
                        (a, b, "a → b")
                    } else {
                        (b, a, "b → a")
                    };
                    step(me, format!("transfer({names}, {amount}) …"));
                    A::transfer(&from, &to, amount);
                    step(me, format!("… transfer({names}) done"));
                })
            })
            .collect();
        let total = A::audit(&a, &b);
        step(0, format!("audit() → {total}"));
        assert!(
            total == 200,
            "the audit saw {total}, not 200: money in flight"
        );
        for thread in threads {
            join(thread);
        }
        let balances = (a.balance(), b.balance());
        assert!(
            balances == (110, 90),
            "the balances end as (a, b) = {balances:?}, not (110, 90)"
        );
    })
}

/// The `task-done` exercise: `queue.Queue` with `task_done` and `join`, of `u32` items.
pub trait JoinableQueue: Send + Sync + 'static {
    fn new() -> Self;
    fn put(&self, item: u32);
    fn get(&self) -> u32;
    fn task_done(&self);
    fn join(&self);
}

/// Two workers each take one item and mark it done; the main thread puts two items and joins:
/// `join` may return only when both are done.
pub fn task_done<Q: JoinableQueue>() -> Verdict {
    check(3, PREEMPTIONS + 1, || {
        let queue = Arc::new(Q::new());
        // loom's atomic: the main thread's read must see the workers' writes that came before it.
        let done = Arc::new(AtomicI64::new(0));
        let workers: Vec<_> = (1..=2)
            .map(|me| {
                let (queue, done) = (Arc::clone(&queue), Arc::clone(&done));
                thread::spawn(move || {
                    step(me, "get() …");
                    let item = queue.get();
                    step(me, format!("… got {item}"));
                    assert!(matches!(item, 1 | 2), "get() returned {item}, never put");
                    done.fetch_add(1, SeqCst);
                    step(me, "task_done()");
                    queue.task_done();
                })
            })
            .collect();
        for item in 1..=2 {
            step(0, format!("put({item})"));
            queue.put(item);
        }
        step(0, "join() …");
        queue.join();
        let done = done.load(SeqCst);
        step(0, format!("… join() returned, {done} done"));
        assert!(
            done == 2,
            "join() returned while {} item(s) were not done",
            2 - done
        );
        for worker in workers {
            join(worker);
        }
    })
}

/// The `idempotent-task` exercise: a task a queue may deliver twice.
pub trait Ledger: Send + Sync + 'static {
    fn new() -> Self;
    /// Runs task `task_id`, which pays `amount`.
    fn handle(&self, task_id: u64, amount: i64);
    fn balance(&self) -> i64;
}

/// Two workers run task 7 at once (delivered twice), the main thread runs task 8: each must be
/// applied once.
pub fn idempotent_task<L: Ledger>() -> Verdict {
    check(3, PREEMPTIONS, || {
        let ledger = Arc::new(L::new());
        let workers: Vec<_> = (1..=2)
            .map(|me| {
                let ledger = Arc::clone(&ledger);
                thread::spawn(move || {
                    step(me, "handle(task 7, 100) …");
                    ledger.handle(7, 100);
                    step(me, "… handled");
                })
            })
            .collect();
        step(0, "handle(task 8, 5)");
        ledger.handle(8, 5);
        for worker in workers {
            join(worker);
        }
        let balance = ledger.balance();
        step(0, format!("balance() → {balance}"));
        assert!(
            balance == 105,
            "balance {balance}, not 105: a task was applied twice, or not at all"
        );
    })
}
