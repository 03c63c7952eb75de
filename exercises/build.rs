//! Builds the `grade` program around the files it grades: `OUT_DIR/variants.rs` declares one
//! module per file and the `dispatch` that `src/bin/grade.rs` calls.
//!
//! Which files: every shipped one (`exercises/<name>/{starter,solution,wrong-*}.rs`), or, with
//! the `learner` feature, the learner's copy (`EXERCISE_FILE`, in `exercises/mine/`) of the one
//! exercise `EXERCISE` names, as the runner sets them: a learner's unfinished file can only
//! break its own check. Each file is copied line for line, so that a panic's line number is the file's:
//! - a file graded by loom has `std::sync` and `std::thread` swapped for loom's
//!   (`exercises::loom_std`), so that loom decides every switch between its threads;
//! - a program gets a public way into its private `main`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

#[path = "src/catalog.rs"]
#[allow(dead_code)]
mod catalog;

use catalog::{EXERCISES, Exercise, Grader};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    println!("cargo::rerun-if-changed=src/catalog.rs");
    let mut files = Vec::new();
    if env::var_os("CARGO_FEATURE_LEARNER").is_some() {
        println!("cargo::rerun-if-env-changed=EXERCISE");
        println!("cargo::rerun-if-env-changed=EXERCISE_FILE");
        let name = env::var("EXERCISE").unwrap_or_default();
        let (Some(exercise), Some(file)) = (
            EXERCISES.iter().find(|e| e.name == name),
            env::var_os("EXERCISE_FILE"),
        ) else {
            panic!(
                "the learner feature builds around one file: set EXERCISE to the exercise's \
                 name and EXERCISE_FILE to the file (the runner does)"
            );
        };
        files.push((exercise, "mine".to_owned(), PathBuf::from(file)));
    } else {
        for exercise in EXERCISES {
            let mut variants = vec!["starter".to_owned(), "solution".to_owned()];
            variants.extend(exercise.wrong.iter().map(|w| format!("wrong-{}", w.name)));
            for variant in variants {
                let file = root.join(exercise.name).join(format!("{variant}.rs"));
                files.push((exercise, variant, file));
            }
        }
    }

    let mut modules = String::new();
    let mut arms = String::new();
    let mut sources = String::new();
    for (exercise, variant, file) in files {
        println!("cargo::rerun-if-changed={}", file.display());
        let source = fs::read_to_string(&file)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
        let module = format!("{}_{}", ident(exercise.name), ident(&variant));
        let copy = out.join(format!("{module}.rs"));
        fs::write(&copy, transform(exercise, &source)).expect("cannot write into OUT_DIR");
        let shown = file
            .strip_prefix(root.parent().unwrap_or(&root))
            .unwrap_or(&file);
        // A starting file is unfinished on purpose; the others are held to the workspace's lints.
        let allow = if variant == "starter" {
            "#[allow(unused, clippy::todo)]\n"
        } else {
            ""
        };
        let _ = writeln!(modules, "#[path = {copy:?}]\n{allow}mod {module};");
        let graded = match exercise.grader {
            Grader::Model => format!("Graded::Model(model!({}, {module}))", ident(exercise.name)),
            _ => format!("Graded::Program({module}::__exercise_main)"),
        };
        let _ = writeln!(
            arms,
            "        ({:?}, {variant:?}) => {graded},",
            exercise.name
        );
        let _ = writeln!(
            sources,
            "    ({:?}, {:?}),",
            copy.display().to_string(),
            shown.display().to_string()
        );
    }
    let variants = format!(
        "{modules}\n/// The file `EXERCISE` and `EXERCISE_VARIANT` name, ready to grade. (`model!` implements the\n\
         /// model's trait where it is used, for the one type it grades.)\n\
         #[allow(non_local_definitions)]\n\
         fn dispatch(exercise: &str, variant: &str) -> Option<Graded> {{\n    \
         Some(match (exercise, variant) {{\n{arms}        _ => return None,\n    }})\n}}\n\n\
         /// Each copy, and the file it was copied from.\n\
         const SOURCES: &[(&str, &str)] = &[\n{sources}];\n"
    );
    fs::write(out.join("variants.rs"), variants).expect("cannot write into OUT_DIR");
}

/// The copy of a file, line for line.
fn transform(exercise: &Exercise, source: &str) -> String {
    match exercise.grader {
        Grader::Model => {
            let mut copy = source
                .replace("std::sync::", "::exercises::loom_std::sync::")
                .replace("std::thread", "::exercises::loom_std::thread");
            if copy.contains("std::{") {
                copy.push_str(
                    "\ncompile_error!(\"the checker swaps std's threads and locks for loom's: \
                     import them on lines of their own, `use std::sync::…;` and \
                     `use std::thread;`, not through `use std::{…}`\");\n",
                );
            }
            copy
        }
        Grader::Timeline | Grader::Output => format!(
            "{source}\n/// How `grade` runs this program.\n\
             pub fn __exercise_main() -> anyhow::Result<()> {{\n    \
             ::exercises::IntoRun::into_run(main())\n}}\n"
        ),
    }
}

fn ident(name: &str) -> String {
    name.replace('-', "_")
}
