//! Harness fixture, not an example: starts a short-lived child and exits without waiting for
//! it, so the harness's "every child reaped" check has something to catch.

fn main() -> std::io::Result<()> {
    let child = std::process::Command::new("true").spawn()?;
    // Give it time to exit: from then on it is a zombie until someone waits for it.
    std::thread::sleep(std::time::Duration::from_millis(200));
    println!("left child {} unreaped", child.id());
    Ok(()) // dropping a `std::process::Child` does not wait for it
}
