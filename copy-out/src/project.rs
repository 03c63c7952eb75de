//! One example, found in the workspace's metadata, written as a Cargo project of its own.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context as _, bail};
use cargo_metadata::camino::{Utf8Path, Utf8PathBuf};
use cargo_metadata::{DependencyKind, Metadata, Package, TargetKind};

use crate::source;

/// An example binary of one of the `examples-*` packages.
pub struct Example<'a> {
    pub binary: String,
    pub package: &'a Package,
    /// `src/bin/<binary>.rs`, or `src/bin/<binary>/main.rs` with its modules beside it.
    pub main: Utf8PathBuf,
    metadata: &'a Metadata,
}

/// Every example binary of the workspace, sorted by name.
pub fn examples(metadata: &Metadata) -> Vec<Example<'_>> {
    let mut examples: Vec<Example<'_>> = metadata
        .workspace_packages()
        .into_iter()
        .filter(|package| package.name.starts_with("examples-"))
        .flat_map(|package| {
            let bins = package.targets.iter();
            bins.filter(|target| target.kind.contains(&TargetKind::Bin))
                .map(move |target| Example {
                    binary: target.name.clone(),
                    package,
                    main: target.src_path.clone(),
                    metadata,
                })
        })
        .collect();
    examples.sort_by(|a, b| a.binary.cmp(&b.binary));
    examples
}

/// What is written: each file's path in the project, and its text.
type Files = BTreeMap<String, String>;

impl Example<'_> {
    /// Writes the project into `dir`, which must not exist or be empty.
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let files = self.files()?;
        for (path, text) in &files {
            let path = dir.join(path);
            let parent = path.parent().expect("a file in the project");
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
            fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        }
        // The versions the workspace resolved; cargo drops what the project does not use.
        let lock = self.metadata.workspace_root.join("Cargo.lock");
        fs::copy(&lock, dir.join("Cargo.lock")).with_context(|| format!("cannot copy {lock}"))?;
        Ok(())
    }

    fn files(&self) -> anyhow::Result<Files> {
        let mut files = Files::new();
        let package = self.package.name.as_str();
        let mut sources = vec![("main.rs".to_owned(), self.main.clone())];
        if self.main.file_name() == Some("main.rs") {
            let dir = self.main.parent().expect("main.rs is in a directory");
            for entry in dir.read_dir_utf8()? {
                let entry = entry?;
                if entry.file_type()?.is_dir() {
                    bail!(
                        "{}: copy-out copies the modules beside main.rs, not directories",
                        entry.path()
                    );
                }
                if entry.file_name() != "main.rs" && entry.file_name().ends_with(".rs") {
                    sources.push((entry.file_name().to_owned(), entry.path().to_owned()));
                }
            }
        }
        for (name, path) in sources {
            let text = fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
            let text =
                source::rewrite(&text, package, &self.binary).with_context(|| path.clone())?;
            files.insert(format!("src/{name}"), text);
        }
        if files.values().any(|text| text.contains("local_server::")) {
            let main = files
                .get_mut("src/main.rs")
                .expect("main.rs is copied first");
            *main = with_module(main, "local_server");
            files.insert("src/local_server.rs".into(), self.local_server()?);
        }
        files.insert("Cargo.toml".into(), self.manifest(&files)?);
        files.insert("README.md".into(), self.readme());
        files.insert(".gitignore".into(), "/target\n".into());
        Ok(files)
    }

    /// `shared::http`, the loopback server the network examples fetch from, as a module.
    fn local_server(&self) -> anyhow::Result<String> {
        let path = self.metadata.workspace_root.join("shared/src/http.rs");
        let text = fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
        let module = text.split("#[cfg(test)]").next().unwrap_or_default();
        let module = module
            .replace("crate::pace::scaled(self.delay)", "self.delay")
            .replace("multiprocessing::plumbing::limits::suffix(&error)", "\"\"")
            .replace("[`crate::pace`]", "the workspace's `shared::pace`");
        Ok(format!(
            "// Copied by copy-out from the workspace's shared/src/http.rs. It stands in for the web\n\
             // sites the tutorial fetches. To fetch a real site instead, give the example its URL\n\
             // (`const SITE: &str = \"https://example.com\";`, then `format!(\"{{SITE}}{{path}}\")` where it\n\
             // calls `server.url(path)`), and delete the server with the lines that print what it saw.\n\n\
             // An example uses part of it.\n\
             #![allow(dead_code)]\n\n\
             {}",
            module.trim_end().to_owned() + "\n"
        ))
    }

    /// `Cargo.toml`: the dependencies of the example's package that its files use, as the
    /// package asks for them, at the versions `Cargo.lock` resolved.
    fn manifest(&self, files: &Files) -> anyhow::Result<String> {
        let resolve = self
            .metadata
            .resolve
            .as_ref()
            .context("cargo metadata without a resolve")?;
        let mut candidates = vec![self.package];
        let shared = self
            .metadata
            .workspace_packages()
            .into_iter()
            .find(|p| p.name == "shared");
        candidates.extend(shared.filter(|_| files.contains_key("src/local_server.rs")));
        let mut dependencies = BTreeMap::new();
        for package in candidates {
            let node = resolve.nodes.iter().find(|node| node.id == package.id);
            let node = node.context("a workspace package missing from the resolve")?;
            for dependency in &package.dependencies {
                let ident = dependency
                    .rename
                    .as_deref()
                    .unwrap_or(&dependency.name)
                    .replace('-', "_");
                if dependency.kind != DependencyKind::Normal
                    || dependency.name == "shared"
                    || !files.values().any(|text| uses(text, &ident))
                {
                    continue;
                }
                let resolved = node.deps.iter().find(|dep| dep.name == ident);
                let resolved = resolved.with_context(|| format!("{ident} is not resolved"))?;
                let version = &self.metadata[&resolved.pkg].version;
                let mut features = dependency.features.clone();
                if ident == "tokio" && files.contains_key("src/local_server.rs") {
                    features.extend(["rt", "net", "sync", "time"].map(String::from));
                }
                let key = dependency
                    .rename
                    .clone()
                    .unwrap_or_else(|| dependency.name.clone());
                let spec = dependencies.entry(key).or_insert_with(|| Spec {
                    name: dependency.name.clone(),
                    rename: dependency.rename.is_some(),
                    version: version.to_string(),
                    path: dependency.path.clone(),
                    default_features: dependency.uses_default_features,
                    features: Vec::new(),
                });
                spec.features.extend(features);
                spec.features.sort();
                spec.features.dedup();
            }
        }

        let package = &self.package;
        let relative = self
            .main
            .strip_prefix(&self.metadata.workspace_root)
            .unwrap_or(&self.main);
        let mut manifest = format!(
            "# Copied out of the workspace at {} ({relative}) by\n\
             # `cargo run -p copy-out -- {}`.\n\
             [package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"{}\"\n",
            self.metadata.workspace_root, self.binary, self.binary, package.edition
        );
        if let Some(rust_version) = &package.rust_version {
            writeln!(manifest, "rust-version = \"{rust_version}\"")?;
        }
        manifest.push_str("publish = false\n\n[dependencies]\n");
        for (key, spec) in &dependencies {
            writeln!(manifest, "{key} = {}", spec.toml())?;
        }
        manifest.push_str(
            "\n# As the workspace builds its examples: their own code optimised, so that the CPU\n\
             # lessons show as in a release build, and dependencies without debug info.\n\
             [profile.dev]\ndebug = \"line-tables-only\"\n[profile.dev.package.\"*\"]\ndebug = false\n",
        );
        let optimised = std::iter::once(self.binary.as_str()).chain(
            dependencies
                .contains_key("multiprocessing")
                .then_some("multiprocessing"),
        );
        for name in optimised {
            write!(
                manifest,
                "[profile.dev.package.{name}]\nopt-level = 1\ncodegen-units = 1\n"
            )?;
        }
        Ok(manifest)
    }

    fn readme(&self) -> String {
        let relative = self
            .main
            .strip_prefix(&self.metadata.workspace_root)
            .unwrap_or(&self.main);
        format!(
            "# {binary}\n\n\
             Copied out of the Rust port of the Python concurrency tutorial, at {root}: the example\n\
             `{relative}` (`cargo run -p {package} --bin {binary}` there), written as a project of its\n\
             own by `cargo run -p copy-out -- {binary}`. Run it with `cargo run`.\n\n\
             What it prints is documented beside the original, in `{transcript}`. The workspace's\n\
             plumbing is replaced by what it stands for: its sleeps take the tutorial's real time\n\
             (`EXAMPLES_TIME_SCALE` is gone), there is no colour and no timeline, and when the reader\n\
             of its output goes away (`cargo run | head`) it ends as Rust programs do, with a panic\n\
             message about a broken pipe, not quietly.\n",
            binary = self.binary,
            root = self.metadata.workspace_root,
            package = self.package.name,
            transcript = transcript(relative, &self.binary),
        )
    }
}

/// Where the example's transcript is: `src/bin/<binary>.md` beside the file or its directory.
fn transcript(main: &Utf8Path, binary: &str) -> Utf8PathBuf {
    let bin = main
        .ancestors()
        .find(|dir| dir.ends_with("bin"))
        .unwrap_or(main);
    bin.join(format!("{binary}.md"))
}

/// Whether `text` names the crate `ident` in a path (`ident::…`) or a `use`.
fn uses(text: &str, ident: &str) -> bool {
    let path = format!("{ident}::");
    text.match_indices(&path).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    }) || text.contains(&format!("use {ident};"))
}

/// `main` with `mod <name>;` after its `//!` block.
fn with_module(main: &str, name: &str) -> String {
    let lines: Vec<&str> = main.lines().collect();
    let after_docs = lines
        .iter()
        .take_while(|line| line.starts_with("//!"))
        .count();
    let mut out = lines[..after_docs].join("\n");
    if after_docs > 0 {
        out.push_str("\n\n");
    }
    writeln!(out, "mod {name};").expect("writing to a String");
    for line in &lines[after_docs..] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One dependency as the project's `Cargo.toml` asks for it.
struct Spec {
    name: String,
    rename: bool,
    version: String,
    path: Option<Utf8PathBuf>,
    default_features: bool,
    features: Vec<String>,
}

impl Spec {
    fn toml(&self) -> String {
        let mut fields = Vec::new();
        if self.rename {
            fields.push(format!("package = \"{}\"", self.name));
        }
        match &self.path {
            Some(path) => fields.push(format!("path = \"{path}\"")),
            None => fields.push(format!("version = \"{}\"", self.version)),
        }
        if !self.default_features {
            fields.push("default-features = false".into());
        }
        if !self.features.is_empty() {
            let features: Vec<String> = self.features.iter().map(|f| format!("\"{f}\"")).collect();
            fields.push(format!("features = [{}]", features.join(", ")));
        }
        if fields.len() == 1 && self.path.is_none() {
            format!("\"{}\"", self.version)
        } else {
            format!("{{ {} }}", fields.join(", "))
        }
    }
}
