//! The bad-input contract that `shared` gives every example: one line on stderr, exit code 2.
//! (`every_example.rs` checks one bad flag and one bad scale on every binary; this file checks the
//! whole range of bad values on one binary with flags and one without.)

use tests::example;

#[test]
fn an_invalid_time_scale_stops_the_example_with_one_line() {
    for bad in ["abc", "-1", "NaN", "inf", "1e300", "101"] {
        // `event_traffic_light` parses flags, `timer` takes none: both check the scale first.
        for binary in ["timer", "event_traffic_light"] {
            let run = example(binary).env("EXAMPLES_TIME_SCALE", bad).run();
            let line = run.bad_input();
            assert_eq!(
                line,
                format!(
                    "{binary}: EXAMPLES_TIME_SCALE must be a number from 0 to 100, such as 1 or 0.05 (got \"{bad}\")"
                )
            );
        }
    }
}

#[test]
fn an_example_without_flags_rejects_any_argument() {
    for bad in [["--foo"], ["extra"]] {
        let run = example("timer").args(bad).run();
        assert_eq!(
            run.bad_input(),
            format!("timer: unexpected argument '{}' found (see --help)", bad[0])
        );
    }
}

#[test]
fn help_is_not_an_error() {
    let run = example("timer").args(["--help"]).run().success();
    assert!(run.stdout.contains("Usage: timer"), "{}", run.stdout);
}
