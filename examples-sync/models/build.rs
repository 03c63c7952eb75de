//! Builds this crate, and so the example files it includes, with `cfg(loom)` and
//! `cfg(shuttle)`: each of those files then imports the checker's types instead of std's. Set
//! here, the cfgs reach this crate only, not its dependencies nor the examples' own builds.

fn main() {
    println!("cargo::rustc-cfg=loom");
    println!("cargo::rustc-cfg=shuttle");
}
