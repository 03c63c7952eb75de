//! What the report says about the machine: a benchmark means little without it.

use std::process::Command;
use std::time::Duration;

/// The machine and tools one run of the report used. A field that cannot be read says
/// `unknown` rather than stopping the report.
#[derive(Debug, Clone)]
pub struct Machine {
    pub cpu: String,
    /// Cores this process may run on (`available_parallelism`: affinity and cgroup limits).
    pub cores: usize,
    pub kernel: String,
    pub rustc: String,
    pub python: String,
    /// `/proc/loadavg`'s 1, 5 and 15 minute averages when the run started (they include the
    /// build that preceded it).
    pub load: String,
    /// The share of all cores' time that was busy over a short while just before the benches
    /// started: other work competing for the cores skews parallel speedups first.
    pub busy: Option<f64>,
    /// UTC date and time of the run.
    pub date: String,
}

impl Machine {
    /// Whether other work was using more than a tenth of the machine as the benches started.
    pub fn was_busy(&self) -> bool {
        self.busy.is_some_and(|busy| busy > 0.1)
    }

    /// `3%`, or `unknown`.
    pub fn busy_text(&self) -> String {
        self.busy
            .map_or_else(unknown, |busy| format!("{:.0}%", busy * 100.0))
    }

    /// Measures [`Machine::busy`] over `period` (the report does it right before the benches).
    pub fn measure_busy(&mut self, period: Duration) {
        let before = cpu_times();
        std::thread::sleep(period);
        self.busy = before
            .zip(cpu_times())
            .and_then(|((idle0, total0), (idle1, total1))| {
                let total = total1.checked_sub(total0).filter(|&total| total > 0)?;
                Some(1.0 - idle1.saturating_sub(idle0) as f64 / total as f64)
            });
    }

    pub fn describe(python: &str) -> Self {
        let cpu = read("/proc/cpuinfo")
            .lines()
            .find_map(|line| line.strip_prefix("model name"))
            .and_then(|rest| rest.split_once(':'))
            .map_or_else(unknown, |(_, model)| model.trim().to_owned());
        let load = read("/proc/loadavg")
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        Self {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            kernel: first_line(read("/proc/sys/kernel/osrelease")),
            rustc: output(
                &std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()),
                &["--version"],
            ),
            python: output(python, &["--version"]),
            load: if load.is_empty() { unknown() } else { load },
            busy: None,
            date: output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        }
    }
}

/// Idle and total time of all cores so far, in clock ticks, from `/proc/stat`'s `cpu` line
/// (`user nice system idle iowait irq softirq steal ...`).
fn cpu_times() -> Option<(u64, u64)> {
    let stat = read("/proc/stat");
    let ticks: Vec<u64> = stat
        .lines()
        .next()?
        .strip_prefix("cpu ")?
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    // Guest time is already counted in user time.
    let total = ticks.iter().take(8).sum();
    let idle = ticks.get(3)? + ticks.get(4)?;
    Some((idle, total))
}

fn unknown() -> String {
    "unknown".to_owned()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn first_line(text: String) -> String {
    text.lines()
        .next()
        .map_or_else(unknown, |line| line.trim().to_owned())
}

/// The first line a command prints on stdout.
fn output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map_or_else(unknown, |output| {
            first_line(String::from_utf8_lossy(&output.stdout).into_owned())
        })
}
