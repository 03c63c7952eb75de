//! Runs one exercise file as its grader needs: `EXERCISE=<name> EXERCISE_VARIANT=<variant>`.
//!
//! A file graded by loom: runs the exercise's model over the file's type, prints the verdict,
//! and exits 0 if it passed, 1 if not. A program: runs its `main` (the runner records it and
//! judges the timeline and the output). The runner (`cargo run -p exercises -- check N`) and the
//! tests start this program; build.rs decides which files it holds.

use std::process::ExitCode;

/// Implements the model's trait for the file's type, by the file's own functions, and runs the
/// model. (A build around one learner's program does not use it.)
#[allow(unused_macros)]
macro_rules! model {
    (event, $m:ident) => {{
        impl exercises::model::Event for $m::Event {
            fn new() -> Self {
                $m::Event::new()
            }
            fn set(&self) {
                $m::Event::set(self)
            }
            fn clear(&self) {
                $m::Event::clear(self)
            }
            fn is_set(&self) -> bool {
                $m::Event::is_set(self)
            }
            fn wait(&self) {
                $m::Event::wait(self)
            }
        }
        exercises::model::event::<$m::Event>
    }};
    (semaphore, $m:ident) => {{
        impl exercises::model::Semaphore for $m::Semaphore {
            fn new(permits: usize) -> Self {
                $m::Semaphore::new(permits)
            }
            fn acquire(&self) {
                $m::Semaphore::acquire(self)
            }
            fn release(&self) {
                $m::Semaphore::release(self)
            }
        }
        exercises::model::semaphore::<$m::Semaphore>
    }};
    (balance, $m:ident) => {{
        impl exercises::model::Bank for $m::Bank {
            fn new() -> Self {
                $m::Bank::new()
            }
            fn change_it(&self, n: i64) {
                $m::Bank::change_it(self, n)
            }
            fn balance(&self) -> i64 {
                $m::Bank::balance(self)
            }
        }
        exercises::model::balance::<$m::Bank>
    }};
    (deadlock, $m:ident) => {{
        impl exercises::model::Account for $m::Account {
            fn new(id: u32, balance: i64) -> Self {
                $m::Account::new(id, balance)
            }
            fn balance(&self) -> i64 {
                $m::Account::balance(self)
            }
            fn transfer(from: &Self, to: &Self, amount: i64) {
                $m::transfer(from, to, amount)
            }
            fn audit(a: &Self, b: &Self) -> i64 {
                $m::audit(a, b)
            }
        }
        exercises::model::deadlock::<$m::Account>
    }};
    (task_done, $m:ident) => {{
        impl exercises::model::JoinableQueue for $m::JoinableQueue<u32> {
            fn new() -> Self {
                $m::JoinableQueue::new()
            }
            fn put(&self, item: u32) {
                $m::JoinableQueue::put(self, item)
            }
            fn get(&self) -> u32 {
                $m::JoinableQueue::get(self)
            }
            fn task_done(&self) {
                $m::JoinableQueue::task_done(self)
            }
            fn join(&self) {
                $m::JoinableQueue::join(self)
            }
        }
        exercises::model::task_done::<$m::JoinableQueue<u32>>
    }};
    (idempotent_task, $m:ident) => {{
        impl exercises::model::Ledger for $m::Ledger {
            fn new() -> Self {
                $m::Ledger::new()
            }
            fn handle(&self, task_id: u64, amount: i64) {
                $m::Ledger::handle(self, task_id, amount)
            }
            fn balance(&self) -> i64 {
                $m::Ledger::balance(self)
            }
        }
        exercises::model::idempotent_task::<$m::Ledger>
    }};
}

/// A file ready to grade. (A build around one learner's file uses one of the two.)
#[allow(dead_code)]
enum Graded {
    /// The exercise's model, over the file's type.
    Model(fn() -> exercises::Verdict),
    /// The file's `main`.
    Program(fn() -> anyhow::Result<()>),
}

include!(concat!(env!("OUT_DIR"), "/variants.rs"));

fn main() -> ExitCode {
    let var = |name| std::env::var(name).unwrap_or_default();
    let (exercise, variant) = (var("EXERCISE"), var("EXERCISE_VARIANT"));
    let Some(graded) = dispatch(&exercise, &variant) else {
        eprintln!(
            "grade: no file {variant:?} of exercise {exercise:?} in this build (set EXERCISE and \
             EXERCISE_VARIANT; the runner does: cargo run -p exercises -- check N)"
        );
        return ExitCode::from(2);
    };
    match graded {
        Graded::Model(model) => {
            let _ = exercises::model::FILE_NAMES.set(shown);
            let verdict = model();
            println!("{}", shown(&verdict.report));
            if verdict.passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Graded::Program(main) => {
            std::panic::set_hook(Box::new(|info| {
                let at = info.location().map_or(String::new(), |at| {
                    format!(" at {}:{}:{}", shown(at.file()), at.line(), at.column())
                });
                let text = multiprocessing::plumbing::panic_text(info.payload()).unwrap_or("");
                let thread = std::thread::current();
                let name = thread.name().unwrap_or("<unnamed>");
                eprintln!("thread '{name}' panicked{at}:\n{text}");
            }));
            match main() {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("Error: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `text` with each copy's path replaced by the path of the file it was copied from.
fn shown(text: &str) -> String {
    SOURCES.iter().fold(text.to_owned(), |text, (copy, file)| {
        text.replace(copy, file)
    })
}
