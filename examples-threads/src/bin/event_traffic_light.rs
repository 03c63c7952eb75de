//! A traffic light and a car, coordinated by an `Event` (a flag threads can wait on).
//!
//! Tutorial: 《02.进程线程理解 解决异步非阻塞开发问题》 (001), section 事件（Event类） (the
//! `lighter` and `car("MINI")` threads).
//! Python API: `threading.Event`: `set()`, `clear()`, `is_set()`, `wait()`.
//!
//! Run: `cargo run -p examples-threads --bin event_traffic_light` (`-- --cycles N`, default 2)
//!
//! What to watch for: the light prints a line a second (coloured on a terminal), six green then
//! five red, as CPython prints them; each later cycle opens with a silent green second (the
//! tutorial's count resets without printing), then five green and five red. The car prints
//! `running...` while the flag is set, and on red `sees red light,waiting...`; it blocks in
//! `wait()` until green, then prints `start going...`. How the car's lines fall between the light's
//! is up to the scheduler.
//!
//! Rust differences: the `Event` below is a `Mutex<bool>` plus a `Condvar`, as CPython builds it
//! on a `Condition`. The light stops after `--cycles` and raises `lights_off`, which the car
//! checks each time round; the flag is set before either thread starts, so the car sees green.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;

/// `threading.Event`: a boolean flag, and a way to sleep until it is true. `Event::default()` is
/// `threading.Event()`: the flag starts false.
#[derive(Default)]
struct Event {
    flag: Mutex<bool>,
    flag_set: Condvar,
}

impl Event {
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

fn main() -> anyhow::Result<()> {
    let args: Args = shared::example::start_with();

    let event = Event::default();
    let lights_off = AtomicBool::new(false);
    event.set(); // start on green

    thread::scope(|scope| {
        scope.spawn(|| lighter(&event, &lights_off, args.cycles));
        scope.spawn(|| car(&event, &lights_off, "MINI"));
    });
    Ok(())
}

fn lighter(event: &Event, lights_off: &AtomicBool, cycles: u32) {
    // The tutorial's `count`, one step a second: green while it is 0 to 5, red from 6 to 10;
    // at 11 the light turns green and the count restarts at 0 without a line. So the first
    // cycle prints six green lines, and each later one a silent green second, then five.
    for cycle in 0..cycles {
        // Each phase is a `light` span on a timeline (EXAMPLES_TIMELINE=1).
        let green = tracing::info_span!("light", colour = "green").entered();
        let first_green = if cycle == 0 {
            0
        } else {
            shared::pace::sleep_secs(1.0); // count 11, then 0: green, silent
            1
        };
        for _count in first_green..=5 {
            println!("{}", shared::color::paint("42;1", "green light is on..."));
            shared::pace::sleep_secs(1.0);
        }
        drop(green);
        let red = tracing::info_span!("light", colour = "red").entered();
        event.clear();
        for _count in 6..=10 {
            println!("{}", shared::color::paint("41;1", "red light is on..."));
            shared::pace::sleep_secs(1.0);
        }
        event.set();
        drop(red);
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
            let _wait = tracing::info_span!("wait", on = "green light").entered();
            event.wait();
            println!("[{name}] green light is on,start going...");
        }
    }
}
