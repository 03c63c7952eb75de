//! Harness fixture, not an example: drives `shared::process` down its failure paths, one
//! scenario per run (`fixture_spawn <scenario>`), and reports what the parent saw. Spawning
//! happens here, never inside a `#[test]` function, whose executable is the test harness.

use std::io::Write as _;
use std::time::Duration;

use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;
use shared::process::{Process, ROLE_VAR, Target, run_if_child};

const EXIT_EARLY: Target<()> = Target::new("exit_early", never_runs);
const PANIC_EARLY: Target<()> = Target::new("panic_early", never_runs);
const UNLISTED: Target<()> = Target::new("unlisted", never_runs);
const PANICS: Target<String> = Target::new("panics", panics);
const SLEEPS: Target<u64> = Target::new("sleeps", sleeps);

fn main() -> anyhow::Result<()> {
    // A child that dies before its handshake: what code placed above `run_if_child` can do.
    match std::env::var(ROLE_VAR).as_deref() {
        Ok("exit_early") => std::process::exit(3),
        Ok("panic_early") => panic!("dying before the handshake"),
        _ => {}
    }
    run_if_child(&[&EXIT_EARLY, &PANIC_EARLY, &PANICS, &SLEEPS]);

    let scenario = std::env::args().nth(1).unwrap_or_default();
    match scenario.as_str() {
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
