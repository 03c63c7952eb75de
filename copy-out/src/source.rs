//! An example's source, with the workspace's plumbing replaced by what it stands for.

use anyhow::{Context as _, bail};

/// Replaces each call of the `shared` crate by the line it stands for, as a reader would:
/// pacing becomes a plain sleep, the start call goes, colour becomes the plain text, the
/// loopback server becomes the copied `local_server` module. `package` and `binary` name the
/// example, so that its run command becomes `cargo run`.
pub fn rewrite(source: &str, package: &str, binary: &str) -> anyhow::Result<String> {
    let duration = if imports(source, "std::time::Duration") {
        "Duration"
    } else {
        "std::time::Duration"
    };
    let thread = if imports(source, "std::thread") {
        "thread"
    } else {
        "std::thread"
    };

    // `use shared::color::paint;` then `paint(…)`: the calls written out, the `use` gone.
    let mut imported = Vec::new();
    let mut text: String = source
        .lines()
        .filter(|line| match line.strip_prefix("use shared::") {
            Some(item) => {
                let path = item.trim_end_matches(';');
                let name = path.rsplit("::").next().unwrap_or(path);
                imported.push((format!("{name}("), format!("shared::{path}(")));
                false
            }
            None => line.trim() != "shared::example::start();",
        })
        .flat_map(|line| [line, "\n"])
        .collect();
    for (call, written_out) in imported {
        text = replace_word(&text, &call, &written_out);
    }
    text = text
        .replace("shared::example::start_with()", "clap::Parser::parse()")
        .replace("shared::pace::scale()", "1.0")
        .replace("shared::cli::binary_name()", "env!(\"CARGO_BIN_NAME\")")
        .replace("shared::http::", "local_server::");
    text = replace_calls(&text, "shared::pace::sleep_secs", |args| {
        format!("{thread}::sleep({duration}::from_secs_f64({}))", args[0])
    })?;
    text = replace_calls(&text, "shared::pace::tokio_sleep_secs", |args| {
        format!("tokio::time::sleep({duration}::from_secs_f64({}))", args[0])
    })?;
    text = replace_calls(&text, "shared::pace::scaled", |args| args[0].to_owned())?;
    text = replace_calls(&text, "shared::color::paint", |args| args[1].to_owned())?;
    text = replace_calls(&text, "shared::cli::exit_usage", |args| {
        format!(
            "{{ eprintln!(\"{{}}: {{}}\", env!(\"CARGO_BIN_NAME\"), {}); std::process::exit(2) }}",
            args[0]
        )
    })?;
    text = replace_calls(&text, "shared::cli::exit_with", |args| {
        format!(
            "{{ eprintln!(\"{{}}: {{}}\", env!(\"CARGO_BIN_NAME\"), {}); std::process::exit({}) }}",
            args[1], args[0]
        )
    })?;
    for release in ["", " --release"] {
        text = text.replace(
            &format!("cargo run{release} -p {package} --bin {binary}"),
            &format!("cargo run{release}"),
        );
    }
    if let Some(at) = text.find("shared::") {
        let rest = &text[at..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        bail!(
            "copy-out does not know what `{}` stands for: add it to copy-out/src/source.rs",
            &rest[..end]
        );
    }
    Ok(text)
}

/// Whether `source` brings the item at `path` into scope by its last name: `use std::thread;`,
/// `use std::thread::{self, …};` or `use std::time::{Duration, Instant};`.
fn imports(source: &str, path: &str) -> bool {
    let (parent, name) = path.rsplit_once("::").expect("a path with a parent");
    source.lines().any(|line| {
        let Some(used) = line.trim().strip_prefix("use ") else {
            return false;
        };
        let used = used.trim_end_matches(';');
        let listed = |prefix: &str, item: &str| {
            used.strip_prefix(prefix)
                .and_then(|list| list.strip_prefix("::{"))
                .and_then(|list| list.strip_suffix('}'))
                .is_some_and(|list| list.split(',').any(|listed| listed.trim() == item))
        };
        used == path || listed(parent, name) || listed(path, "self")
    })
}

/// `text` with `from` replaced by `to` where `from` does not continue a longer name or path.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let continues = rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '.');
        out.push_str(&rest[..at]);
        out.push_str(if continues { from } else { to });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// `text` with every call `name(a, b, …)` replaced by `replace(&[a, b, …])`.
fn replace_calls(
    text: &str,
    name: &str,
    replace: impl Fn(&[&str]) -> String,
) -> anyhow::Result<String> {
    let mut out = String::new();
    let mut rest = text;
    let call = format!("{name}(");
    while let Some(start) = rest.find(&call) {
        out.push_str(&rest[..start]);
        let after = &rest[start + call.len()..];
        let (args, end) = arguments(after).with_context(|| format!("a call of {name}"))?;
        out.push_str(&replace(&args));
        rest = &after[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The top-level, comma-separated arguments at the start of `text` (just after a call's `(`),
/// and where the call's `)` ends.
fn arguments(text: &str) -> anyhow::Result<(Vec<&str>, usize)> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let (mut args, mut from) = (Vec::new(), 0);
    for (at, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' if depth == 0 => {
                let last = text[from..at].trim();
                if !last.is_empty() {
                    args.push(last);
                }
                return Ok((args, at + 1));
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                args.push(text[from..at].trim());
                from = at + 1;
            }
            _ => {}
        }
    }
    bail!("its parentheses do not close")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plumbing_call_becomes_what_it_stands_for() {
        let source = "\
//! `cargo run -p examples-threads --bin timer`
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    shared::example::start();
    shared::pace::sleep_secs(f(1, (2, 3)));
    let d = shared::pace::scaled(Duration::from_millis(5));
    println!(\"{}\", shared::color::paint(\"31\", &format!(\"a, {}\", \"b)\")));
}
";
        let copied = rewrite(source, "examples-threads", "timer").unwrap();
        assert_eq!(
            copied,
            "\
//! `cargo run`
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    thread::sleep(Duration::from_secs_f64(f(1, (2, 3))));
    let d = Duration::from_millis(5);
    println!(\"{}\", &format!(\"a, {}\", \"b)\"));
}
"
        );
    }

    #[test]
    fn without_the_imports_the_paths_are_written_out() {
        let copied = rewrite(
            "async fn f() { shared::pace::tokio_sleep_secs(0.5).await; shared::pace::sleep_secs(1.0); }",
            "p",
            "b",
        )
        .unwrap();
        assert_eq!(
            copied,
            "async fn f() { tokio::time::sleep(std::time::Duration::from_secs_f64(0.5)).await; \
             std::thread::sleep(std::time::Duration::from_secs_f64(1.0)); }\n"
        );
    }

    #[test]
    fn flags_and_failures_keep_their_one_line() {
        let copied = rewrite(
            "let args: Args = shared::example::start_with();\nshared::cli::exit_with(1, &message);",
            "p",
            "b",
        )
        .unwrap();
        assert_eq!(
            copied,
            "let args: Args = clap::Parser::parse();\n{ eprintln!(\"{}: {}\", \
             env!(\"CARGO_BIN_NAME\"), &message); std::process::exit(1) };\n"
        );
    }

    #[test]
    fn an_imported_plumbing_function_is_replaced_where_it_is_called() {
        let copied = rewrite(
            "use shared::color::paint;\n\nfn f() { g(&paint(\"31\", \"x\")); self.paint(1); }",
            "p",
            "b",
        )
        .unwrap();
        assert_eq!(copied, "\nfn f() { g(&\"x\"); self.paint(1); }\n");
    }

    #[test]
    fn an_unknown_shared_call_is_an_error_that_names_it() {
        let error = rewrite("shared::timeline::init();", "p", "b").unwrap_err();
        assert_eq!(
            error.to_string(),
            "copy-out does not know what `shared::timeline::init` stands for: add it to \
             copy-out/src/source.rs"
        );
    }

    #[test]
    fn imports_are_recognised_in_their_usual_forms() {
        assert!(imports("use std::thread;", "std::thread"));
        assert!(imports(
            "use std::thread::{self, JoinHandle};",
            "std::thread"
        ));
        assert!(imports(
            "use std::time::{Duration, Instant};",
            "std::time::Duration"
        ));
        assert!(imports("use std::time::Duration;", "std::time::Duration"));
        assert!(!imports("use std::thread::JoinHandle;", "std::thread"));
        assert!(!imports("use std::time::Instant;", "std::time::Duration"));
    }
}
