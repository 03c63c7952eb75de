//! Reading the medians: criterion's `estimates.json` files, and the CPython scripts' JSON line.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context as _, bail};
use serde_json::Value;

/// A median time, in seconds, with criterion's 95% confidence interval for it (for CPython's
/// figures, which are one median of a few batches, the interval is the median itself), and
/// the fastest and slowest run time among criterion's samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Median {
    pub secs: f64,
    pub low: f64,
    pub high: f64,
    pub fastest: f64,
    pub slowest: f64,
}

impl Median {
    pub fn exact(secs: f64) -> Self {
        Self {
            secs,
            low: secs,
            high: secs,
            fastest: secs,
            slowest: secs,
        }
    }

    /// Whether the two confidence intervals overlap: the difference may be noise.
    pub fn overlaps(&self, other: &Median) -> bool {
        self.low <= other.high && other.low <= self.high
    }
}

/// Every median of one run of the report, keyed by benchmark id (`countdown/one_thread`).
#[derive(Debug, Default)]
pub struct Results {
    pub rust: BTreeMap<String, Median>,
    pub python: BTreeMap<String, f64>,
}

impl Results {
    pub fn rust(&self, id: &str) -> anyhow::Result<Median> {
        self.rust
            .get(id)
            .copied()
            .with_context(|| format!("no Rust median for {id}"))
    }

    pub fn python(&self, id: &str) -> anyhow::Result<f64> {
        self.python
            .get(id)
            .copied()
            .with_context(|| format!("no CPython median for {id}"))
    }
}

/// Reads the median of benchmark `id` from `<criterion_dir>/<id>/new/estimates.json`, and the
/// range of its samples from `sample.json` beside it.
///
/// With `not_before`, a file last written before that time is an error: its figure would come
/// from an earlier run, not from the one the report just made.
pub fn read_criterion(
    criterion_dir: &Path,
    id: &str,
    not_before: Option<SystemTime>,
) -> anyhow::Result<Median> {
    let path = criterion_dir.join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (did `cargo bench` run {id}?)", path.display()))?;
    if let Some(start) = not_before
        && std::fs::metadata(&path)?.modified()? < start
    {
        bail!("{} is older than this run", path.display());
    }
    let mut median =
        parse_estimates(&text).with_context(|| format!("reading {}", path.display()))?;
    let path = path.with_file_name("sample.json");
    let samples = std::fs::read_to_string(&path)
        .map_err(anyhow::Error::from)
        .and_then(|text| parse_samples(&text))
        .with_context(|| format!("reading {}", path.display()))?;
    (median.fastest, median.slowest) = samples;
    Ok(median)
}

/// The fastest and slowest time of one run among criterion's samples (`sample.json`: each
/// sample's total time in nanoseconds and its number of runs).
pub fn parse_samples(json: &str) -> anyhow::Result<(f64, f64)> {
    let samples: Value = serde_json::from_str(json)?;
    let numbers = |key: &str| -> anyhow::Result<Vec<f64>> {
        samples
            .get(key)
            .and_then(Value::as_array)
            .with_context(|| format!("no {key}"))?
            .iter()
            .map(|number| {
                number
                    .as_f64()
                    .with_context(|| format!("{key}: not a number"))
            })
            .collect()
    };
    let per_run = numbers("times")?
        .into_iter()
        .zip(numbers("iters")?)
        .map(|(nanos, runs)| nanos / runs / 1e9);
    let (fastest, slowest) = per_run.fold((f64::MAX, f64::MIN), |(fastest, slowest), secs| {
        (fastest.min(secs), slowest.max(secs))
    });
    anyhow::ensure!(fastest <= slowest, "no samples");
    Ok((fastest, slowest))
}

/// The median and its confidence interval from criterion's `estimates.json` (nanoseconds).
pub fn parse_estimates(json: &str) -> anyhow::Result<Median> {
    let estimates: Value = serde_json::from_str(json)?;
    let nanos = |pointer: &str| {
        estimates
            .pointer(pointer)
            .and_then(Value::as_f64)
            .with_context(|| format!("no {pointer}"))
    };
    let secs = nanos("/median/point_estimate")? / 1e9;
    Ok(Median {
        low: nanos("/median/confidence_interval/lower_bound")? / 1e9,
        high: nanos("/median/confidence_interval/upper_bound")? / 1e9,
        ..Median::exact(secs)
    })
}

/// The JSON object on the last non-empty line of a CPython script's stdout: id → seconds.
pub fn parse_python(stdout: &str) -> anyhow::Result<BTreeMap<String, f64>> {
    let line = stdout
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .context("the script printed nothing on stdout")?;
    Ok(serde_json::from_str(line)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_median_and_its_interval_in_seconds() -> anyhow::Result<()> {
        let json = r#"{"mean":{"point_estimate":9.0},"median":{"confidence_interval":
            {"confidence_level":0.95,"lower_bound":1.5e6,"upper_bound":2.5e6},
            "point_estimate":2.0e6,"standard_error":1.0}}"#;
        assert_eq!(
            parse_estimates(json)?,
            Median {
                low: 0.0015,
                high: 0.0025,
                ..Median::exact(0.002)
            }
        );
        assert!(parse_estimates(r#"{"mean":{}}"#).is_err());
        Ok(())
    }

    #[test]
    fn sample_times_are_per_run() -> anyhow::Result<()> {
        let json = r#"{"sampling_mode":"Flat","iters":[2.0,4.0],"times":[6.0e9,8.0e9]}"#;
        assert_eq!(parse_samples(json)?, (2.0, 3.0));
        assert!(parse_samples(r#"{"iters":[],"times":[]}"#).is_err());
        Ok(())
    }

    #[test]
    fn takes_the_last_line_of_a_scripts_output() -> anyhow::Result<()> {
        let parsed = parse_python("warming up\n{\"gil/one_thread\": 3.5}\n\n")?;
        assert_eq!(parsed.get("gil/one_thread"), Some(&3.5));
        assert!(parse_python("\n").is_err());
        Ok(())
    }

    #[test]
    fn intervals_that_touch_overlap() {
        let a = Median {
            low: 0.9,
            high: 1.1,
            ..Median::exact(1.0)
        };
        assert!(a.overlaps(&Median::exact(1.1)));
        assert!(!a.overlaps(&Median::exact(1.2)));
    }
}
