//! Numbers as a reader wants them: durations with their unit, ratios with a ×.

/// `0.0412` → `41.2 ms`: three significant digits, in s, ms, µs or ns.
pub fn duration(secs: f64) -> String {
    let (value, unit) = if secs >= 1.0 {
        (secs, "s")
    } else if secs >= 1e-3 {
        (secs * 1e3, "ms")
    } else if secs >= 1e-6 {
        (secs * 1e6, "µs")
    } else {
        (secs * 1e9, "ns")
    };
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
}

/// How much faster `fast` is than `slow`: `41×`, `1.9×`; two digits under 10.
pub fn times(ratio: f64) -> String {
    if ratio >= 10.0 {
        format!("{ratio:.0}×")
    } else {
        format!("{ratio:.2}×")
    }
}

/// `360995.4` → `361,000`: a rate, to three significant digits, with thousands separated.
pub fn rate(per_sec: f64) -> String {
    let digits = per_sec.max(1.0).log10().floor() as i32;
    let unit = 10f64.powi((digits - 2).max(0));
    let rounded = ((per_sec / unit).round() * unit) as u64;
    let text = rounded.to_string();
    let mut out = String::new();
    for (index, digit) in text.chars().enumerate() {
        if index > 0 && (text.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `0.00306` (CPU seconds per second) → `0.31%` of a core: two significant digits.
pub fn percent(share: f64) -> String {
    let value = share * 100.0;
    let decimals = if value >= 10.0 {
        0
    } else if value >= 1.0 {
        1
    } else {
        (1 - value.max(1e-6).log10().floor() as i32).max(0) as usize
    };
    format!("{value:.decimals$}%")
}

/// A ratio of times: two decimals under 10, one under 100, none above.
pub fn ratio(value: f64) -> String {
    match value {
        v if v >= 100.0 => format!("{v:.0}"),
        v if v >= 10.0 => format!("{v:.1}"),
        v => format!("{v:.2}"),
    }
}

/// `Rust` against `CPython`, in the words a reader expects: `Rust 41× faster`.
pub fn versus(rust: f64, python: f64) -> String {
    if rust <= python {
        format!("Rust {} faster", times(python / rust))
    } else {
        format!("Rust {} slower", times(rust / python))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_three_significant_digits() {
        assert_eq!(duration(2.5), "2.50 s");
        assert_eq!(duration(0.0412), "41.2 ms");
        assert_eq!(duration(0.000_137_3), "137 µs");
        assert_eq!(duration(8.5e-9), "8.50 ns");
    }

    #[test]
    fn rates_and_ratios_keep_what_a_reader_compares() {
        assert_eq!(rate(360_995.4), "361,000");
        assert_eq!(rate(3727.0), "3,730");
        assert_eq!(rate(438.2), "438");
        assert_eq!(ratio(823.74), "824");
        assert_eq!(ratio(75.58), "75.6");
        assert_eq!(ratio(0.514), "0.51");
    }

    #[test]
    fn shares_of_a_core_keep_two_significant_digits() {
        assert_eq!(percent(0.003_063), "0.31%");
        assert_eq!(percent(0.000_968), "0.097%");
        assert_eq!(percent(0.052), "5.2%");
        assert_eq!(percent(0.5), "50%");
    }

    #[test]
    fn ratios_read_as_faster_or_slower() {
        assert_eq!(versus(0.05, 2.0), "Rust 40× faster");
        assert_eq!(versus(0.06, 0.05), "Rust 1.20× slower");
        assert_eq!(times(1.956), "1.96×");
    }
}
