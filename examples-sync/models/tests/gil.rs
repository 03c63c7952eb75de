//! `gil_simulated`'s `Gil`, under shuttle's random scheduler (`check_random`), with switch
//! intervals that pass at moments the checker picks (`models::timed`): two threads that run
//! `decrement` both finish, whatever the schedule, through forced hand-overs too; and two
//! threads that take and drop the GIL are never inside it together; and a holder that lets go
//! on request (a forced switch) gets it back only after the waiter has had it.
//!
//! Random, not exhaustive: a waiter whose interval has passed loops, so the schedules have no
//! bound for `check_dfs`; `check_random` runs a fixed number of them, each replayable.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use models::Executions;
use models::gil::{Gil, decrement};
use shuttle::sync::Arc;
use shuttle::thread;

const SCHEDULES: usize = 20_000;

#[test]
fn two_decrementing_threads_finish_and_some_schedules_force_a_hand_over() {
    static EXECUTIONS: Executions = Executions::new();
    static FORCED: AtomicUsize = AtomicUsize::new(0);
    shuttle::check_random(
        || {
            EXECUTIONS.start();
            let gil = Arc::new(Gil::new(Duration::from_millis(5)));
            let other = Arc::clone(&gil);
            let t2 = thread::spawn(move || decrement(&other, 3));
            decrement(&gil, 3);
            t2.join().unwrap();
            if gil.forced_switches() > 0 {
                FORCED.fetch_add(1, SeqCst);
            }
        },
        SCHEDULES,
    );
    let forced = FORCED.load(SeqCst);
    println!(
        "GIL: 2 threads × decrement(3), {} random schedules, {forced} with a forced hand-over",
        EXECUTIONS.count()
    );
    assert!(forced > 0, "the checker reached the forced hand-over");
}

#[test]
fn no_two_threads_hold_the_gil_at_once() {
    shuttle::check_random(
        || {
            let gil = Arc::new(Gil::new(Duration::from_millis(5)));
            // std's atomic: shuttle switches only at its own operations and the yield.
            let inside = Arc::new(AtomicBool::new(false));
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let (gil, inside) = (Arc::clone(&gil), Arc::clone(&inside));
                    thread::spawn(move || {
                        for _ in 0..2 {
                            gil.take();
                            assert!(!inside.swap(true, SeqCst), "two threads hold the GIL");
                            thread::yield_now();
                            inside.store(false, SeqCst);
                            gil.drop_gil(false);
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
        },
        SCHEDULES,
    );
}

#[test]
fn a_forced_drop_hands_the_gil_over_before_the_holder_retakes_it() {
    shuttle::check_random(
        || {
            let gil = Arc::new(Gil::new(Duration::from_millis(5)));
            gil.take();
            // Started while the GIL is held, so it is the waiter the forced drop is for.
            let took = Arc::new(AtomicBool::new(false));
            let waiter = {
                let (gil, took) = (Arc::clone(&gil), Arc::clone(&took));
                thread::spawn(move || {
                    gil.take();
                    took.store(true, SeqCst);
                    gil.drop_gil(false);
                })
            };
            gil.drop_gil(true);
            gil.take();
            assert!(took.load(SeqCst), "the holder took the GIL straight back");
            gil.drop_gil(false);
            waiter.join().unwrap();
        },
        SCHEDULES,
    );
}
