//! A learner's session on a fresh clone, as a new user has it: `list` makes the copies, `check`
//! grades one (the starting file fails, a right answer passes, a file that does not compile
//! says so), `list` marks what passed, `show` and `hint` read the book's page.
//!
//! It builds the runner as a learner does (`cargo run -p exercises`), with the features cargo
//! resolves for this package alone, not the whole workspace's: heavier than the test command,
//! so `.ci/run` runs it (`cargo test -p exercises -- --ignored session`).

use std::path::Path;
use std::process::Output;

fn runner(mine: &Path, args: &[&str]) -> Output {
    shared::cargo::command()
        .current_dir(exercises::root())
        .args(["run", "--quiet", "-p", "exercises", "--"])
        .args(args)
        .env("EXERCISES_MINE", mine)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("cargo runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
#[ignore = "builds the runner as a learner does; .ci/run runs it"]
fn list_edit_check() {
    let mine = tempfile::tempdir().expect("a temporary folder");
    let mine = mine.path();

    let listed = runner(mine, &["list"]);
    assert!(listed.status.success(), "{listed:?}");
    let text = stdout(&listed);
    for exercise in exercises::EXERCISES {
        let line = format!("·{:>3}  {}", exercise.number(), exercise.name);
        assert!(text.contains(&line), "`{line}` missing from:\n{text}");
        let copy = mine.join(format!("{:02}-{}.rs", exercise.number(), exercise.name));
        assert!(copy.is_file(), "list made no {}", copy.display());
    }
    let semaphore = exercises::find("semaphore").expect("in the catalog");
    let copy = mine.join("05-semaphore.rs");
    assert_eq!(
        std::fs::read_to_string(&copy).expect("list made the copy"),
        std::fs::read_to_string(semaphore.shipped("starter")).unwrap()
    );

    let checked = runner(mine, &["check", "5"]);
    let text = stdout(&checked);
    assert_eq!(checked.status.code(), Some(1), "{text}");
    assert!(
        text.contains("✗ semaphore: a thread panicked: not yet implemented"),
        "{text}"
    );
    assert!(text.contains("in interleaving 1, which went:"), "{text}");

    std::fs::copy(semaphore.shipped("solution"), &copy).unwrap();
    let checked = runner(mine, &["check", "semaphore"]);
    let text = stdout(&checked);
    assert!(checked.status.success(), "{text}");
    assert!(text.contains("✔ semaphore: passed in all"), "{text}");
    assert!(stdout(&runner(mine, &["list"])).contains("✔  5  semaphore"));

    // An edit after the check: the mark goes until the next check.
    let mut edited = std::fs::read_to_string(&copy).unwrap();
    edited.push_str("\n// an edit\n");
    std::fs::write(&copy, edited).unwrap();
    assert!(stdout(&runner(mine, &["list"])).contains("·  5  semaphore"));

    std::fs::write(mine.join("02-threads-overlap.rs"), "fn main() { nope }\n").unwrap();
    let checked = runner(mine, &["check", "2"]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(
        stdout(&checked).contains("does not compile"),
        "{}",
        stdout(&checked)
    );
    assert!(String::from_utf8_lossy(&checked.stderr).contains("cannot find value `nope`"));

    let shown = stdout(&runner(mine, &["show", "5", "--lang", "zh"]));
    assert!(shown.starts_with("# 练习 5："), "{shown}");
    let hints = stdout(&runner(mine, &["hint", "5", "--lang", "en"]));
    assert!(hints.starts_with("Hint 1"), "{hints}");
    let wrong = runner(mine, &["check", "13"]);
    assert_eq!(wrong.status.code(), Some(2));
}
