//! The benchmark report: the tutorial's workloads in Rust and in CPython, side by side.
//!
//! `cargo run --release -p benches --bin report` runs the criterion benches of this package
//! (`benches/*.rs`) and the CPython scripts (`python/*.py`) on the same machine, then writes
//! `BENCHMARKS.md` at the workspace root and the chart it shows, `benches/chart.svg`.
//!
//! - [`workloads`]: which Rust benchmark and which CPython figure measure the same thing;
//! - [`results`]: reading criterion's medians and the scripts' JSON;
//! - [`goals`]: the goals of the GIL chapter, measured, and why each was met or missed;
//! - [`machine`], [`format`](mod@format), [`chart`], [`markdown`]: the report itself;
//! - [`timeline_svg`]: a run's timeline as a picture, for the book (`--bin timelines`).

pub mod chart;
pub mod format;
pub mod goals;
pub mod machine;
pub mod markdown;
pub mod results;
pub mod timeline_svg;
pub mod workloads;
