//! Takes an example home: writes it as a Cargo project of its own, which builds and runs outside
//! this workspace.
//!
//! ```console
//! $ cargo run -p copy-out -- event_traffic_light /tmp/traffic
//! $ cd /tmp/traffic && cargo run
//! ```
//!
//! The project has the example's files (a directory example's modules too), a `Cargo.toml` with
//! the crates those files use, as the example's package asks for them and at the versions the
//! workspace's `Cargo.lock` resolved (`multiprocessing` as a path dependency), that lock file,
//! and a README that says where it came from. The workspace's plumbing is replaced by what it
//! stands for (`src/source.rs`): the start call goes, pacing becomes a plain sleep, colour plain
//! text, and the network examples' loopback server comes along as a module.
//!
//! `--all DIR` writes every example, each into `DIR/<binary>`: CI builds them all.

mod project;
mod source;

use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;
use clap::Parser;

#[derive(Parser)]
#[command(about = "Writes an example as a Cargo project of its own")]
struct Args {
    /// The example's binary, as in `cargo run -p examples-threads --bin timer`.
    #[arg(required_unless_present = "all")]
    binary: Option<String>,
    /// Where to write the project (it must not exist, or be empty); by default `./<binary>`.
    dir: Option<PathBuf>,
    /// Writes every example instead, each into `DIR/<binary>`.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["binary", "dir"])]
    all: Option<PathBuf>,
}

fn main() {
    let args: Args = shared::example::start_with();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let metadata = MetadataCommand::new()
        .manifest_path(workspace)
        .exec()
        .unwrap_or_else(|error| shared::cli::exit_with(1, &format!("cargo metadata: {error}")));
    let examples = project::examples(&metadata);

    let chosen: Vec<(&project::Example<'_>, PathBuf)> = match (&args.binary, &args.all) {
        (_, Some(all)) => examples.iter().map(|e| (e, all.join(&e.binary))).collect(),
        (Some(binary), None) => {
            let Some(example) = examples.iter().find(|e| &e.binary == binary) else {
                let names: Vec<&str> = examples.iter().map(|e| e.binary.as_str()).collect();
                shared::cli::exit_usage(&format!(
                    "no example named {binary:?}; the examples: {}",
                    names.join(", ")
                ));
            };
            let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from(binary));
            vec![(example, dir)]
        }
        (None, None) => unreachable!("clap requires a binary unless --all is given"),
    };
    for (_, dir) in &chosen {
        if dir
            .read_dir()
            .is_ok_and(|mut entries| entries.next().is_some())
        {
            shared::cli::exit_usage(&format!(
                "{} is not empty: choose another directory, or delete it first",
                dir.display()
            ));
        }
    }
    for (example, dir) in &chosen {
        if let Err(error) = example.write(dir) {
            shared::cli::exit_with(1, &format!("{}: {error:#}", example.binary));
        }
        if args.all.is_none() {
            println!(
                "wrote {} ({}) to {}; run it with: cd {} && cargo run",
                example.binary,
                example.package.name,
                dir.display(),
                dir.display()
            );
        }
    }
    if let Some(all) = &args.all {
        println!("wrote {} examples to {}", chosen.len(), all.display());
    }
}
