//! Two threads take two locks in opposite orders and deadlock; a wait-for graph finds the cycle.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section
//! 多线程环境下对资源的操作需要考虑线程安全问题 (kill a thread that holds a lock and the program
//! deadlocks). Python API: `threading.Lock`, which cannot tell. Rust cannot kill a thread; a
//! lock-order deadlock is the one it can still make.
//!
//! Run: `cargo run -p examples-sync --bin deadlock` (`-- --ordered`: one lock order for both)
//!
//! What to watch for: each thread holds its first lock and waits for the other's. The cycle is
//! printed, `t2` gives up, `t1` finishes, and the program exits with code 1. With `--ordered`
//! both take `A` before `B`: one waits for the other, both finish, exit code 0.
//!
//! Rust differences: std's `Mutex` has no deadlock detection. `Locks` keeps a wait-for graph (who
//! holds each lock, who waits for which) and tries `try_lock` again at each release; a cycle in
//! it is a deadlock, and one thread of it gives up, releasing its lock, as a database's lock
//! manager picks a victim (a killed thread would release nothing: hence the tutorial's warning).

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;
use std::sync::{Condvar, Mutex, MutexGuard, TryLockError};
use std::thread;

/// Two transfers between two accounts, each under both accounts' locks.
#[derive(clap::Parser)]
struct Args {
    /// Both threads take the locks in one global order (A, then B): no cycle can form.
    #[arg(long)]
    ordered: bool,
}

const NAMES: [&str; 2] = ["A", "B"];

fn main() -> ExitCode {
    let args: Args = shared::example::start_with();

    let locks = Locks {
        accounts: [Mutex::new(100), Mutex::new(100)],
        graph: Mutex::default(),
        changed: Condvar::new(),
    };
    let [t1, t2] = thread::scope(|scope| {
        let t1 = scope.spawn(|| transfer(&locks, "t1", (0, 1), 10, args.ordered));
        let t2 = scope.spawn(|| transfer(&locks, "t2", (1, 0), 20, args.ordered));
        [t1.join(), t2.join()]
    });
    let [a, b] = locks.accounts.map(|account| *account.lock().unwrap());
    println!("A = {a}, B = {b}");
    for transfer in [t1, t2] {
        // Giving up is how this program ends a deadlock, not a bug: its reason, no backtrace.
        if let Err(gave_up) = transfer.expect("a transfer thread panicked") {
            eprintln!("{gave_up}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// Moves `amount` between two accounts. Ordered, it locks `A` first whichever way it moves.
fn transfer(
    locks: &Locks,
    me: &'static str,
    (from, to): (usize, usize),
    amount: i64,
    ordered: bool,
) -> anyhow::Result<()> {
    let (first, second) = if ordered {
        (from.min(to), from.max(to))
    } else {
        (from, to)
    };
    // A thread that holds nothing cannot be part of a cycle, so it is never the one to give up.
    let first = locks
        .lock(me, first)
        .expect("a thread holding no lock is in no cycle");
    // So that each run prints the same story, not one that depends on timing: each thread asks
    // for its second lock only once both have asked for their first (holding it, or waiting).
    locks.wait_until_both_asked();
    let Some(second) = locks.lock(me, second) else {
        println!("{me} 放弃，释放 {}", NAMES[first.account]);
        anyhow::bail!("{me} 放弃了自己的锁，以打破死锁");
    };
    let mut held = [first, second];
    held.sort_by_key(|lock| lock.account);
    *held[from].balance() -= amount;
    *held[to].balance() += amount;
    println!("{me} 把 {amount} 从 {} 转到 {}", NAMES[from], NAMES[to]);
    // Released in the reverse order they were taken (B, then A): whoever gets A next finds B free.
    let [a, b] = held;
    drop(b);
    drop(a);
    Ok(())
}

/// The accounts' locks, and the wait-for graph over them.
struct Locks {
    accounts: [Mutex<i64>; 2],
    graph: Mutex<Graph>,
    /// Notified whenever the graph or a lock changes: a waiter looks again.
    changed: Condvar,
}

#[derive(Default)]
struct Graph {
    holder: BTreeMap<usize, &'static str>, // account → the thread holding its lock
    waits_for: BTreeMap<&'static str, usize>, // thread → the account it waits for
    asked: BTreeSet<&'static str>,         // threads that have asked for a lock
    victim: Option<&'static str>,
}

/// A held lock; dropping it leaves the graph and unlocks in one step, then wakes the waiters.
struct Held<'a> {
    account: usize,
    locks: &'a Locks,
    guard: Option<MutexGuard<'a, i64>>,
}

impl Held<'_> {
    fn balance(&mut self) -> &mut i64 {
        self.guard.as_mut().expect("held until dropped")
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        let mut graph = self.locks.graph.lock().unwrap();
        graph.holder.remove(&self.account);
        drop(self.guard.take()); // unlocked before a waiter can look, so no wake-up is lost
        self.locks.changed.notify_all();
    }
}

impl Locks {
    /// Takes an account's lock, or `None` if this thread is chosen to break a deadlock.
    fn lock(&self, me: &'static str, account: usize) -> Option<Held<'_>> {
        // Graph and lock change together, under the graph's lock: it is never out of date.
        let mut graph = self.graph.lock().unwrap();
        graph.asked.insert(me);
        self.changed.notify_all();
        loop {
            match self.accounts[account].try_lock() {
                Ok(guard) => {
                    graph.waits_for.remove(me);
                    graph.holder.insert(account, me);
                    println!("{me} 持有 {}", NAMES[account]);
                    return Some(Held {
                        account,
                        locks: self,
                        guard: Some(guard),
                    });
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Poisoned(_)) => panic!("a thread panicked holding a lock"),
            }
            if graph.waits_for.insert(me, account).is_none() {
                println!("{me} 等待 {}", NAMES[account]);
            }
            if graph.victim.is_none()
                && let Some(mut cycle) = graph.cycle_through(me)
            {
                cycle.sort_unstable();
                let edges: Vec<String> = cycle
                    .iter()
                    .map(|thread| {
                        let held = graph.holder.iter().find(|(_, holder)| *holder == thread);
                        let held = held.map_or_else(
                            || "不持有锁".to_owned(),
                            |(account, _)| format!("持有 {}", NAMES[*account]),
                        );
                        let wanted = NAMES[graph.waits_for[thread]];
                        format!("{thread} {held}，等待 {wanted}")
                    })
                    .collect();
                println!("死锁：{}", edges.join("；"));
                graph.victim = cycle.last().copied(); // the last of the cycle by name
                self.changed.notify_all();
            }
            if graph.victim == Some(me) {
                // Out of the graph, its lock released on return: the cycle is broken.
                graph.waits_for.remove(me);
                graph.victim = None;
                return None;
            }
            graph = self.changed.wait(graph).unwrap();
        }
    }

    fn wait_until_both_asked(&self) {
        let graph = self.graph.lock().unwrap();
        drop(
            self.changed
                .wait_while(graph, |graph| graph.asked.len() < 2)
                .unwrap(),
        );
    }
}

impl Graph {
    /// The threads met following "waits for the lock held by" from `start`, if that comes
    /// back to `start`: a cycle, in which every thread waits for the next.
    fn cycle_through(&self, start: &'static str) -> Option<Vec<&'static str>> {
        let mut cycle = vec![start];
        loop {
            let lock = self.waits_for.get(cycle.last()?)?;
            let next = *self.holder.get(lock)?;
            if next == start {
                return Some(cycle);
            }
            if cycle.contains(&next) || cycle.len() > self.waits_for.len() {
                return None; // a cycle that does not pass through `start`
            }
            cycle.push(next);
        }
    }
}
