//! Each exercise's page, in both editions of the book: listed in SUMMARY.md in the catalog's
//! order, under the exercises' index, with its number, its starting file included (never
//! copied), its check command and one to three folded hints; and linked from the page of its
//! section. The book's own tests (tests/tests/suite/book.rs) check every page's links and
//! language switch.

use std::fs;
use std::path::PathBuf;

use exercises::{EXERCISES, Exercise};

const EDITIONS: [&str; 2] = ["zh", "en"];

fn book(lang: &str, page: &str) -> String {
    let path: PathBuf = exercises::root().join("../book").join(lang).join(page);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn title(exercise: &Exercise, lang: &str) -> String {
    match lang {
        "zh" => format!("# 练习 {}：", exercise.number()),
        _ => format!("# Exercise {}: ", exercise.number()),
    }
}

#[test]
fn each_exercise_has_a_page_in_both_editions() {
    for lang in EDITIONS {
        for exercise in EXERCISES {
            let page = book(lang, &format!("exercises/{}.md", exercise.name));
            let name = format!("{lang}/exercises/{}.md", exercise.name);
            let lines: Vec<&str> = page.lines().collect();
            assert!(
                lines
                    .get(2)
                    .is_some_and(|line| line.starts_with(&title(exercise, lang))),
                "{name}: its title is `{}…`",
                title(exercise, lang)
            );
            let include = format!(
                "{{{{#include ../../../exercises/{}/starter.rs}}}}",
                exercise.name
            );
            assert!(
                page.contains(&include),
                "{name} does not include its starting file"
            );
            let check = format!("cargo run -p exercises -- check {}\n", exercise.number());
            assert!(
                page.contains(&check),
                "{name} does not say `{}`",
                check.trim()
            );
            let hints = page.matches("<details>").count();
            assert!(
                (1..=3).contains(&hints),
                "{name}: {hints} hints, not 1 to 3"
            );
            assert_eq!(
                hints,
                page.matches("</details>").count(),
                "{name}: a hint left open"
            );
            let solution = format!("exercises/{}/solution.rs", exercise.name);
            assert!(
                page.contains(&solution),
                "{name} does not say where the solution is"
            );
        }
    }
}

#[test]
fn summary_lists_the_exercises_in_order_under_their_index() {
    for lang in EDITIONS {
        let summary = book(lang, "SUMMARY.md");
        let index = summary
            .find("(exercises/index.md)")
            .unwrap_or_else(|| panic!("{lang}/SUMMARY.md lists no exercises/index.md"));
        let mut after = index;
        for exercise in EXERCISES {
            let entry = format!("(exercises/{}.md)", exercise.name);
            let at = summary[after..]
                .find(&entry)
                .unwrap_or_else(|| panic!("{lang}/SUMMARY.md: {entry} missing, or out of order"));
            after += at;
            let line = summary[..after].lines().last().unwrap_or_default();
            let heading = title(exercise, lang);
            assert!(
                line.trim_start()
                    .starts_with(&format!("- [{}", &heading[2..])),
                "{lang}/SUMMARY.md: the entry of {} is not titled `{}…`",
                exercise.name,
                &heading[2..]
            );
        }
        let listed = book(lang, "exercises/index.md");
        for exercise in EXERCISES {
            assert!(
                listed.contains(&format!("({}.md)", exercise.name)),
                "{lang}/exercises/index.md does not list {}",
                exercise.name
            );
        }
    }
}

#[test]
fn each_section_page_links_its_exercise() {
    for lang in EDITIONS {
        for exercise in EXERCISES {
            let page = book(lang, exercise.section);
            let link = format!("(../exercises/{}.md)", exercise.name);
            assert!(
                page.contains(&link),
                "{lang}/{} does not link its exercise: {link}",
                exercise.section
            );
        }
    }
}

/// The catalog follows the tutorial: its sections in the order of the book's pages.
#[test]
fn the_exercises_follow_the_tutorial() {
    let summary = book("en", "SUMMARY.md");
    let position = |section: &str| {
        summary
            .find(&format!("({section})"))
            .unwrap_or_else(|| panic!("{section} is not in SUMMARY.md"))
    };
    let positions: Vec<usize> = EXERCISES.iter().map(|e| position(e.section)).collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] <= pair[1]),
        "the catalog's sections are not in the book's order"
    );
}
