//! Getting results back from threads: through `join`, or stored on the thread's own object.
//!
//! Tutorial: 《python多进程vs多线程》 (003), section python多线程：适合IO密集 (`NerThread`, which
//! stores `self.ner = list(recognizer(self.name))` for the main thread to read after `join()`).
//! Python API: a `threading.Thread` subclass keeping its result in an attribute.
//!
//! Run: `cargo run -p examples-threads --bin thread_results`
//!
//! What to watch for: both ways print the same entities for the three texts, in the order the
//! threads started, whichever finished first. A stand-in recognizer picks capitalised words.
//!
//! Rust differences: usually the closure returns its result and `JoinHandle::join` hands it back,
//! with no shared object. Storing it on `self` works in `thread::scope`, where each thread borrows
//! its own `NerThread` mutably and the scope joins them all. Reading `ner` early does not compile;
//! in Python it fails only when it runs, with an `AttributeError`.

use std::thread;

const TEXTS: [&str; 3] = [
    "Alice met Bob in Paris",
    "Li Lei moved to Beijing",
    "nobody is named here",
];

struct NerThread {
    text: &'static str,
    ner: Vec<String>,
}

impl NerThread {
    fn run(&mut self) {
        self.ner = recognizer(self.text).collect();
    }
}

fn main() -> anyhow::Result<()> {
    shared::example::start();

    println!("1. 线程返回结果，由 join() 交回");
    let handles: Vec<_> = TEXTS
        .iter()
        .map(|&text| thread::spawn(move || recognizer(text).collect::<Vec<_>>()))
        .collect();
    for (text, handle) in TEXTS.iter().zip(handles) {
        let ner = handle.join().expect("a recognizer thread panicked");
        println!("{text} -> {ner:?}");
    }

    println!("2. 每个线程把结果存在自己的对象上（thread::scope）");
    let mut threads: Vec<NerThread> = TEXTS
        .iter()
        .map(|&text| NerThread {
            text,
            ner: Vec::new(),
        })
        .collect();
    thread::scope(|scope| {
        for ner_thread in &mut threads {
            scope.spawn(move || ner_thread.run());
        }
    }); // every scoped thread has been joined here, so the results can be read
    for ner_thread in &threads {
        println!("{} -> {:?}", ner_thread.text, ner_thread.ner);
    }
    Ok(())
}

/// Stand-in for the tutorial's NER model: capitalised words are "names".
fn recognizer(text: &str) -> impl Iterator<Item = String> + '_ {
    shared::pace::sleep_secs(0.5); // a model takes a while; the threads overlap
    text.split_whitespace()
        .filter(|word| word.starts_with(char::is_uppercase))
        .map(str::to_owned)
}
