//! `timer`'s `Timer`, under shuttle, in every schedule (`check_dfs`), with the deadline a point of
//! the schedule (`models::timed`): the timer fires or is cancelled, never both, its action runs
//! at most once, and `cancel` says truly which happened. Both outcomes occur.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use models::Executions;
use models::timer::Timer;
use shuttle::sync::Arc;

#[test]
fn cancel_reports_truly_whether_the_action_ran() {
    static EXECUTIONS: Executions = Executions::new();
    static FIRED: AtomicUsize = AtomicUsize::new(0);
    static CANCELLED: AtomicUsize = AtomicUsize::new(0);
    shuttle::check_dfs(
        || {
            EXECUTIONS.start();
            let runs = Arc::new(shuttle::sync::atomic::AtomicUsize::new(0));
            let counted = Arc::clone(&runs);
            let timer = Timer::start(Duration::from_secs(5), move || {
                counted.fetch_add(1, SeqCst);
            })
            .unwrap();
            let fired = timer.cancel();
            assert_eq!(runs.load(SeqCst), usize::from(fired));
            let outcome = if fired { &FIRED } else { &CANCELLED };
            outcome.fetch_add(1, SeqCst);
        },
        None,
    );
    let (fired, cancelled) = (FIRED.load(SeqCst), CANCELLED.load(SeqCst));
    println!(
        "Timer: a timer and a canceller, {} executions: {fired} fired first, {cancelled} cancelled first",
        EXECUTIONS.count()
    );
    assert!(
        fired > 0 && cancelled > 0,
        "the checker explored both outcomes"
    );
}

#[test]
fn a_timer_nobody_cancels_fires_once() {
    shuttle::check_dfs(
        || {
            let runs = Arc::new(shuttle::sync::atomic::AtomicUsize::new(0));
            let counted = Arc::clone(&runs);
            let timer = Timer::start(Duration::from_secs(1), move || {
                counted.fetch_add(1, SeqCst);
            })
            .unwrap();
            assert!(timer.join());
            assert_eq!(runs.load(SeqCst), 1);
        },
        None,
    );
}
