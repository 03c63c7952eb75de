//! Ten children sleep a random 1 to 3 seconds and put their pid on a shared queue; the parent
//! collects the pids once every child has finished.
//!
//! Tutorial: `002_…txt`, section 多进程 (`hello(n)` putting `os.getpid()` on a `Queue`).
//! Python API: `multiprocessing.Process`, `Queue`, `q.empty()`, `q.get()`.
//!
//! Run: `cargo run -p examples-processes --bin queue_pids`
//!
//! What to watch for: the ten `[n] Hello!` lines in the order the random sleeps end, then
//! `Done!`, `10` and the ten pids, all different, in the order the children finished.
//!
//! Rust differences:
//! - The tutorial's queue is a module global that forked children inherit, and its process
//!   loop has no `if __name__ == '__main__':` guard. Under the spawn start method (the default
//!   on macOS and Windows) each child would start by running that loop again, which Python
//!   stops with a `RuntimeError`, and would get a queue of its own. Here the queue's sender is
//!   passed to each child as an argument, which is what spawn requires.
//! - `while not q.empty()` becomes "receive until no sender is left": the parent drops its own
//!   sender, so once the children are gone the queue reports that it is finished.

use ipc_channel::IpcError;
use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};

const HELLO: Target<(u32, IpcSender<u32>)> = Target::new("hello", hello);

fn main() -> anyhow::Result<()> {
    // In a child: runs hello and exits here. In the parent: returns at once.
    run_if_child(&[&HELLO]);
    shared::cli::no_args();

    let (queue, pids) = ipc::channel::<u32>()?;
    let mut processes = Vec::new();
    for n in 0..10 {
        processes.push(Process::spawn(&HELLO, (n, queue.clone()))?);
    }
    // The receiver sees the end only when every sender is dropped: the children's, and ours.
    drop(queue);
    for process in processes {
        process.join()?;
    }

    let mut mylist = Vec::new();
    loop {
        match pids.recv() {
            Ok(pid) => mylist.push(pid),
            Err(IpcError::Disconnected) => break,
            Err(error) => return Err(error.into()),
        }
    }
    println!("Done!");
    println!("{}", mylist.len());
    println!("{mylist:?}");
    Ok(())
}

fn hello((n, queue): (u32, IpcSender<u32>)) -> anyhow::Result<()> {
    shared::pace::sleep_secs(f64::from(rand::random_range(1..=3_u32)));
    queue.send(std::process::id())?;
    println!("[{n}] Hello!");
    Ok(())
}
