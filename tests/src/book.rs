//! The book built with mdBook, for the checks that need it: the build itself
//! (`tests/with_tools.rs`) and the browser (`tests/browser.rs`). The checks that need no tool are
//! in `tests/suite/book.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{MDBOOK_VERSION, is_ci};

/// The editions, Chinese first, as the book's front page lists them.
pub const EDITIONS: [&str; 2] = ["zh", "en"];

/// `book/`, where each edition's `book.toml` and pages are.
pub fn sources() -> PathBuf {
    crate::workspace().join("book")
}

/// The pages of an edition, in its SUMMARY.md's order: (title, path relative to the edition).
pub fn pages(edition: &str) -> Vec<(String, String)> {
    let summary = std::fs::read_to_string(sources().join(edition).join("SUMMARY.md"))
        .expect("each edition has a SUMMARY.md");
    let link = regex::Regex::new(r"\[([^\]]+)\]\(([^)]+\.md)\)").unwrap();
    summary
        .lines()
        .filter_map(|line| link.captures(line))
        .map(|found| (found[1].to_owned(), found[2].to_owned()))
        .collect()
}

/// Builds both editions into `site/zh` and `site/en` with the `mdbook` on `PATH`, and panics
/// on a failed build or on any line mdBook prints as a warning or an error.
pub fn build(site: &Path) {
    let version = Command::new("mdbook")
        .arg("--version")
        .output()
        .expect("running mdbook --version");
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    if version != format!("mdbook v{MDBOOK_VERSION}") {
        assert!(
            !is_ci(),
            "CI checks the book with mdBook {MDBOOK_VERSION}, not {version}"
        );
        eprintln!("note: the book is checked with mdBook {MDBOOK_VERSION}; this is {version}");
    }
    for edition in EDITIONS {
        let out = site.join(edition);
        let built = Command::new("mdbook")
            .arg("build")
            .arg(sources().join(edition))
            .arg("--dest-dir")
            .arg(&out)
            .output()
            .expect("running mdbook build");
        let stderr = String::from_utf8_lossy(&built.stderr);
        assert!(built.status.success(), "mdbook build {edition}: {stderr}");
        let complaints: Vec<&str> = stderr
            .lines()
            .filter(|line| line.contains("WARN") || line.contains("ERROR"))
            .collect();
        assert!(
            complaints.is_empty(),
            "mdbook build {edition}: {complaints:#?}"
        );
        assert!(out.join("index.html").is_file(), "{edition}: no index.html");
    }
}

/// What a page of the built site would fetch from the network: scripts, styles, fonts and
/// pictures named by an absolute URL (links a reader may follow are not fetched).
pub fn network_references(site: &Path) -> Vec<String> {
    let fetched = regex::Regex::new(
        r#"(?:<script[^>]*\ssrc|<img[^>]*\ssrc|<link[^>]*\shref)="(https?:)?//[^"]*"|url\(\s*['"]?(https?:)?//[^)]*\)|@import\s+['"]https?:[^'"]*['"]|fetch\(\s*['"`]https?:[^'"`]*"#,
    )
    .unwrap();
    let mut found = Vec::new();
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let is_text = path
                .extension()
                .is_some_and(|ext| ext == "html" || ext == "css" || ext == "js");
            if !is_text {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for hit in fetched.find_iter(&text) {
                let relative = path.strip_prefix(site).unwrap_or(&path).display();
                found.push(format!("{relative}: {}", hit.as_str()));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}
