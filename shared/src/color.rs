//! The tutorial's ANSI colours (`\033[41;1m…\033[0m`), on a terminal only.
//!
//! Colour is used when stdout is a terminal and `NO_COLOR` is unset or empty
//! (<https://no-color.org>). Piped output, and so every test, sees plain text.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::sync::OnceLock;

/// Whether [`paint`] adds escape codes in this process.
pub fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        wants_color(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        )
    })
}

/// `text` wrapped in the SGR code `sgr` (for example `"41;1"`: bold on red) when colour is
/// [`enabled`]; `text` unchanged otherwise.
pub fn paint(sgr: &str, text: &str) -> String {
    if enabled() {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

fn wants_color(stdout_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    stdout_is_terminal && no_color.is_none_or(OsStr::is_empty)
}

#[cfg(test)]
mod tests {
    use super::wants_color;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(wants_color(true, None));
        assert!(
            wants_color(true, Some(OsStr::new(""))),
            "an empty NO_COLOR does not count"
        );
        assert!(!wants_color(true, Some(OsStr::new("1"))));
        assert!(!wants_color(false, None), "pipes and files get plain text");
        assert!(!wants_color(false, Some(OsStr::new("1"))));
    }
}
