//! The main process and a child each print who they are: module, parent pid, own pid.
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 多进程 (the third snippet:
//! `info(title)` in the main process and in `f('bob')`).
//! Python API: `os.getppid()`, `os.getpid()`, `__name__`, ANSI colour codes in the titles.
//!
//! Run: `cargo run -p examples-processes --bin process_info`
//!
//! What to watch for: the child's `parent process` is the main process's `process id`, and the
//! main process's own parent is whatever started it (cargo, or your shell). The titles are
//! green and red on a terminal, plain when piped or with `NO_COLOR` set.
//!
//! Rust differences: `module name` is `module_path!()`, the crate's name, in both processes.
//! Python prints `__main__` in the main process and `__mp_main__` in a spawned child
//! (`__main__` if forked), and its guard tells them apart by that name; `run_if_child` reads an
//! environment variable instead.

use multiprocessing::{Process, Target, run_if_child};
use shared::color::paint;

const F: Target<String> = Target::new("f", f);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&F]);
    shared::example::start();

    info(&paint("32;1", "main process line"));
    let p = Process::spawn(&F, "bob".to_owned())?;
    p.join()?;
    Ok(())
}

fn info(title: &str) {
    println!("{title}");
    println!("module name: {}", module_path!());
    println!("parent process: {}", std::os::unix::process::parent_id());
    println!("process id: {}", std::process::id());
    // Python's `print("\n\n")`: two newlines, plus the one print adds.
    println!("\n\n");
}

fn f(name: String) -> anyhow::Result<()> {
    info(&paint("31;1", "function f"));
    println!("hello {name}");
    Ok(())
}
