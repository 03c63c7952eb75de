//! Exercise 6: two transfers in opposite directions, without a deadlock.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section
//! 多线程环境下对资源的操作需要考虑线程安全问题 (死锁); example `deadlock`.
//!
//! `transfer` locks the account it takes from, then the one it gives to. When one thread moves
//! money from a to b while another moves money from b to a, each can hold its first lock and
//! wait for ever for the other's. Change `transfer` so that this cannot happen, while the money
//! still moves under both locks: `audit`, which reads both accounts under both locks, must
//! always find all of it.
//!
//! Check: `cargo run -p exercises -- check 6` (loom runs it in every interleaving: two transfers
//! in opposite directions while a third thread audits).

use std::sync::Mutex;

pub struct Account {
    id: u32,
    balance: Mutex<i64>,
}

impl Account {
    pub fn new(id: u32, balance: i64) -> Self {
        Self {
            id,
            balance: Mutex::new(balance),
        }
    }

    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

/// Moves `amount` from `from` to `to`.
pub fn transfer(from: &Account, to: &Account, amount: i64) {
    let mut taken_from = from.balance.lock().unwrap();
    let mut given_to = to.balance.lock().unwrap();
    *taken_from -= amount;
    *given_to += amount;
}

/// The money in both accounts, read under both locks, the account with the smaller id first.
pub fn audit(a: &Account, b: &Account) -> i64 {
    let (first, second) = if a.id < b.id { (a, b) } else { (b, a) };
    let first = first.balance.lock().unwrap();
    let second = second.balance.lock().unwrap();
    *first + *second
}
