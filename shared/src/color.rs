//! The tutorial's ANSI colours (`\033[41;1m…\033[0m`), on a terminal only.
//!
//! Colour is used when stdout is a terminal and `NO_COLOR` is unset or empty
//! (<https://no-color.org>). Piped output, and so every test, sees plain text.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// Whether [`paint`] adds escape codes in this process.
pub fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        !no_color && std::io::stdout().is_terminal()
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
