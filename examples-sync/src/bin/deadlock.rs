//! Two threads take two locks in opposite orders and deadlock; parking_lot's detector sees it.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section
//! 多线程环境下对资源的操作需要考虑线程安全问题 (kill a thread that holds a lock and the program
//! deadlocks). Python API: `threading.Lock`, which cannot tell. Rust cannot kill a thread; a
//! lock-order deadlock is the one it can still make.
//!
//! Run: `cargo run -p examples-sync --bin deadlock` (`-- --ordered`: one lock order for both)
//!
//! What to watch for: each thread holds its first lock and waits for the other's, for ever. The
//! detector reports the cycle and ends the program with exit code 1. With `--ordered` both take
//! `A` before `B`: one waits for the other, both finish, exit code 0.
//!
//! Rust differences: no lock can be taken back from a thread, in Rust or Python; only the
//! program can end. parking_lot's `deadlock_detection` feature tracks who holds and who waits for
//! every parking_lot lock, as std's `Mutex` does not, and `check_deadlock` returns the cycles.

use std::process::ExitCode;
use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use parking_lot::{Mutex, MutexGuard, deadlock};

/// Two transfers between two accounts, each under both accounts' locks.
#[derive(clap::Parser)]
struct Args {
    /// Both threads take the locks in one global order (A, then B): no cycle can form.
    #[arg(long)]
    ordered: bool,
}

fn main() -> ExitCode {
    let args: Args = shared::example::start_with();
    // Not joined: it runs until it finds a deadlock, or the program ends without one.
    thread::spawn(report_deadlocks);

    let accounts = [Mutex::new(100), Mutex::new(100)];
    // One story on every run: each asks for its second lock once both have asked for their first.
    let both_asked = Barrier::new(2);
    // Moves `amount` between two accounts. Ordered, it locks `A` first whichever way it moves.
    let transfer = |me: &str, (from, to): (usize, usize), amount: i64| {
        let (first, second) = if args.ordered {
            (from.min(to), from.max(to))
        } else {
            (from, to)
        };
        let mut held_first = lock(&accounts, first, me, Some(&both_asked));
        let mut held_second = lock(&accounts, second, me, None);
        let taken_from_first = if first == from { amount } else { -amount };
        *held_first -= taken_from_first;
        *held_second += taken_from_first;
        println!("{me} 把 {amount} 从 {} 转到 {}", NAMES[from], NAMES[to]);
        // Unlocked in the reverse order (the second first): whoever gets A next finds B free.
    };
    thread::scope(|scope| {
        scope.spawn(|| transfer("t1", (0, 1), 10));
        scope.spawn(|| transfer("t2", (1, 0), 20));
    });
    let [a, b] = accounts.map(Mutex::into_inner);
    println!("A = {a}, B = {b}");
    ExitCode::SUCCESS
}

const NAMES: [&str; 2] = ["A", "B"];

/// Takes an account's lock, saying so (or first that it waits); meets the other thread at `asked`.
fn lock<'a>(
    accounts: &'a [Mutex<i64>; 2],
    account: usize,
    me: &str,
    asked: Option<&Barrier>,
) -> MutexGuard<'a, i64> {
    let name = NAMES[account];
    // Tried and said under stdout's lock: the lines come in the order the locks were tried.
    let stdout = std::io::stdout().lock();
    let guard = accounts[account].try_lock();
    let what = if guard.is_some() { "持有" } else { "等待" };
    println!("{me} {what} {name}");
    drop(stdout);
    if let Some(asked) = asked {
        asked.wait();
    }
    guard.unwrap_or_else(|| {
        let guard = accounts[account].lock();
        println!("{me} 持有 {name}");
        guard
    })
}

/// Polls every 50 ms (no tutorial sleep, so unpaced); a deadlock found ends the program.
fn report_deadlocks() {
    loop {
        thread::sleep(Duration::from_millis(50));
        if let Some(cycle) = deadlock::check_deadlock().first() {
            println!("死锁：{} 个线程互相等待对方持有的锁", cycle.len());
            shared::cli::exit_with(1, "检测到死锁，程序无法继续，退出");
        }
    }
}
