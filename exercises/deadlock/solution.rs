//! Exercise 6, a solution: every thread takes the two locks in the same order, the account
//! with the smaller id first, so no two threads can each hold the lock the other waits for.

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
    // The same order as `audit`'s, whichever way the money goes.
    let (mut taken_from, mut given_to) = if from.id < to.id {
        let taken_from = from.balance.lock().unwrap();
        (taken_from, to.balance.lock().unwrap())
    } else {
        let given_to = to.balance.lock().unwrap();
        (from.balance.lock().unwrap(), given_to)
    };
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
