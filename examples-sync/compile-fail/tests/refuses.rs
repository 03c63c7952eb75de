//! Every case in `tests/ui/` must fail to compile with the message checked in next to it.
//! After a compiler upgrade changes a message, review it and refresh the files with
//! `TRYBUILD=overwrite cargo test -p compile-fail`.

#[test]
fn the_compiler_refuses_the_tutorials_unsynchronised_patterns() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
