//! The book (`book/zh`, `book/en`) without any tool: every example has its page in both
//! editions, in the tutorial's order; every include and picture points at a file that exists;
//! the two editions have the same pages, sections, includes and pictures; every page links to its
//! twin. mdBook's build and the browser check are in `../with_tools.rs` and `../browser.rs`.

use std::path::{Component, Path, PathBuf};

use regex::Regex;

const EDITIONS: [(&str, &str); 2] = [("zh", "English"), ("en", "中文")];

fn book() -> PathBuf {
    tests::book::sources()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// `base/relative` with `..` resolved, without touching the file system (so that the `assets`
/// symlink of each edition stays in the path).
fn join(base: &Path, relative: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::ParentDir => {
                path.pop();
            }
            Component::Normal(part) => path.push(part),
            _ => {}
        }
    }
    path
}

/// The pages of an edition, in its SUMMARY.md's order, as paths relative to the edition.
fn pages(edition: &str) -> Vec<String> {
    tests::book::pages(edition)
        .into_iter()
        .map(|(_, path)| path)
        .collect()
}

/// One page of one edition.
struct Page {
    edition: &'static str,
    path: String,
    text: String,
}

impl Page {
    fn all(edition: &'static str) -> Vec<Page> {
        pages(edition)
            .into_iter()
            .map(|path| {
                let text = read(&book().join(edition).join(&path));
                Page {
                    edition,
                    path,
                    text,
                }
            })
            .collect()
    }

    fn dir(&self) -> PathBuf {
        join(&book().join(self.edition), &self.path)
            .parent()
            .unwrap()
            .to_path_buf()
    }

    /// `{{#include path[:range]}}`: (path, range).
    fn includes(&self) -> Vec<(String, String)> {
        let include = Regex::new(r"\{\{#include ([^}:]+)(:[^}]*)?\}\}").unwrap();
        include
            .captures_iter(&self.text)
            .map(|found| {
                let range = found.get(2).map_or("", |range| range.as_str());
                (found[1].to_owned(), range.to_owned())
            })
            .collect()
    }

    /// The page without its code: fenced blocks and `inline code` spans, where a `](` is text.
    fn prose(&self) -> String {
        let span = Regex::new(r"`[^`\n]*`").unwrap();
        let mut in_code = false;
        let mut prose = String::new();
        for line in self.text.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if !in_code {
                prose.push_str(&span.replace_all(line, "code"));
                prose.push('\n');
            }
        }
        prose
    }

    fn pictures(&self) -> Vec<String> {
        let picture = Regex::new(r"!\[[^\]]*\]\(([^)]+)\)").unwrap();
        picture
            .captures_iter(&self.text)
            .map(|found| found[1].to_owned())
            .collect()
    }

    /// The `## ` headings, and the examples among them (`` ## `binary` ``).
    fn headings(&self) -> Vec<&str> {
        let mut in_code = false;
        self.text
            .lines()
            .filter(|line| {
                if line.starts_with("```") {
                    in_code = !in_code;
                }
                !in_code && line.starts_with("## ")
            })
            .collect()
    }

    fn examples(&self) -> Vec<String> {
        self.headings()
            .into_iter()
            .filter_map(|heading| {
                let name = heading.strip_prefix("## `")?.strip_suffix('`')?;
                Some(name.to_owned())
            })
            .collect()
    }

    /// The text of the page from the heading of `example` to the next `## `.
    fn section_of(&self, example: &str) -> &str {
        let heading = format!("## `{example}`\n");
        let start = self.text.find(&heading).unwrap();
        let rest = &self.text[start + heading.len()..];
        &rest[..rest.find("\n## ").unwrap_or(rest.len())]
    }
}

#[test]
fn both_editions_have_the_same_pages_each_linking_to_its_twin() {
    assert_eq!(
        pages("zh"),
        pages("en"),
        "the two SUMMARY.md list other pages"
    );
    for (edition, other_label) in EDITIONS {
        let other = if edition == "zh" { "en" } else { "zh" };
        for page in Page::all(edition) {
            let up = "../".repeat(page.path.matches('/').count() + 1);
            let switch = format!("[{other_label}]({up}{other}/{})", page.path);
            assert_eq!(
                page.text.lines().next(),
                Some(switch.as_str()),
                "book/{edition}/{}: its first line must be the language switch",
                page.path
            );
            assert!(
                page.text
                    .lines()
                    .nth(2)
                    .is_some_and(|line| line.starts_with("# ")),
                "book/{edition}/{}: its title follows the switch",
                page.path
            );
        }
    }
}

#[test]
fn every_example_has_a_page_in_both_editions_in_the_tutorials_order() {
    let tutorial_order = crate::every_example::table_binaries("README.md");
    for (edition, _) in EDITIONS {
        let in_book: Vec<String> = Page::all(edition).iter().flat_map(Page::examples).collect();
        assert_eq!(
            in_book, tutorial_order,
            "book/{edition}: the examples' sections, page by page, must follow the README's \
             table (the tutorial's order), each once"
        );
    }
}

#[test]
fn each_example_section_includes_its_code_and_its_checked_output() {
    for (edition, _) in EDITIONS {
        for page in Page::all(edition) {
            for example in page.examples() {
                let section = page.section_of(&example);
                let source = tests::source_of(&example);
                let code = source.strip_prefix(tests::workspace()).unwrap();
                let transcript = tests::workspace()
                    .join(tests::package_of(&example))
                    .join(format!("src/bin/{example}.md"));
                let output = transcript.strip_prefix(tests::workspace()).unwrap();
                for (what, file) in [("code", code), ("output", output)] {
                    let file = file.to_string_lossy();
                    assert!(
                        section.contains(&format!("{{{{#include ../../../{file}"))
                            || section.contains(&format!("{{{{#include ../../{file}")),
                        "book/{edition}/{}: `{example}` must include its {what}, {file}",
                        page.path
                    );
                }
                assert!(
                    section.contains(&format!("--bin {example}")),
                    "book/{edition}/{}: `{example}` must give its run command",
                    page.path
                );
            }
        }
    }
}

/// The lines of a file an include takes: `:a:b`, `:a:` or the whole file (1-based, inclusive).
fn included_lines(range: &str, len: usize) -> std::ops::RangeInclusive<usize> {
    let mut bounds = range.trim_start_matches(':').split(':');
    let start = bounds.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let end = bounds.next().and_then(|n| n.parse().ok()).unwrap_or(len);
    start..=end
}

/// Which lines of a transcript belong to its console blocks, fences included.
fn console_lines(transcript: &str) -> Vec<bool> {
    let mut inside = false;
    transcript
        .lines()
        .map(|line| {
            if line == "```console" {
                inside = true;
                return true;
            }
            let was = inside;
            if line == "```" {
                inside = false;
            }
            was
        })
        .collect()
}

#[test]
fn every_include_points_at_a_file_and_transcripts_are_included_from_their_output() {
    for (edition, _) in EDITIONS {
        for page in Page::all(edition) {
            let mut transcripts: Vec<(PathBuf, Vec<String>)> = Vec::new();
            for (path, range) in page.includes() {
                let file = join(&page.dir(), &path);
                assert!(
                    file.is_file(),
                    "book/{edition}/{}: includes {path}, which does not exist",
                    page.path
                );
                let is_transcript = path.ends_with(".md") && path.contains("/src/bin/");
                if !is_transcript {
                    assert!(
                        range.is_empty() || !range[1..].starts_with(|c: char| c.is_ascii_digit()),
                        "book/{edition}/{}: {path}{range}: include a source whole or by anchor, \
                         never by line numbers that drift",
                        page.path
                    );
                    continue;
                }
                match transcripts.iter_mut().find(|(known, _)| *known == file) {
                    Some((_, ranges)) => ranges.push(range),
                    None => transcripts.push((file, vec![range])),
                }
            }
            for (file, ranges) in transcripts {
                let text = read(&file);
                let console = console_lines(&text);
                let name = file.file_name().unwrap().to_string_lossy();
                // The English edition shows the transcript whole from line 3, after its title:
                // its paragraph on what varies, then its runs. The Chinese edition says what
                // varies itself, so it takes every line of every console block and no other.
                if edition == "en" && ranges == [":3:"] {
                    continue;
                }
                // Whole, as the chapter on testing shows the format itself.
                if ranges == [""] {
                    continue;
                }
                let mut taken = vec![false; console.len()];
                for range in &ranges {
                    for line in included_lines(range, console.len()) {
                        if let Some(slot) = taken.get_mut(line - 1) {
                            *slot = true;
                        }
                    }
                }
                let wrong = (0..console.len()).find(|&i| {
                    let blank = text
                        .lines()
                        .nth(i)
                        .is_some_and(|line| line.trim().is_empty());
                    (console[i] || !blank) && taken[i] != console[i]
                });
                assert!(
                    wrong.is_none(),
                    "book/{edition}/{}: the includes {ranges:?} of {name} must take exactly its \
                     console blocks{}; line {} is wrong",
                    page.path,
                    if edition == "en" {
                        " (or `:3:`, all from line 3)"
                    } else {
                        ""
                    },
                    wrong.map_or(0, |i| i + 1)
                );
            }
        }
    }
}

#[test]
fn both_editions_have_the_same_sections_includes_and_pictures_and_every_picture_exists() {
    let chinese = Page::all("zh");
    let english = Page::all("en");
    for (zh, en) in chinese.iter().zip(&english) {
        let path = &zh.path;
        assert_eq!(zh.examples(), en.examples(), "{path}: the examples differ");
        assert_eq!(
            zh.headings().len(),
            en.headings().len(),
            "{path}: the editions have different numbers of sections"
        );
        let files = |page: &Page| -> Vec<String> {
            let mut files: Vec<String> =
                page.includes().into_iter().map(|(file, _)| file).collect();
            files.dedup();
            files
        };
        assert_eq!(
            files(zh),
            files(en),
            "{path}: the editions include other files"
        );
        assert_eq!(
            zh.pictures(),
            en.pictures(),
            "{path}: the editions show other pictures"
        );
        for page in [zh, en] {
            for picture in page.pictures() {
                assert!(
                    !picture.contains("://"),
                    "book/{}/{path}: {picture}: the book has no picture from the network",
                    page.edition
                );
                let file = join(&page.dir(), &picture);
                assert!(
                    file.is_file(),
                    "book/{}/{path}: shows {picture}, which does not exist",
                    page.edition
                );
            }
        }
    }
}

#[test]
fn every_timeline_picture_is_on_its_examples_page() {
    let dir = book().join("assets/timelines");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".svg") else {
            continue;
        };
        let example = stem.split('-').next().unwrap();
        for (edition, _) in EDITIONS {
            let shown = Page::all(edition).into_iter().any(|page| {
                page.examples().iter().any(|found| found == example)
                    && page
                        .section_of(example)
                        .contains(&format!("assets/timelines/{name})"))
            });
            assert!(shown, "book/{edition}: {name} is not on `{example}`'s page");
        }
    }
}

#[test]
fn links_between_pages_land_on_pages_of_the_book() {
    let link = Regex::new(r"\]\(([^)#]+)(#[^)]*)?\)").unwrap();
    for (edition, _) in EDITIONS {
        let root = book().join(edition);
        for page in Page::all(edition) {
            for found in link.captures_iter(&page.prose()) {
                let target = &found[1];
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let file = join(&page.dir(), target);
                // Inside this edition, or the twin page of the other one: the built site has
                // nothing else (a link to a source file would answer 404 there).
                assert!(
                    file.starts_with(&root) || file.starts_with(book()),
                    "book/{edition}/{}: {target} leaves the book; name a repository file in \
                     backticks instead",
                    page.path
                );
                assert!(
                    file.is_file(),
                    "book/{edition}/{}: links to {target}, which does not exist",
                    page.path
                );
            }
        }
    }
}
