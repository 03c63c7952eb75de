//! The asyncio chapter in tokio (package `examples-async`).

use tests::{assert_transcript, example, redact, str};

const SECS: (&str, &str) = (
    "[SECS]",
    r"^2 speakers took (?<redacted>\d+\.\d{2}) seconds$",
);

#[test]
fn speak_async_overlaps_two_speakers_on_one_thread() {
    let run = example("speak_async").run().success();
    // Both start before either finishes: each `await` hands the one thread to the other speaker.
    assert_transcript(
        &redact(&run.stdout, &[SECS]),
        str![[r#"
starting====
starting====
OMG asynchronicity!
OMG asynchronicity!
2 speakers took [SECS] seconds

"#]],
    );
}

#[test]
fn speak_async_blocking_runs_the_speakers_one_after_the_other() {
    let run = example("speak_async").args(["--blocking"]).run().success();
    // A blocking sleep never yields, so the second speaker cannot start until the first ends.
    assert_transcript(
        &redact(&run.stdout, &[SECS]),
        str![[r#"
starting====
OMG asynchronicity!
starting====
OMG asynchronicity!
2 speakers took [SECS] seconds

"#]],
    );
}

#[test]
fn speak_async_rejects_unknown_flags() {
    let run = example("speak_async").args(["--block"]).run();
    assert!(run.bad_input().contains("'--block'"));
}
