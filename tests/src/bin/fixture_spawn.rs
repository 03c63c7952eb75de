//! Harness fixture, not an example: drives `multiprocessing` down its failure paths, one
//! scenario per run (`fixture_spawn <scenario>`), and reports what the parent saw. Spawning
//! happens here, never inside a `#[test]` function, whose executable is the test harness.

use std::io::Write as _;
use std::time::Duration;

use ipc_channel::ipc::{self, IpcSender};
use multiprocessing::{Connection, Process, Target, explain, pipe, run_if_child};
use nix::sys::resource::{Resource, getrlimit, setrlimit};
use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;

/// The variable `Process::spawn` names a child's target in (private to the library).
const ROLE_VAR: &str = "MULTIPROCESSING_ROLE";

const EXIT_EARLY: Target<()> = Target::new("exit_early", never_runs);
const PANIC_EARLY: Target<()> = Target::new("panic_early", never_runs);
const UNLISTED: Target<()> = Target::new("unlisted", never_runs);
const PANICS: Target<String> = Target::new("panics", panics);
const SLEEPS: Target<u64> = Target::new("sleeps", sleeps);
const QUICK: Target<()> = Target::new("quick", |()| Ok(()));
const WAITS: Target<Connection<(), ()>> = Target::new("waits", |pipe| pipe.recv());
const HOLDS: Target<IpcSender<u32>> = Target::new("holds", |_queue| sleeps(60));
const SLOW_ERROR: Target<IpcSender<()>> = Target::new("slow_error", slow_error);
/// Puts its number times ten, then plus one, and says who it is.
const PRODUCES: Target<(u32, multiprocessing::Queue<(u32, String)>)> =
    Target::new("produces", |(n, queue)| {
        let me = multiprocessing::current_process();
        anyhow::ensure!(me.pid == std::process::id());
        queue.put((n * 10, me.name.clone()))?;
        queue.put((n * 10 + 1, me.name))
    });
/// The consumer: gets two items and sends back their sum.
const CONSUMES: Target<(multiprocessing::Queue<u32>, IpcSender<u32>)> =
    Target::new("consumes", |(queue, sum)| {
        let total = queue.get()? + queue.get()?;
        Ok(sum.send(total)?)
    });
const FAILS: Target<()> = Target::new("fails", |()| {
    let missing = std::fs::read("/nonexistent/file").map(drop);
    anyhow::Context::context(missing, "the child fails on purpose")
});

fn main() -> anyhow::Result<()> {
    // A child that dies before its handshake: what code placed above `run_if_child` can do.
    match std::env::var(ROLE_VAR).as_deref() {
        Ok("exit_early") => std::process::exit(3),
        Ok("panic_early") => panic!("dying before the handshake"),
        _ => {}
    }
    run_if_child(&[
        &EXIT_EARLY,
        &PANIC_EARLY,
        &PANICS,
        &SLEEPS,
        &QUICK,
        &WAITS,
        &HOLDS,
        &SLOW_ERROR,
        &FAILS,
        &PRODUCES,
        &CONSUMES,
    ]);

    let scenario = std::env::args().nth(1).unwrap_or_default();
    match scenario.as_str() {
        "queue" => {
            // Three producers put through clones; the first handle, here, gets.
            let queue = multiprocessing::Queue::new()?;
            let producers = (1..=3)
                .map(|n| Process::spawn(&PRODUCES, (n, queue.clone())))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let mut items: Vec<(u32, String)> =
                (0..6).map(|_| queue.get()).collect::<anyhow::Result<_>>()?;
            // Each producer's two items come in the order it put them.
            for n in 1..=3 {
                let mine: Vec<u32> = items
                    .iter()
                    .map(|(i, _)| *i)
                    .filter(|i| i / 10 == n)
                    .collect();
                println!("producer {n}: {mine:?}");
            }
            items.sort();
            let names: Vec<&str> = items.iter().map(|(_, name)| name.as_str()).collect();
            println!("names: {names:?}");
            for producer in producers {
                report("join", producer.join());
            }
            // Moved into a child, the first handle makes that child the consumer.
            let queue = multiprocessing::Queue::new()?;
            let producer = queue.clone();
            let (sum, total) = ipc::channel()?;
            let consumer = Process::spawn(&CONSUMES, (queue, sum))?;
            producer.put(20)?;
            producer.put(22)?;
            println!("the consumer's sum: {}", total.recv()?);
            report("join", consumer.join());
            report("get from a clone", producer.get().map(drop));
        }
        "exit-early" => report("spawn", Process::spawn(&EXIT_EARLY, ()).map(drop)),
        "panic-early" => report("spawn", Process::spawn(&PANIC_EARLY, ()).map(drop)),
        "unlisted" => report("spawn", Process::spawn(&UNLISTED, ()).map(drop)),
        "panic-after" => {
            let child = Process::spawn(&PANICS, "on purpose".into())?;
            report("join", child.join());
        }
        "killed-mid-run" => {
            let child = Process::spawn(&SLEEPS, 60)?;
            // Someone else kills it: the parent learns it only from the exit status.
            signal::kill(Pid::from_raw(i32::try_from(child.pid())?), Signal::SIGKILL)?;
            report("join", child.join());
        }
        "drop-running" => {
            let child = Process::spawn(&SLEEPS, 60)?;
            let pid = child.pid();
            drop(child);
            let gone = !std::path::Path::new(&format!("/proc/{pid}")).exists();
            println!("dropped child gone: {gone}");
        }
        "parent-killed" => {
            let children = [Process::spawn(&SLEEPS, 60)?, Process::spawn(&SLEEPS, 60)?];
            for child in &children {
                println!("child pid: {}", child.pid());
            }
            std::io::stdout().flush()?;
            // No destructor runs: only the lifelines can tell the children.
            signal::raise(Signal::SIGKILL)?;
        }
        "spawn-forever" => {
            // Two threads start and join children back to back, so that at any moment some
            // child is in its handshake; the test kills this process at a moment of its choice.
            println!("spawning");
            std::io::stdout().flush()?;
            std::thread::scope(|scope| {
                for _ in 0..2 {
                    scope.spawn(|| -> anyhow::Result<()> {
                        loop {
                            Process::spawn(&QUICK, ())?.join()?;
                        }
                    });
                }
            });
        }
        "pipe-peer-killed" => {
            let (ours, theirs) = pipe::<(), ()>()?;
            let child = Process::spawn(&WAITS, theirs)?;
            kill_behind_its_back(&child)?;
            report("recv", ours.recv());
            drop(child);
        }
        "queue-producer-killed" => {
            let (queue, items) = ipc::channel::<u32>()?;
            let child = Process::spawn(&HOLDS, queue)?;
            kill_behind_its_back(&child)?;
            report("recv", items.recv().map(drop).map_err(explain));
            drop(child);
        }
        "many-orphans" => {
            let children = (0..16)
                .map(|_| Process::spawn(&SLEEPS, 60))
                .collect::<anyhow::Result<Vec<_>>>()?;
            // Every child sees its parent go at the same moment, and each says so on stderr.
            signal::raise(Signal::SIGKILL)?;
            drop(children);
        }
        "fails" => {
            let child = Process::spawn(&FAILS, ())?;
            report("join", child.join());
        }
        "drop-while-exiting" => {
            let (done, finished) = ipc::channel::<()>()?;
            let child = Process::spawn(&SLOW_ERROR, done)?;
            let _ = finished.recv(); // fails as the child's target returns and drops `done`
            drop(child); // while the child is still printing its error
            println!("dropped");
        }
        "fd-limit" => {
            // No room for a new descriptor (the listing counts its own, closed again here).
            let open = std::fs::read_dir("/proc/self/fd")?.count() as u64 - 1;
            let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
            setrlimit(Resource::RLIMIT_NOFILE, open, hard)?;
            report("spawn", Process::spawn(&QUICK, ()).map(drop));
        }
        other => shared::cli::exit_usage(&format!("unknown scenario {other:?}")),
    }
    println!("children left: {}", tests::children_of(std::process::id()));
    Ok(())
}

fn report(what: &str, outcome: anyhow::Result<()>) {
    match outcome {
        Ok(()) => println!("{what} succeeded"),
        Err(error) => println!("{what} failed: {error:#}"),
    }
}

/// SIGKILL from outside the library, as another program (or the OOM killer) would send it.
fn kill_behind_its_back(child: &Process) -> anyhow::Result<()> {
    signal::kill(Pid::from_raw(i32::try_from(child.pid())?), Signal::SIGKILL)?;
    Ok(())
}

fn never_runs(_: ()) -> anyhow::Result<()> {
    unreachable!("this child dies before its handshake")
}

fn panics(why: String) -> anyhow::Result<()> {
    panic!("a child panicking {why}");
}

fn sleeps(seconds: u64) -> anyhow::Result<()> {
    std::thread::sleep(Duration::from_secs(seconds));
    Ok(())
}

/// Fails with an error that takes a while to print, like one whose backtrace is resolved.
fn slow_error(_done: IpcSender<()>) -> anyhow::Result<()> {
    Err(anyhow::Error::new(SlowToPrint))
}

#[derive(Debug)]
struct SlowToPrint;

impl std::fmt::Display for SlowToPrint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::thread::sleep(Duration::from_millis(300));
        f.write_str("an error that takes 300 ms to print")
    }
}

impl std::error::Error for SlowToPrint {}
