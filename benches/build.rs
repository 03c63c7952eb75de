//! Copies the `gil_simulated` example for the `gil` bench, with its `mod gil` made `pub` so that
//! the bench can call the example's own lock (the example file keeps it private: it is used
//! only by its `main`). The bench includes the copy from `OUT_DIR`.

use std::path::Path;
use std::{env, fs};

const EXAMPLE: &str = "../examples-threads/src/bin/gil_simulated.rs";

fn main() {
    println!("cargo::rerun-if-changed={EXAMPLE}");
    let source = fs::read_to_string(EXAMPLE).expect("cannot read the gil_simulated example");
    assert!(
        source.contains("\nmod gil {"),
        "{EXAMPLE} no longer has `mod gil {{`: update benches/build.rs"
    );
    // The `//!` block is the binary's: inside the bench's module it could not stand.
    let copy: String = source
        .lines()
        .filter(|line| !line.starts_with("//!"))
        .map(|line| match line {
            "mod gil {" => "pub mod gil {\n".to_owned(),
            line => format!("{line}\n"),
        })
        .collect();
    let out_dir = env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for a build script");
    fs::write(Path::new(&out_dir).join("gil_simulated.rs"), copy)
        .expect("cannot write into OUT_DIR");
}
