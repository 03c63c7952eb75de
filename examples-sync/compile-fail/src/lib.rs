//! Compile-fail lessons for the synchronisation chapter: each file in `tests/ui/` is a
//! pattern from the tutorial that Rust refuses to compile, with the compiler's message checked
//! in beside it (`.stderr`). `cargo test -p compile-fail` checks that each still fails, and
//! with that message.
