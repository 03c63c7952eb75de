//! The report's chart: for every row, a Rust bar and a CPython bar, on one logarithmic time
//! axis, grouped by workload. Drawn with plotters' SVG backend.

use std::path::Path;

use anyhow::anyhow;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::format::duration;

const RUST: RGBColor = RGBColor(0xce, 0x42, 0x2b);
const PYTHON: RGBColor = RGBColor(0x30, 0x69, 0x98);
const MUTED: RGBColor = RGBColor(0x70, 0x70, 0x70);
/// The plot's width, right of the row labels.
const PLOT_WIDTH: u32 = 730;
/// The advance of a row label's character at 13 px, estimated: an SVG carries no font metrics,
/// and the viewer's sans-serif decides. Common faces average 6.5 to 7 px on these labels.
const LABEL_CHAR_PIXELS: f64 = 7.2;
/// Pixels per row; a section's title takes one row too.
const ROW_PIXELS: f64 = 34.0;

pub struct ChartSection {
    pub title: String,
    pub rows: Vec<ChartRow>,
    /// A dashed line across the section at a time worth pointing out, with its label.
    pub marker: Option<(f64, String)>,
}

pub struct ChartRow {
    pub label: String,
    pub rust: Option<f64>,
    pub python: Option<f64>,
}

/// Writes the chart to `path` as SVG.
pub fn draw(path: &Path, caption: &str, sections: &[ChartSection]) -> anyhow::Result<()> {
    let units: usize = sections.iter().map(|section| 1 + section.rows.len()).sum();
    let height = (units as f64 * ROW_PIXELS) as u32 + 120;
    let labels = label_column(sections);
    let root = SVGBackend::new(path, (labels + PLOT_WIDTH, height)).into_drawing_area();
    draw_on(&root, caption, sections, units as f64, labels).map_err(|error| anyhow!("{error}"))?;
    root.present().map_err(|error| anyhow!("{error}"))?;
    Ok(())
}

fn draw_on(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    caption: &str,
    sections: &[ChartSection],
    units: f64,
    labels: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let (low, high) = time_range(sections);
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(labels)
        .build_cartesian_2d((low..high).log_scale(), 0.0..units)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc("median time per run, log scale: shorter is faster")
        .x_label_formatter(&|secs| tick(*secs))
        .draw()?;

    // Rows are laid out from the top: `y(u)` is the chart coordinate `u` rows down.
    let y = |u: f64| units - u;
    let mut rust_bars = Vec::new();
    let mut python_bars = Vec::new();
    let mut texts = Vec::new();
    let mut lines = Vec::new();
    let mut markers = Vec::new();
    let mut u = 0.0;
    for section in sections {
        texts.push((section.title.clone(), u + 0.55, Side::Title));
        if u > 0.0 {
            lines.push(vec![(low, y(u)), (high, y(u))]);
        }
        let first_row = u + 1.0;
        u += 1.0;
        for row in &section.rows {
            texts.push((row.label.clone(), u + 0.5, Side::Label));
            for (value, top, bars, missing) in [
                (row.rust, u + 0.1, &mut rust_bars, "no Rust twin"),
                (row.python, u + 0.5, &mut python_bars, "no CPython twin"),
            ] {
                match value {
                    Some(secs) => {
                        bars.push([(low, y(top)), (secs, y(top + 0.38))]);
                        texts.push((duration(secs), top + 0.19, Side::Value(secs)));
                    }
                    None => texts.push((missing.to_owned(), top + 0.19, Side::Value(low))),
                }
            }
            u += 1.0;
        }
        if let Some((secs, label)) = &section.marker {
            markers.push(vec![(*secs, y(first_row - 0.1)), (*secs, y(u))]);
            texts.push((label.clone(), first_row - 0.25, Side::Value(*secs)));
        }
    }

    chart
        .draw_series(
            rust_bars
                .into_iter()
                .map(|bar| Rectangle::new(bar, RUST.filled())),
        )?
        .label("Rust (criterion, release)")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], RUST.filled()));
    chart
        .draw_series(
            python_bars
                .into_iter()
                .map(|bar| Rectangle::new(bar, PYTHON.filled())),
        )?
        .label("CPython")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], PYTHON.filled()));
    for line in lines {
        chart.draw_series(std::iter::once(PathElement::new(line, MUTED.mix(0.3))))?;
    }
    for marker in markers {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            marker,
            5,
            4,
            BLACK.stroke_width(2),
        )))?;
    }

    let plot_left = chart.backend_coord(&(low, 0.0)).0;
    for (text, row, side) in texts {
        let at = |secs: f64| chart.backend_coord(&(secs, y(row)));
        let (position, style) = match side {
            Side::Title => (
                (16, at(low).1),
                ("sans-serif", 15, FontStyle::Bold)
                    .into_font()
                    .color(&BLACK),
            ),
            Side::Label => (
                (plot_left - 10, at(low).1),
                ("sans-serif", 13).into_font().color(&BLACK),
            ),
            Side::Value(secs) => {
                let (x, y) = at(secs);
                ((x + 6, y), ("sans-serif", 11).into_font().color(&MUTED))
            }
        };
        let anchor = match side {
            Side::Label => HPos::Right,
            _ => HPos::Left,
        };
        root.draw(&Text::new(
            text,
            position,
            style.pos(Pos::new(anchor, VPos::Center)),
        ))?;
    }

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(MUTED)
        .label_font(("sans-serif", 13))
        .draw()?;
    Ok(())
}

/// The width of the row labels' column: the longest label, estimated, and the gap to the plot;
/// never narrower than 250 px. A label is drawn right-aligned against the plot, so a column too
/// narrow cuts its start off at the picture's left edge.
fn label_column(sections: &[ChartSection]) -> u32 {
    let longest = sections
        .iter()
        .flat_map(|section| &section.rows)
        .map(|row| row.label.chars().count())
        .max()
        .unwrap_or(0);
    ((longest as f64 * LABEL_CHAR_PIXELS).ceil() as u32 + 26).max(250)
}

/// Where a text goes: a section title, a row label left of the plot, or a value right of
/// the point `secs` on the time axis.
#[derive(Clone, Copy)]
enum Side {
    Title,
    Label,
    Value(f64),
}

/// From the power of ten below the fastest figure to two powers of ten above the slowest (room
/// for the value labels).
fn time_range(sections: &[ChartSection]) -> (f64, f64) {
    let values = sections
        .iter()
        .flat_map(|section| &section.rows)
        .flat_map(|row| [row.rust, row.python])
        .flatten();
    let (min, max) = values.fold((f64::MAX, f64::MIN), |(min, max), secs| {
        (min.min(secs), max.max(secs))
    });
    if min > max {
        return (1e-6, 10.0);
    }
    (
        10f64.powf(min.log10().floor()),
        10f64.powf(max.log10().ceil() + 1.0),
    )
}

/// An axis tick: `1 ms`, `100 µs`, `10 s`.
fn tick(secs: f64) -> String {
    let text = duration(secs);
    match text.split_once(' ') {
        Some((number, unit)) if number.contains('.') => {
            let number = number.trim_end_matches('0').trim_end_matches('.');
            format!("{number} {unit}")
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_drop_trailing_zeros() {
        assert_eq!(tick(0.001), "1 ms");
        assert_eq!(tick(0.01), "10 ms");
        assert_eq!(tick(100.0), "100 s");
        assert_eq!(tick(2.5e-6), "2.5 µs");
    }

    /// The longest label of the report, "Redis queue (Rust: apalis; CPython: Celery), 10,000
    /// tasks", was cut at the left edge in a 250 px column.
    #[test]
    fn the_label_column_holds_the_longest_label() {
        let row = |label: &str| ChartRow {
            label: label.to_owned(),
            rust: None,
            python: None,
        };
        let long = "Redis queue (Rust: apalis; CPython: Celery), 10,000 tasks";
        let sections = [ChartSection {
            title: String::new(),
            rows: vec![row("Pool(2).map"), row(long)],
            marker: None,
        }];
        let column = label_column(&sections);
        // Drawn from 10 px left of the plot, which starts after the 16 px margin and the column.
        let start = 16.0 + f64::from(column) - 10.0 - long.len() as f64 * LABEL_CHAR_PIXELS;
        assert!(start >= 16.0, "the label starts at {start} px");
        let short = [ChartSection {
            title: String::new(),
            rows: vec![row("spawn")],
            marker: None,
        }];
        assert_eq!(label_column(&short), 250);
    }

    #[test]
    fn the_range_spans_every_figure() {
        let sections = [ChartSection {
            title: String::new(),
            rows: vec![ChartRow {
                label: String::new(),
                rust: Some(0.003),
                python: Some(2.5),
            }],
            marker: None,
        }];
        assert_eq!(time_range(&sections), (1e-3, 100.0));
    }
}
