//! A traffic light and a car, coordinated by an `Event` (a flag threads can wait on).
//!
//! Tutorial: `001_…txt`, section 事件（Event类） (the `lighter` and `car("MINI")` threads).
//! Python API: `threading.Event`: `set()`, `clear()`, `is_set()`, `wait()`.
//!
//! Run: `cargo run -p examples-threads --bin event_traffic_light` (`--cycles N`, default 2;
//! `EXAMPLES_TIME_SCALE=0.2` to watch it faster).
//!
//! What to watch for: the light prints one line a second, five green then five red per cycle.
//! The car drives (`running...`) while the flag is set; on red it prints `sees red
//! light,waiting...` and blocks in `wait()` until the light turns green, then `start going...`.
//! How the car's lines fall between the light's lines depends on the scheduler.
//!
//! Rust differences:
//! - std has no `Event`: it is written out below as a `Mutex<bool>` plus a `Condvar`, which is
//!   also how CPython implements it (with a `Condition`).
//! - The tutorial's loops never end. Here the light runs `--cycles` cycles, then raises a
//!   `lights_off` flag that the car checks each time round its loop, so both threads finish.
//!   (Each phase is its own loop; the tutorial's single counter gives the same pattern, with a
//!   sixth, silent green second.)
//! - The flag is set *before* either thread starts, so the car's first look always sees green.
//!   (In the tutorial the light sets it, and a fast car could see red first.)
//! - Colours are the tutorial's escape codes, printed only when stdout is a terminal.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;

/// `threading.Event`: a boolean flag, and a way to sleep until it is true.
struct Event {
    flag: Mutex<bool>,
    flag_set: Condvar,
}

impl Event {
    fn new() -> Self {
        Self {
            flag: Mutex::new(false),
            flag_set: Condvar::new(),
        }
    }

    fn set(&self) {
        // A poisoned lock means another thread panicked while holding it: a bug, so panic too.
        *self.flag.lock().unwrap() = true;
        self.flag_set.notify_all(); // wake every waiter, as Python's set() does
    }

    fn clear(&self) {
        *self.flag.lock().unwrap() = false;
    }

    fn is_set(&self) -> bool {
        *self.flag.lock().unwrap()
    }

    fn wait(&self) {
        let flag = self.flag.lock().unwrap();
        // `wait_while` re-checks after every wake-up, so spurious wake-ups are harmless.
        drop(self.flag_set.wait_while(flag, |is_set| !*is_set).unwrap());
    }
}

/// Event traffic light from the tutorial, bounded so that it ends.
#[derive(clap::Parser)]
struct Args {
    /// Green-then-red cycles the light runs before it switches off.
    #[arg(long, default_value_t = 2, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    cycles: u32,
}

const GREEN_SECONDS: u32 = 5;
const RED_SECONDS: u32 = 5;

fn main() -> anyhow::Result<()> {
    let args: Args = shared::cli::parse();

    let event = Event::new();
    let lights_off = AtomicBool::new(false);
    event.set(); // start on green

    thread::scope(|scope| {
        scope.spawn(|| lighter(&event, &lights_off, args.cycles));
        scope.spawn(|| car(&event, &lights_off, "MINI"));
    });
    Ok(())
}

fn lighter(event: &Event, lights_off: &AtomicBool, cycles: u32) {
    for _ in 0..cycles {
        for _ in 0..GREEN_SECONDS {
            println!("{}", shared::color::paint("42;1", "green light is on..."));
            shared::pace::sleep_secs(1.0);
        }
        event.clear();
        for _ in 0..RED_SECONDS {
            println!("{}", shared::color::paint("41;1", "red light is on..."));
            shared::pace::sleep_secs(1.0);
        }
        event.set();
    }
    lights_off.store(true, Ordering::Relaxed);
}

fn car(event: &Event, lights_off: &AtomicBool, name: &str) {
    // Relaxed is enough: the flag carries no other data, and the car merely stops a little later.
    while !lights_off.load(Ordering::Relaxed) {
        if event.is_set() {
            println!("[{name}] running...");
            shared::pace::sleep_secs(1.0);
        } else {
            println!("[{name}] sees red light,waiting...");
            event.wait();
            println!("[{name}] green light is on,start going...");
        }
    }
}
