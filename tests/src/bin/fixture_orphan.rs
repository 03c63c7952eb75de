//! Harness fixture, not an example: starts a long `sleep` and exits without waiting for it,
//! so the harness's "nothing outlives the example" check has something to catch.

fn main() -> std::io::Result<()> {
    std::process::Command::new("sleep").arg("30").spawn()?;
    println!("left a child behind");
    Ok(())
}
