// The tutorial's `balance` (002, 多线程以及一些同步的问题): two threads change one number
// with no lock. Rust refuses: two threads would hold a mutable borrow of `balance` at once.
// The fixes: `balance_lock` (a Mutex owns it) or an atomic (`increment_not_atomic`).
use std::thread;

fn main() {
    let mut balance: i64 = 0;
    thread::scope(|scope| {
        scope.spawn(|| balance += 5);
        scope.spawn(|| balance -= 8);
    });
    println!("{balance}");
}
