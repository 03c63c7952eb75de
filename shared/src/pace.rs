//! Pacing: the tutorial's sleeps, scaled for tests.
//!
//! The tutorial sleeps to make concurrency visible (`time.sleep(2)` in two threads takes 2 s,
//! not 4 s). A reader should see those real seconds; the test suite should not wait for them.
//! Every tutorial sleep therefore goes through this module, which multiplies it by
//! `EXAMPLES_TIME_SCALE` (default `1.0`; the tests use about `0.05`).
//!
//! CPU work is never scaled: its cost is the lesson. Printed durations are always the real,
//! measured ones.

use std::ffi::OsStr;
use std::sync::OnceLock;
use std::time::Duration;

/// The environment variable that scales every paced sleep.
pub const TIME_SCALE_VAR: &str = "EXAMPLES_TIME_SCALE";

/// The largest accepted scale: a 2 s tutorial sleep becomes 200 s. Beyond it a run would take
/// days, which nobody means.
pub const MAX_TIME_SCALE: f64 = 100.0;

static SCALE: OnceLock<f64> = OnceLock::new();

/// The factor applied to every paced sleep.
///
/// Read from [`TIME_SCALE_VAR`] once per process. A value that is not a number from 0 to
/// [`MAX_TIME_SCALE`] ends the program with one line on stderr and exit code 2 (see [`crate::cli::exit_usage`]);
/// [`crate::example::start`] and [`crate::example::start_with`] check it before the example prints
/// anything.
pub fn scale() -> f64 {
    *SCALE.get_or_init(|| {
        parse_scale(std::env::var_os(TIME_SCALE_VAR).as_deref())
            .unwrap_or_else(|message| crate::cli::exit_usage(&message))
    })
}

/// `duration` multiplied by [`scale()`].
pub fn scaled(duration: Duration) -> Duration {
    duration.mul_f64(scale())
}

/// Blocks the current thread for `secs` tutorial seconds (`time.sleep(secs)`), scaled.
pub fn sleep_secs(secs: f64) {
    sleep(Duration::from_secs_f64(secs));
}

/// Blocks the current thread for `duration`, scaled; a `sleep` span on a timeline.
pub fn sleep(duration: Duration) {
    let _sleep = tracing::info_span!("sleep", secs = duration.as_secs_f64()).entered();
    std::thread::sleep(scaled(duration));
}

/// `asyncio.sleep(secs)`: a scaled [`tokio::time::sleep`], which yields to the runtime
/// instead of blocking the thread.
#[cfg(feature = "tokio")]
pub async fn tokio_sleep_secs(secs: f64) {
    // Held across the `await`, never entered: its life on a timeline is the sleep itself.
    let sleep = tracing::info_span!("sleep", secs);
    tokio::time::sleep(scaled(Duration::from_secs_f64(secs))).await;
    drop(sleep);
}

/// Parses the raw value of [`TIME_SCALE_VAR`]; unset or empty means `1.0`. A value that is not
/// a number from 0 to 100 is refused with the one-line message an example prints before exiting
/// with code 2 (`-1` → ``EXAMPLES_TIME_SCALE must be a number from 0 to 100, such as 1 or 0.05
/// (got "-1")``).
pub fn parse_scale(raw: Option<&OsStr>) -> Result<f64, String> {
    let Some(raw) = raw.filter(|raw| !raw.is_empty()) else {
        return Ok(1.0);
    };
    let invalid = || {
        format!(
            "{TIME_SCALE_VAR} must be a number from 0 to {MAX_TIME_SCALE}, such as 1 or 0.05 (got {raw:?})",
            raw = raw.to_string_lossy()
        )
    };
    let text = raw.to_str().ok_or_else(invalid)?;
    match text.trim().parse::<f64>() {
        Ok(value) if (0.0..=MAX_TIME_SCALE).contains(&value) => Ok(value),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<f64, String> {
        parse_scale(Some(OsStr::new(raw)))
    }

    #[test]
    fn unset_or_empty_is_real_time() {
        assert_eq!(parse_scale(None), Ok(1.0));
        assert_eq!(parse(""), Ok(1.0));
    }

    #[test]
    fn accepts_finite_non_negative_numbers() {
        assert_eq!(parse("0.05"), Ok(0.05));
        assert_eq!(parse(" 2 "), Ok(2.0));
        assert_eq!(parse("0"), Ok(0.0));
        assert_eq!(parse("100"), Ok(MAX_TIME_SCALE));
    }

    #[test]
    fn rejects_what_a_sleep_cannot_use() {
        for bad in [
            "abc", "-1", "NaN", "inf", "-inf", "1e300", "1,5", "100.5", "1e6",
        ] {
            let message = parse(bad).expect_err(bad);
            assert!(message.contains(TIME_SCALE_VAR), "{message}");
            assert!(message.contains(bad), "{message}");
            assert!(!message.contains('\n'), "one line: {message}");
        }
        assert_eq!(
            parse("-1").unwrap_err(),
            r#"EXAMPLES_TIME_SCALE must be a number from 0 to 100, such as 1 or 0.05 (got "-1")"#
        );
    }
}
