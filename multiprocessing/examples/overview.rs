//! The crate's overview example: a child process, then a pool of four (`cargo run -p
//! multiprocessing --example overview`). The crate docs show this file.

use multiprocessing::{Pool, Process, Target, Task, Workers, run_if_child};

const GREET: Target<String> = Target::new("greet", |name| {
    println!("hello {name}");
    Ok(())
});
const SQUARE: Task<u64, u64> = Task::new("square", |n| Ok(n * n));
const WORKERS: Workers = Workers::new("pool_worker", &[&SQUARE]);

fn main() -> anyhow::Result<()> {
    // In a child process: runs its target and exits. In the parent: returns at once.
    run_if_child(&[&GREET, &WORKERS]);

    Process::spawn(&GREET, "bob".to_owned())?.join()?;
    let mut pool = Pool::new(&WORKERS, 4)?;
    assert_eq!(pool.map(&SQUARE, 0..5)?, [0, 1, 4, 9, 16]);
    pool.close();
    pool.join()
}
