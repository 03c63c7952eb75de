// Sharing a counter through `Rc`, the single-threaded reference count. Rust refuses to move
// an `Rc` into another thread: two threads updating its count at once would corrupt it.
// The fix: `Arc` (an atomic count), or `thread::scope` and a plain reference, as `counter` does.
use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

fn main() {
    let counter = Rc::new(RefCell::new(0));
    let for_thread = Rc::clone(&counter);
    let worker = thread::spawn(move || *for_thread.borrow_mut() += 1);
    worker.join().unwrap();
    println!("{}", counter.borrow());
}
