//! Exercise 6, a wrong answer: one lock at a time. Nothing waits for ever, but between the two
//! steps the money is in neither account, and an audit then finds some missing.

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
    *from.balance.lock().unwrap() -= amount;
    *to.balance.lock().unwrap() += amount;
}

/// The money in both accounts, read under both locks, the account with the smaller id first.
pub fn audit(a: &Account, b: &Account) -> i64 {
    let (first, second) = if a.id < b.id { (a, b) } else { (b, a) };
    let first = first.balance.lock().unwrap();
    let second = second.balance.lock().unwrap();
    *first + *second
}
