//! Promises every example keeps, checked for all of them at once: listed in the README,
//! documented in its file, and strict about bad input.

use tests::{binary_names, example};

fn workspace_file(relative: &str) -> String {
    let path = tests::workspace().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn source_of(binary: &str) -> String {
    let path = tests::source_of(binary);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn the_readme_table_lists_every_binary() {
    let listed = table_binaries("README.md");
    for binary in binary_names() {
        let count = listed.iter().filter(|name| *name == binary).count();
        assert_eq!(
            count, 1,
            "README.md's example table must list `{binary}` once"
        );
    }
    assert_eq!(
        listed.len(),
        binary_names().len(),
        "a README row names a binary that does not exist"
    );
}

/// A README is the front door: short, each example's row its package (for `cargo run -p`) and a
/// lesson of at most 80 characters, its binary linked to the page of the book that teaches it,
/// in the README's language.
#[test]
fn the_readmes_are_front_doors_linking_each_example_to_its_page() {
    for (readme, edition) in [("README.md", "en"), ("README.zh-CN.md", "zh")] {
        let text = workspace_file(readme);
        let lines = text.lines().count();
        assert!(
            lines <= 160,
            "{readme}: {lines} lines; what is more belongs in the book"
        );
        for row in example_rows(&text) {
            let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
            let [_, package, example, lesson] = cells[..] else {
                panic!(
                    "{readme}: a row is `| post › section | package | example | lesson |`: {row}"
                );
            };
            let lesson_chars = lesson.chars().count();
            assert!(
                lesson_chars <= 80,
                "{readme}: a lesson of {lesson_chars} characters: {row}"
            );
            let (binary, page) = example
                .strip_prefix("[`")
                .and_then(|rest| rest.split_once("`]("))
                .and_then(|(binary, rest)| Some((binary, rest.strip_suffix(')')?)))
                .unwrap_or_else(|| panic!("{readme}: the example cell is [`binary`](page): {row}"));
            assert_eq!(
                package,
                tests::package_of(binary),
                "{readme}: `{binary}` is in another package"
            );
            assert!(
                page.starts_with(&format!("book/{edition}/")),
                "{readme}: `{binary}` links to {page}, not to the {edition} edition"
            );
            assert!(
                workspace_file(page).contains(&format!("\n## `{binary}`\n")),
                "{readme}: `{binary}` links to {page}, which does not teach it"
            );
        }
    }
}

/// The five posts, by the short key the README's table uses and by their titles (the fifth has
/// none: its first heading names it).
const POSTS: [(&str, &str); 5] = [
    ("000", "《第16章 协程-补充内容》"),
    ("001", "《02.进程线程理解 解决异步非阻塞开发问题》"),
    ("002", "《python中多进程、多线程以及GIL记录》"),
    ("003", "《python多进程vs多线程》"),
    ("004", "《什么是 GIL》"),
];

#[test]
fn the_posts_are_named_by_their_titles_in_both_readmes() {
    for readme in ["README.md", "README.zh-CN.md"] {
        let text = workspace_file(readme);
        for (key, title) in POSTS {
            assert!(
                text.contains(&format!("| {key} | {title}")),
                "{readme}: its key table names post {key} {title}"
            );
        }
        assert!(
            !text.contains("shared/seeds") && !text.contains("_…txt"),
            "{readme}: a reader has the posts, not the seed files"
        );
    }
}

/// The rows of a README's example table: `` | 00N › section | package | [`binary`](page) | lesson | ``
/// (the table of post keys above it has two cells a row).
fn example_rows(readme: &str) -> Vec<&str> {
    readme
        .lines()
        .filter(|line| line.starts_with("| 00") && line.matches(" | ").count() >= 2)
        .collect()
}

/// The binaries of a README's example table, in its order: each row's `` [`name`](page) `` cell.
pub(crate) fn table_binaries(readme: &str) -> Vec<String> {
    let text = workspace_file(readme);
    example_rows(&text)
        .into_iter()
        .map(|row| {
            let name = row
                .split(" | ")
                .find_map(|cell| {
                    cell.strip_prefix("[`")?
                        .split_once("`](")
                        .map(|(name, _)| name)
                })
                .filter(|name| {
                    name.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                });
            name.unwrap_or_else(|| panic!("{readme}: a row without a binary cell: {row}"))
                .to_owned()
        })
        .collect()
}

#[test]
fn the_chinese_readme_lists_the_same_examples_in_the_same_order() {
    let english = table_binaries("README.md");
    assert_eq!(english.len(), binary_names().len());
    assert_eq!(
        table_binaries("README.zh-CN.md"),
        english,
        "README.zh-CN.md's table must have README.md's rows, in the same order"
    );
    let chinese = workspace_file("README.zh-CN.md");
    assert!(
        workspace_file("README.md").contains("(README.zh-CN.md)")
            && chinese.contains("(README.md)"),
        "each README links to the other"
    );
}

/// Prose is wrapped at 100 columns, in both languages, in the READMEs and the book's pages, so
/// that a diff shows what changed; a
/// table row and a code block keep their lines. Chinese lines break at a space or after a
/// full-width punctuation mark, where the soft break that Markdown turns into a space is not seen.
#[test]
fn the_readmes_and_the_book_are_wrapped_at_100_columns() {
    let mut files = vec![
        "README.md".to_owned(),
        "README.zh-CN.md".to_owned(),
        "multiprocessing/README.md".to_owned(),
    ];
    for edition in ["zh", "en"] {
        let dir = tests::workspace().join("book").join(edition);
        let summary = workspace_file(&format!("book/{edition}/SUMMARY.md"));
        files.push(format!("book/{edition}/SUMMARY.md"));
        for page in summary.split("](").skip(1) {
            let page = page.split(')').next().unwrap();
            assert!(
                dir.join(page).is_file(),
                "book/{edition}/SUMMARY.md: no {page}"
            );
            files.push(format!("book/{edition}/{page}"));
        }
    }
    for readme in &files {
        let text = workspace_file(readme);
        let mut in_code = false;
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            let columns = unicode_width::UnicodeWidthStr::width(line);
            assert!(
                in_code || line.trim_start().starts_with('|') || columns <= 100,
                "{readme}:{}: {columns} columns, over 100: {line}",
                number + 1
            );
        }
    }
}

#[test]
fn every_example_opens_with_a_doc_block_naming_its_tutorial_section_and_run_command() {
    for binary in binary_names() {
        let source = source_of(binary);
        assert!(
            source.starts_with("//! "),
            "{binary}: the file must open with a `//!` block"
        );
        let doc: String = source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            POSTS
                .iter()
                .any(|(key, title)| doc.contains(&format!("Tutorial: {title} ({key})"))),
            "{binary}: the doc block must name its post (`Tutorial: 《title》 (00N), section …`)"
        );
        assert!(
            doc.contains(&format!("--bin {binary}")),
            "{binary}: the doc block must give its run command"
        );
        assert!(
            doc.contains("What to watch for"),
            "{binary}: the doc block must say what to watch for"
        );
    }
}

#[test]
fn every_example_rejects_an_unknown_flag_with_one_line_and_exit_code_2() {
    for binary in binary_names() {
        let line = example(binary)
            .args(["--no-such-flag"])
            .run()
            .bad_input()
            .to_owned();
        assert_eq!(
            line,
            format!("{binary}: unexpected argument '--no-such-flag' found (see --help)")
        );
    }
}

#[test]
fn every_example_rejects_an_invalid_time_scale_before_printing_anything() {
    for binary in binary_names() {
        let run = example(binary).env("EXAMPLES_TIME_SCALE", "NaN").run();
        assert_eq!(
            run.bad_input(),
            format!(
                "{binary}: EXAMPLES_TIME_SCALE must be a number from 0 to 100, such as 1 or 0.05 (got \"NaN\")"
            )
        );
    }
}

#[test]
fn piped_output_has_no_colour_even_without_no_color() {
    let run = example("event_traffic_light")
        .args(["--cycles", "1"])
        .env_remove("NO_COLOR")
        .run()
        .success();
    assert!(run.stdout.contains("red light is on..."), "{}", run.stdout);
    assert!(
        !run.stdout.contains('\x1b'),
        "escape codes in piped output:\n{:?}",
        run.stdout
    );
}

#[test]
#[should_panic(expected = "left processes behind")]
fn the_harness_fails_a_run_that_leaves_a_child_process_behind() {
    // The fixture exits at once but its `sleep 30` child lives on in its process group.
    example("fixture_orphan").run();
}

#[test]
#[should_panic(expected = "without reaping its children")]
fn the_harness_fails_a_run_that_leaves_a_zombie_child() {
    // The fixture's child has exited, but the fixture never waits for it.
    example("fixture_zombie").run();
}

#[test]
fn every_binary_is_built_without_a_test_harness_of_its_own() {
    // A binary's harness would only print an empty "running 0 tests" block, and build it twice.
    for package in tests::EXAMPLE_PACKAGES.into_iter().chain(["tests"]) {
        let manifest = workspace_file(&format!("{package}/Cargo.toml"));
        let bin_dir = tests::workspace().join(package).join("src/bin");
        for entry in std::fs::read_dir(&bin_dir).unwrap() {
            let file = entry.unwrap().file_name().to_string_lossy().into_owned();
            let Some(name) = file.strip_suffix(".rs") else {
                continue;
            };
            let stanza = format!("[[bin]]\nname = \"{name}\"\ntest = false\n");
            assert!(
                manifest.contains(&stanza),
                "{package}/Cargo.toml: add\n{stanza}"
            );
        }
    }
}

#[test]
fn every_examples_doc_block_is_about_fifteen_lines() {
    // Section, Python API, run command, what to watch for, at most three differences: what
    // holds for a whole chapter goes once into the book.
    for binary in binary_names() {
        let lines = source_of(binary)
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .count();
        // 18: since the posts are named by their titles, the tutorial line often takes two.
        assert!(
            lines <= 18,
            "{binary}: its //! block has {lines} lines, at most 18"
        );
    }
}
