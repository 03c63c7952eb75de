//! Every grader, graded: for each exercise, its solution passes, its starting file fails with
//! the report it should give, and every kept wrong answer fails for its own reason. A grader
//! that let a wrong answer through, or a solution that no longer passes, fails here.
//!
//! These grade the shipped files (`grade` is built around them), never a learner's copy.

use exercises::{EXERCISES, Exercise, Verdict, grade};

fn graded(exercise: &Exercise, variant: &str) -> Verdict {
    grade(env!("CARGO_BIN_EXE_grade").as_ref(), exercise, variant)
        .unwrap_or_else(|error| panic!("{} {variant}: {error:#}", exercise.name))
}

/// Grades the solution, the starter and the wrong answers of the exercise called `name`.
fn graders_of(name: &str) {
    let exercise = exercises::find(name).expect("an exercise of the catalog");
    let solution = graded(exercise, "solution");
    assert!(
        solution.passed,
        "{name}: the solution fails:\n{}",
        solution.report
    );
    let starter = graded(exercise, "starter");
    assert!(
        !starter.passed,
        "{name}: the starting file passes:\n{}",
        starter.report
    );
    assert!(
        starter.report.contains(exercise.starter_rejected_with),
        "{name}: the starting file fails, but the report does not say {:?}:\n{}",
        exercise.starter_rejected_with,
        starter.report
    );
    for wrong in exercise.wrong {
        let variant = format!("wrong-{}", wrong.name);
        let verdict = graded(exercise, &variant);
        assert!(
            !verdict.passed,
            "{name}: {variant} passes:\n{}",
            verdict.report
        );
        assert!(
            verdict.report.contains(wrong.rejected_with),
            "{name}: {variant} fails, but the report does not say {:?}:\n{}",
            wrong.rejected_with,
            verdict.report
        );
    }
}

/// One test per exercise, named after it, so that a failure names the exercise.
macro_rules! exercises {
    ($($test:ident: $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                graders_of($name);
            }
        )*

        #[test]
        fn every_exercise_has_its_test() {
            let tested = [$($name),*];
            let catalog: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
            assert_eq!(tested.as_slice(), catalog.as_slice());
        }
    };
}

exercises! {
    processes_overlap: "processes-overlap",
    threads_overlap: "threads-overlap",
    event: "event",
    balance: "balance",
    semaphore: "semaphore",
    deadlock: "deadlock",
    task_done: "task-done",
    blocking_call: "blocking-call",
    async_sleeps: "async-sleeps",
    idempotent_task: "idempotent-task",
    cpu_split: "cpu-split",
    pool_order: "pool-order",
}

/// Each starting file is the one the learner gets: it exists, and so does every kept answer.
#[test]
fn every_file_of_the_catalog_exists() {
    for exercise in EXERCISES {
        let mut files = vec!["starter".to_owned(), "solution".to_owned()];
        files.extend(exercise.wrong.iter().map(|w| format!("wrong-{}", w.name)));
        for file in files {
            let path = exercise.shipped(&file);
            assert!(path.is_file(), "{} is missing", path.display());
        }
        let folder = exercises::root().join(exercise.name);
        let on_disk = std::fs::read_dir(&folder)
            .expect("the exercise's folder")
            .count();
        assert_eq!(
            on_disk,
            2 + exercise.wrong.len(),
            "{}: a file that the catalog does not name, which nothing grades",
            folder.display()
        );
    }
}
