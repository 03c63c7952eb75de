//! The exercises, in the tutorial's order. Plain data: `build.rs` reads this file too.
//!
//! Exercise `name` lives in `exercises/<name>/`: `starter.rs` (what the learner starts from),
//! `solution.rs`, and one `wrong-<answer>.rs` per kept wrong answer. The book's page for it is
//! `book/<lang>/exercises/<name>.md`.

/// What grades an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grader {
    /// loom runs the learner's types in every interleaving of a small program.
    Model,
    /// The learner's program runs, recorded: the timeline says what overlapped.
    Timeline,
    /// The learner's program runs: its output lines, in order, and its timeline.
    Output,
}

/// A wrong answer kept beside the solution, which the grader must reject.
#[derive(Debug)]
pub struct Wrong {
    /// `wrong-<name>.rs`
    pub name: &'static str,
    /// A piece of the grader's report that says why it is wrong.
    pub rejected_with: &'static str,
}

#[derive(Debug)]
pub struct Exercise {
    /// The folder's name, and the page's.
    pub name: &'static str,
    pub grader: Grader,
    /// The book page of the tutorial's section, under `book/<lang>/`.
    pub section: &'static str,
    /// The example the exercise builds on.
    pub example: &'static str,
    /// A piece of the grader's report on the starting file.
    pub starter_rejected_with: &'static str,
    pub wrong: &'static [Wrong],
}

const fn wrong(name: &'static str, rejected_with: &'static str) -> Wrong {
    Wrong {
        name,
        rejected_with,
    }
}

pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "processes-overlap",
        grader: Grader::Timeline,
        section: "001/processes.md",
        example: "process_long_time_task",
        starter_rejected_with: "ran in the parent process",
        wrong: &[
            wrong("join-each", "never overlapped"),
            wrong("threads", "ran in the parent process"),
        ],
    },
    Exercise {
        name: "threads-overlap",
        grader: Grader::Timeline,
        section: "001/threads.md",
        example: "thread_long_time_task",
        starter_rejected_with: "ran on the main thread",
        wrong: &[
            wrong("join-each", "never overlapped"),
            wrong("no-join", "2 sleeps expected"),
        ],
    },
    Exercise {
        name: "event",
        grader: Grader::Model,
        section: "001/event.md",
        example: "event_traffic_light",
        starter_rejected_with: "not yet implemented",
        wrong: &[
            wrong("no-notify", "deadlock"),
            wrong("notify-one", "deadlock"),
            wrong("check-outside-lock", "deadlock"),
        ],
    },
    Exercise {
        name: "balance",
        grader: Grader::Model,
        section: "002/balance.md",
        example: "balance_lock",
        starter_rejected_with: "balance is",
        wrong: &[
            wrong("lock-each-step", "balance() returned"),
            wrong("atomic-steps", "balance() returned"),
        ],
    },
    Exercise {
        name: "semaphore",
        grader: Grader::Model,
        section: "002/primitives.md",
        example: "semaphore",
        starter_rejected_with: "not yet implemented",
        wrong: &[
            wrong("over-release", "inside a Semaphore(1)"),
            wrong("off-by-one", "inside a Semaphore(1)"),
            wrong("no-wake", "deadlock"),
        ],
    },
    Exercise {
        name: "deadlock",
        grader: Grader::Model,
        section: "002/thread-safety.md",
        example: "deadlock",
        starter_rejected_with: "deadlock",
        wrong: &[
            wrong("both-reversed", "deadlock"),
            wrong("one-at-a-time", "the audit saw"),
        ],
    },
    Exercise {
        name: "task-done",
        grader: Grader::Model,
        section: "002/queues.md",
        example: "queue_task_done",
        starter_rejected_with: "not yet implemented",
        wrong: &[
            wrong("join-on-empty", "join() returned"),
            wrong("no-notify", "deadlock"),
            wrong("if-not-while", "a thread panicked: an item, once woken"),
        ],
    },
    Exercise {
        name: "blocking-call",
        grader: Grader::Timeline,
        section: "002/asyncio.md",
        example: "run_in_executor",
        starter_rejected_with: "no tick ended",
        wrong: &[
            wrong("thread-join", "no tick ended"),
            wrong("await-first", "no tick ended"),
        ],
    },
    Exercise {
        name: "async-sleeps",
        grader: Grader::Timeline,
        section: "002/asyncio-tasks.md",
        example: "gather_tasks",
        starter_rejected_with: "at most 1 at once",
        wrong: &[
            wrong("spawn-blocking", "threads"),
            wrong("join-each", "at most 1 at once"),
        ],
    },
    Exercise {
        name: "idempotent-task",
        grader: Grader::Model,
        section: "002/celery.md",
        example: "task_queue",
        starter_rejected_with: "applied twice",
        wrong: &[
            wrong("check-then-insert", "applied twice"),
            wrong("insert-after-apply", "applied twice"),
        ],
    },
    Exercise {
        name: "cpu-split",
        grader: Grader::Output,
        section: "004/gil.md",
        example: "gil_sum",
        starter_rejected_with: "never overlapped",
        wrong: &[
            wrong("join-each", "never overlapped"),
            wrong("off-by-one", "line 1 differs"),
        ],
    },
    Exercise {
        name: "pool-order",
        grader: Grader::Output,
        section: "004/pool.md",
        example: "pool_map",
        starter_rejected_with: "not yet implemented",
        wrong: &[
            wrong("unordered", "line 1 differs"),
            wrong("apply-in-a-loop", "one task at a time"),
        ],
    },
];
