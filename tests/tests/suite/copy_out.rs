//! The copying-out notes at the top of the example packages' `Cargo.toml` are true: examples
//! taken out of the workspace, with exactly the replacements the notes name, build on their
//! own, and the process example runs, with `multiprocessing` as a path dependency and nothing
//! else of the workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package sits inside the workspace")
        .to_owned()
}

/// `text` with every call `name(…)` replaced by `replace(…)`, the argument kept.
fn replace_calls(text: &str, name: &str, replace: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(name) {
        out.push_str(&rest[..start]);
        let after = &rest[start + name.len()..];
        let mut depth = 0;
        let end = after
            .char_indices()
            .find_map(|(index, c)| {
                match c {
                    '(' => depth += 1,
                    ')' if depth == 1 => return Some(index),
                    ')' => depth -= 1,
                    _ => {}
                }
                None
            })
            .expect("a call's parentheses close");
        out.push_str(&replace(&after[1..end]));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The replacements the notes name, applied to one example's source.
fn copied_out(source: &str) -> String {
    let source = source
        .replace("    shared::example::start();\n", "")
        .replace("shared::example::start_with()", "clap::Parser::parse()");
    let source = replace_calls(&source, "shared::pace::tokio_sleep_secs", |secs| {
        format!("tokio::time::sleep(std::time::Duration::from_secs_f64({secs}))")
    });
    let source = replace_calls(&source, "shared::pace::sleep_secs", |secs| {
        format!("std::thread::sleep(std::time::Duration::from_secs_f64({secs}))")
    });
    let source = replace_calls(&source, "shared::pace::scaled", str::to_owned);
    let source = replace_calls(&source, "shared::color::paint", |arguments| {
        let (_, text) = arguments.split_once(", ").expect("paint(code, text)");
        text.to_owned()
    });
    assert!(
        !source.contains("shared::") && !source.contains("cfg(") && !source.contains("model check"),
        "a `shared` call or a cfg the notes do not name:\n{source}"
    );
    source
}

#[test]
fn examples_copied_out_with_the_notes_replacements_build_and_the_process_one_runs() {
    let workspace = workspace();
    let project = tempfile::tempdir().expect("cannot make a project directory");
    let manifest = format!(
        r#"[package]
name = "copied-out"
version = "0.1.0"
edition = "2024"

[workspace]

[dependencies]
multiprocessing = {{ path = "{}" }}
anyhow = "1"
clap = {{ version = "4", features = ["derive"] }}
tokio = {{ version = "1", features = ["rt", "time", "macros"] }}
tracing = "0.1"

# The workspace's profile for dependencies, so that its built ones are reused.
[profile.dev]
debug = "line-tables-only"
[profile.dev.package."*"]
debug = false
"#,
        workspace.join("multiprocessing").display()
    );
    std::fs::write(project.path().join("Cargo.toml"), manifest).unwrap();
    // The workspace's lock file pins the same versions, so its built dependencies are reused.
    std::fs::copy(
        workspace.join("Cargo.lock"),
        project.path().join("Cargo.lock"),
    )
    .unwrap();
    let bin = project.path().join("src/bin");
    std::fs::create_dir_all(&bin).unwrap();
    for example in [
        "examples-processes/src/bin/process_hello.rs",
        "examples-threads/src/bin/event_traffic_light.rs",
        "examples-threads/src/bin/timer.rs",
        "examples-async/src/bin/speak_async.rs",
    ] {
        let source = std::fs::read_to_string(workspace.join(example)).unwrap();
        // A name of their own: they are built next to the workspace's examples.
        let name = Path::new(example).file_name().unwrap().to_string_lossy();
        std::fs::write(bin.join(format!("copied_{name}")), copied_out(&source)).unwrap();
    }

    // The workspace's own target directory, so that its built dependencies are reused.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    let build = tests::cargo()
        .args(["build", "--quiet", "--bins"])
        .args((!cfg!(debug_assertions)).then_some("--release"))
        .current_dir(project.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cannot run cargo");
    assert!(
        build.status.success(),
        "the copied-out examples do not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let run = Command::new(target.join(profile).join("copied_process_hello"))
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("cannot run the copied-out process_hello");
    assert!(run.status.success(), "{run:?}");
    assert_eq!(String::from_utf8_lossy(&run.stdout), "hello bob\n");
}
