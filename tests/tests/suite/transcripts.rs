//! Every example's transcript, `src/bin/<name>.md` beside its source, matches a real run (the
//! format: `tests/src/transcript.rs`). One test per package, so that they run side by side.

use std::path::PathBuf;

fn check_package(package: &str) {
    let bin = tests::workspace().join(package).join("src/bin");
    // A binary is `src/bin/<name>.rs`, or `src/bin/<name>/main.rs` with its modules beside it;
    // either way its transcript is `src/bin/<name>.md`.
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&bin)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension().is_some_and(|extension| extension == "rs")
                || path.join("main.rs").exists()
        })
        .collect();
    sources.sort();
    for source in sources {
        let transcript = source.with_extension("md");
        assert!(
            transcript.exists(),
            "{}: every example has its transcript beside it",
            transcript.display()
        );
        tests::transcript::check(&transcript);
    }
}

#[test]
fn the_process_examples_print_their_transcripts() {
    check_package("examples-processes");
}

#[test]
fn the_thread_examples_print_their_transcripts() {
    check_package("examples-threads");
}

#[test]
fn the_async_examples_print_their_transcripts() {
    check_package("examples-async");
}

#[test]
fn the_distributed_example_prints_its_transcripts() {
    check_package("examples-distributed");
}

#[test]
fn the_sync_examples_print_their_transcripts() {
    check_package("examples-sync");
}

/// The examples whose transcript is their only test: what they print is fixed, so the transcript
/// says it all. It must then leave nothing loose: no `[..]` and no `...`, only whole lines (in
/// groups where the order varies) and the placeholders of values that vary (a pid, a line number).
#[test]
fn examples_tested_by_their_transcript_alone_have_exact_transcripts() {
    for binary in [
        "balance_interleavings",
        "counter",
        "pipe_list",
        "pool_executor_map",
        "process_lifecycle",
        "process_subclass",
        "queue_add_one",
        "queue_basic",
        "queue_list",
        "thread_results",
    ] {
        let path = tests::source_of(binary).with_extension("md");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{binary}: {error}"));
        let runs = tests::transcript::parse(&text);
        assert!(!runs.is_empty(), "{binary}: no run");
        for run in runs {
            assert_eq!(run.binary, binary);
            for item in run.stdout.iter().chain(&run.stderr) {
                let lines = match item {
                    tests::transcript::Item::Line(line) => vec![line],
                    tests::transcript::Item::AnyOrder(lines) => lines.iter().collect(),
                    tests::transcript::Item::AnyLines => {
                        panic!("{binary}: `...` in its transcript")
                    }
                };
                for line in lines {
                    assert!(!line.contains("[..]"), "{binary}: `[..]` in {line:?}");
                }
            }
        }
    }
}
