//! A run's timeline (a Chrome trace from `EXAMPLES_TIMELINE=<file>`) as an SVG picture: a row
//! per lane, a bar wherever it was busy, coloured by what it was doing. Drawn with plotters.

use std::path::Path;

use anyhow::{Context as _, anyhow};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::Value;

const WIDTH: u32 = 900;
const ROW_PIXELS: u32 = 30;

/// What a bar stands for: the span names `shared::timeline` documents, and their colours.
const KINDS: [(&str, RGBColor); 7] = [
    ("sleep", RGBColor(0x4e, 0x9a, 0xcf)),
    ("cpu", RGBColor(0xce, 0x42, 0x2b)),
    ("gil", RGBColor(0xe0, 0xa8, 0x00)),
    ("wait", RGBColor(0x9b, 0x59, 0xb6)),
    ("task", RGBColor(0x3a, 0x9a, 0x50)),
    ("process", RGBColor(0xd8, 0xd8, 0xd8)),
    ("other", RGBColor(0x88, 0x88, 0x88)),
];

fn colour(name: &str) -> RGBColor {
    match name {
        "light green" => return RGBColor(0x7c, 0xc8, 0x7c),
        "light red" => return RGBColor(0xe8, 0x80, 0x80),
        _ => {}
    }
    KINDS
        .iter()
        .find(|(kind, _)| *kind == name)
        .map_or(KINDS[6].1, |(_, colour)| *colour)
}

/// Draws the trace `trace` (the JSON of a Chrome trace-event file) to `path`, titled `title`.
pub fn draw(path: &Path, title: &str, trace: &Value) -> anyhow::Result<()> {
    let events = trace["traceEvents"]
        .as_array()
        .context("no traceEvents in the trace")?;
    let mut lanes: Vec<((u64, u64), String)> = Vec::new();
    for event in events.iter().filter(|event| event["name"] == "thread_name") {
        let lane = (
            event["pid"].as_u64().unwrap_or(0),
            event["tid"].as_u64().unwrap_or(0),
        );
        let name = event["args"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        lanes.push((lane, name));
    }
    // The order the trace named them in is the order threads happened to start: the main lane
    // first, then by name and number (`Thread-2` before `Thread-10`), the same on every run.
    lanes.sort_by_key(|(_, name)| {
        let digits = name
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(name.len());
        let number: u64 = name[digits..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        (name != "MainThread", name[..digits].to_owned(), number)
    });
    let mut bars = Vec::new();
    let mut seconds: f64 = 0.0;
    for event in events.iter().filter(|event| event["ph"] == "X") {
        let lane = (
            event["pid"].as_u64().unwrap_or(0),
            event["tid"].as_u64().unwrap_or(0),
        );
        let Some(row) = lanes.iter().position(|(known, _)| *known == lane) else {
            continue;
        };
        let start = event["ts"].as_f64().unwrap_or(0.0) / 1e6;
        let end = start + event["dur"].as_f64().unwrap_or(0.0) / 1e6;
        seconds = seconds.max(end);
        let mut name = event["name"].as_str().unwrap_or_default().to_owned();
        // The traffic light's phases, in their own colours, behind the sleeps inside them.
        if name == "light" {
            name = format!(
                "light {}",
                event["args"]["colour"].as_str().unwrap_or_default()
            );
        }
        bars.push((row, start, end, name));
    }
    // A process's life is the background, a pool task the middle layer, what happened inside
    // them (a sleep, CPU work) on top, thinner.
    let layer = |name: &str| match name {
        "process" => 0,
        // An async task's polls: behind the sleeps they await.
        "task" | "poll" | "light green" | "light red" => 1,
        _ => 2,
    };
    bars.sort_by_key(|(_, _, _, name)| layer(name));
    let height = ROW_PIXELS * u32::try_from(lanes.len()).unwrap_or(1) + 130;
    let digits = if seconds < 0.1 { 3 } else { 2 };
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let rows = lanes.len() as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(190)
            .build_cartesian_2d(0.0..seconds.max(1e-3), 0.0..rows)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&|seconds| format!("{seconds:.digits$} s"))
            .draw()?;
        for (row, start, end, name) in &bars {
            let top = rows - *row as f64;
            let (inset, fill) = match layer(name) {
                0 => (0.1, 0.9),
                1 => (0.2, 0.8),
                _ => (0.33, 0.67),
            };
            let corners = [
                (*start, top - inset),
                (end.max(start + seconds / 2000.0), top - fill),
            ];
            chart.draw_series([Rectangle::new(corners, colour(name).filled())])?;
            if layer(name) == 1 {
                // Tasks run back to back on a worker: an outline keeps them apart.
                chart.draw_series([Rectangle::new(corners, WHITE.stroke_width(1))])?;
            }
        }
        let label_style = ("sans-serif", 14)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (row, (_, name)) in lanes.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(0.0, rows - row as f64 - 0.5));
            root.draw(&Text::new(name.clone(), (x - 8, y), label_style.clone()))?;
        }
        let legend = ("sans-serif", 13).into_font().color(&BLACK);
        for (index, (kind, colour)) in KINDS.iter().take(6).enumerate() {
            let x = 200 + i32::try_from(index).unwrap_or(0) * 110;
            let y = i32::try_from(height).unwrap_or(0) - 14;
            root.draw(&Rectangle::new(
                [(x, y - 6), (x + 14, y + 6)],
                colour.filled(),
            ))?;
            root.draw(&Text::new(
                kind.to_string(),
                (x + 20, y - 7),
                legend.clone(),
            ))?;
        }
        root.present()?;
        Ok(())
    })();
    drawn.map_err(|error| anyhow!("drawing {}: {error}", path.display()))
}
