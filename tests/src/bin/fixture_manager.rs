//! Harness fixture, not an example: drives `multiprocessing` down its failure paths, one scenario
//! per run (`fixture_manager <scenario>`), and prints what the parent saw.

use std::time::{Duration, Instant};

use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{ListProxy, Manager, Process, QueueProxy, Target, run_if_child};

const GETS: Target<(QueueProxy<u32>, IpcSender<()>)> = Target::new("gets", gets);
const APPENDS: Target<(ListProxy<u32>, u32)> = Target::new("appends", |(list, i)| list.append(&i));

fn main() -> anyhow::Result<()> {
    run_if_child(&[&GETS, &APPENDS]);
    let scenario = std::env::args().nth(1).unwrap_or_default();
    let manager = Manager::start()?;
    match scenario.as_str() {
        "getter-killed" => {
            let queue = manager.queue::<u32>()?;
            let (ready, getting) = ipc::channel()?;
            let mut getter = Process::spawn(&GETS, (queue.clone(), ready))?;
            getting.recv()?;
            // Give the child's `get` time to reach the manager, which then holds it as a waiter.
            // No proxy call can tell that it has; were it still on its way, the run would pass
            // without testing the dead waiter, never fail: 200 ms against microseconds.
            std::thread::sleep(Duration::from_millis(200));
            getter.kill()?;
            println!(
                "getter ended: {}",
                multiprocessing::describe(getter.wait()?)
            );
            queue.put(&7)?;
            println!("qsize after put: {}", queue.qsize()?);
            println!("get: {}", queue.get()?);
        }
        "clients-pruned" => {
            let list = manager.list::<u32>([])?;
            list.len()?; // the parent's own proxy registers before the count starts
            // The manager hands the proxy's liveness channel to its watcher thread after it has
            // replied: the count settles once the watcher has it (late, under load).
            let before = settled_descriptors()?;
            for i in 0..20 {
                Process::spawn(&APPENDS, (list.clone(), i))?.join()?;
            }
            // The manager learns that a client is gone a moment after its process ends.
            let deadline = Instant::now() + Duration::from_secs(5);
            while open_descriptors()? > before && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            println!("items: {}", list.len()?);
            let held = open_descriptors()?.saturating_sub(before);
            println!("descriptors held for clients that are gone: {held}");
        }
        other => shared::cli::exit_usage(&format!("unknown scenario {other:?}")),
    }
    manager.shutdown()?;
    println!("children left: {}", tests::children_of(std::process::id()));
    Ok(())
}

/// Tells the parent it is about to call `get`, then blocks in it until killed.
fn gets((queue, ready): (QueueProxy<u32>, IpcSender<()>)) -> anyhow::Result<()> {
    ready.send(())?;
    let item = queue.get()?;
    anyhow::bail!("got {item}, but the parent kills this child before it puts anything")
}

/// The socket count once it has not changed for half a second.
fn settled_descriptors() -> anyhow::Result<usize> {
    let mut count = open_descriptors()?;
    let mut since = Instant::now();
    while since.elapsed() < Duration::from_millis(500) {
        std::thread::sleep(Duration::from_millis(10));
        let now = open_descriptors()?;
        if now != count {
            (count, since) = (now, Instant::now());
        }
    }
    Ok(count)
}

/// The sockets this process holds: a client's channels are sockets. Other descriptors come and
/// go on their own schedule (the broken-pipe watcher opens a pipe once it starts, late under
/// load), so they are not counted.
fn open_descriptors() -> anyhow::Result<usize> {
    let mut sockets = 0;
    for entry in std::fs::read_dir("/proc/self/fd")? {
        let target = std::fs::read_link(entry?.path()).unwrap_or_default();
        sockets += usize::from(target.to_string_lossy().starts_with("socket:"));
    }
    Ok(sockets)
}
