//! Ten children sleep 1 to 3 random seconds and put their pid on a queue; the parent collects them.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section 多进程 (`hello(n)` putting
//! `os.getpid()` on a `Queue`).
//! Python API: `multiprocessing.Process`, `Queue`, `q.empty()`, `q.get()`.
//!
//! Run: `cargo run -p examples-processes --bin queue_pids`
//!
//! What to watch for: the ten `[n] Hello!` lines in the order the random sleeps end, then
//! `Done!`, `10` and the ten pids, all different, in the order the children sent them.
//!
//! Rust differences: the tutorial's queue is a global that forked children inherit, and its
//! loop has no `__main__` guard: under spawn (the default on macOS and Windows) each child would
//! run the loop again, which Python stops with a `RuntimeError`. Here each child gets the
//! queue's sender as an argument. `while not q.empty()` becomes "receive until no sender is
//! left": once the parent has dropped its own and the children are gone, the queue is done.

use ipc_channel::IpcError;
use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Process, Target, run_if_child};

const HELLO: Target<(u32, IpcSender<u32>)> = Target::new("hello", hello);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&HELLO]);
    shared::example::start();

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
