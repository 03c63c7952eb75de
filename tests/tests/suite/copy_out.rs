//! `cargo run -p copy-out -- <binary> DIR` writes an example as a project of its own that builds
//! and runs. Here, a copy has no plumbing left and says where it came from; `.ci/run` builds
//! every example copied out, which takes minutes, and runs one of each package against its
//! transcript (`every_example_copied_out_builds`).

use std::path::{Path, PathBuf};

/// The copies share one target directory, inside the workspace's, so that their dependencies
/// compile once, and once only across runs.
fn copies_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| tests::workspace().join("target"), PathBuf::from)
        .join("copy-out")
}

fn build(project: &Path) {
    let build = tests::cargo()
        .args(["build", "--quiet"])
        .current_dir(project)
        .env("CARGO_TARGET_DIR", copies_target())
        // Whether it builds is the question, not how it debugs: without debug info the 61 builds,
        // one after another (a shared target directory takes one cargo at a time), took 241 s
        // instead of 338 s on two cores.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .output()
        .expect("cannot run cargo");
    assert!(
        build.status.success(),
        "{} does not build:\n{}",
        project.display(),
        String::from_utf8_lossy(&build.stderr)
    );
}

fn transcript(binary: &str) -> PathBuf {
    tests::workspace()
        .join(tests::package_of(binary))
        .join("src/bin")
        .join(format!("{binary}.md"))
}

#[test]
fn a_copied_example_has_no_plumbing_left_and_says_where_it_came_from() {
    let project = tempfile::tempdir().expect("cannot make a project directory");
    let dir = project.path().join("event_traffic_light");
    let copied = std::process::Command::new(tests::binary("copy-out"))
        .args(["event_traffic_light".as_ref(), dir.as_os_str()])
        .output()
        .expect("cannot run copy-out");
    assert!(copied.status.success(), "{copied:?}");
    assert_eq!(
        String::from_utf8_lossy(&copied.stdout),
        format!(
            "wrote event_traffic_light (examples-threads) to {}; run it with: cd {} && cargo run\n",
            dir.display(),
            dir.display()
        )
    );
    let main = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
    assert!(!main.contains("shared::"), "{main}");
    assert!(main.contains("//! Run: `cargo run`"), "{main}");
    // Pacing is a plain sleep, colour the plain text.
    assert!(
        main.contains("thread::sleep(std::time::Duration::from_secs_f64(1.0));"),
        "{main}"
    );
    assert!(
        main.contains("println!(\"{}\", \"green light is on...\");"),
        "{main}"
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("\n[dependencies]\nanyhow = \""),
        "{manifest}"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        readme.contains("`examples-threads/src/bin/event_traffic_light.rs`")
            && readme.contains("`cargo run`"),
        "{readme}"
    );
    assert!(dir.join("Cargo.lock").exists());

    // Not over a project: one line, exit code 2.
    let again = tests::example("copy-out")
        .args_vec(&["event_traffic_light".to_owned(), dir.display().to_string()])
        .run();
    assert_eq!(
        again.bad_input(),
        format!(
            "copy-out: {} is not empty: choose another directory, or delete it first",
            dir.display()
        )
    );
    let unknown = tests::example("copy-out").args(["no_such_example"]).run();
    assert!(
        unknown.bad_input().starts_with(
            "copy-out: no example named \"no_such_example\"; the examples: async_in_process, "
        ),
        "{unknown:?}"
    );
}

/// Minutes: `.ci/run` runs it (`cargo test --workspace --test suite -- --ignored copy_out`).
#[test]
#[ignore = "builds all 61 examples copied out, for minutes; .ci/run runs it"]
fn every_example_copied_out_builds() {
    let projects = tempfile::tempdir().expect("cannot make a directory for the projects");
    let copied = std::process::Command::new(tests::binary("copy-out"))
        .arg("--all")
        .arg(projects.path())
        .output()
        .expect("cannot run copy-out");
    assert!(copied.status.success(), "{copied:?}");
    let names = tests::binary_names();
    for binary in &names {
        build(&projects.path().join(binary));
    }
    // One of each package, and a network example with the loopback server it takes along, run
    // as a reader would run them (a copy has no time scale: these are short ones). process_hello
    // has `multiprocessing` as a path dependency.
    for binary in [
        "process_hello",
        "thread_results",
        "balance_lock",
        "speak_async",
        "task_queue",
        "fetch_two",
    ] {
        let executable = copies_target().join("debug").join(binary);
        tests::transcript::check_executable(&transcript(binary), &executable);
    }
}
