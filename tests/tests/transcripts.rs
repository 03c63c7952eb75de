//! Every example's transcript, `src/bin/<name>.md` beside its source, matches a real run (the
//! format: `tests/src/transcript.rs`). One test per package, so that they run side by side.

use std::path::{Path, PathBuf};

fn check_package(package: &str) {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(package)
        .join("src/bin");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&bin)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
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
fn the_sync_examples_print_their_transcripts() {
    check_package("examples-sync");
}
