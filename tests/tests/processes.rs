//! The multiprocessing chapter (package `examples-processes`).

use tests::{assert_transcript, example, str};

#[test]
fn process_basic_runs_five_children_then_ends_the_test() {
    let run = example("process_basic").run().success();
    // The children's lines are identical, and the parent prints only after reaping all five.
    assert_transcript(
        &run.stdout,
        str![[r#"
测试Python多进程
测试Python多进程
测试Python多进程
测试Python多进程
测试Python多进程
结束测试

"#]],
    );
}
