//! Running cargo from a program that cargo started (a test, `cargo run -p exercises`), with the
//! environment a shell would give it.
//!
//! Such a program runs with the variables cargo sets for its own package; a build script that
//! tracks one of them (ring's tracks CARGO_MANIFEST_DIR) would see it change, and the nested build
//! would compile ring, rustls, sqlx, redis and apalis again, then the outer one once more the next
//! time.

use std::ffi::OsString;
use std::process::Command;

/// The cargo that started this program (or the one on `PATH`), without its per-package variables.
pub fn command() -> Command {
    let mut cargo =
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_BIN_EXE_")
            || matches!(
                &*key,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "OUT_DIR"
            )
        {
            cargo.env_remove(&*key);
        }
    }
    cargo
}
