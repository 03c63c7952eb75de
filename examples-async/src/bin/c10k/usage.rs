//! What each row measures: time, and the memory high-water marks Linux keeps per process
//! (`/proc/self/status`), which is why every row runs in a process of its own.

use std::time::Instant;

use anyhow::Context as _;
use ipc_channel::ipc::IpcSender;
use serde::{Deserialize, Serialize};

/// What a child measured, in KiB where it is memory (Linux: `/proc/self/status`).
#[derive(Serialize, Deserialize)]
pub struct Usage {
    pub secs: f64,
    pub rss_at_start: u64,
    pub peak_rss: u64,
    pub peak_virtual: u64,
}

/// Runs `work`, then reports its time and this process's memory high-water marks.
pub fn measured(
    report: IpcSender<Usage>,
    work: impl FnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let rss_at_start = status_kib("VmRSS:")?;
    let start = Instant::now();
    work()?;
    report.send(Usage {
        secs: start.elapsed().as_secs_f64(),
        rss_at_start,
        peak_rss: status_kib("VmHWM:")?,
        peak_virtual: status_kib("VmPeak:")?,
    })?;
    Ok(())
}

pub fn print_row(label: &str, count: u32, usage: &Usage) {
    let mib = |kib: u64| kib as f64 / 1024.0;
    let each = (usage.peak_rss.saturating_sub(usage.rss_at_start) * 1024) / u64::from(count);
    println!(
        "{label:<12} {count:>6} {:>6.2} s {:>6.1} MiB {each:>8} B {:>9.1} MiB",
        usage.secs,
        mib(usage.peak_rss),
        mib(usage.peak_virtual)
    );
}

pub fn status_kib(field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status").context("this needs Linux")?;
    let value = status.lines().find_map(|line| {
        let kib = line.strip_prefix(field)?.trim().strip_suffix(" kB")?;
        kib.parse().ok()
    });
    value.with_context(|| format!("no {field} in /proc/self/status"))
}
