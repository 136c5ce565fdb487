//! The layer rule, checked on the source so it cannot rot: the layers below the resources (`k8s`, `aws`,
//! `value`, `schema`) never name the resources, the framework or the server, and no resource reaches into
//! another resource's modules (what two resources share lives in a layer below them).

use std::fs;
use std::path::{Path, PathBuf};

/// Directories under `src/` that sit below the resources.
const LOWER: &[&str] = &["k8s", "aws", "value", "schema"];

/// Paths a lower layer must not name.
const ABOVE: &[&str] = &["crate::resources", "crate::framework", "crate::server"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted so failures come out in a stable order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `file:line: text` for every line of `file` that contains one of `needles`.
fn offending_lines(file: &Path, needles: &[String], why: &str) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace dir");
    let shown = file.strip_prefix(workspace).unwrap_or(file);
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let hit = needles.iter().find(|n| line.contains(n.as_str()))?;
            Some(format!(
                "{}:{}: {why} (`{hit}`): {}",
                shown.display(),
                i + 1,
                line.trim()
            ))
        })
        .collect()
}

fn fail_on(problems: Vec<String>) {
    assert!(problems.is_empty(), "layer rule broken:\n{}", problems.join("\n"));
}

#[test]
fn lower_layers_do_not_name_the_layers_above() {
    let needles: Vec<String> = ABOVE.iter().map(|s| (*s).to_owned()).collect();
    let mut problems = Vec::new();
    for layer in LOWER {
        for file in rust_files(&src().join(layer)) {
            problems.extend(offending_lines(
                &file,
                &needles,
                &format!("`{layer}` is a lower layer and must not name this"),
            ));
        }
    }
    fail_on(problems);
}

/// The framework is the engine under the protocol server and above the resources: it names neither, nor the
/// provider block (`config`), which plugs into it like a resource.
#[test]
fn the_framework_names_neither_the_server_nor_the_resources() {
    let needles: Vec<String> = ["crate::resources", "crate::server", "crate::config"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut problems = Vec::new();
    for file in rust_files(&src().join("framework")) {
        problems.extend(offending_lines(&file, &needles, "the framework must not name this"));
    }
    fail_on(problems);
}

/// The resource modules: each directory and each file (other than `mod.rs`) under `src/resources/`.
fn resources() -> Vec<String> {
    let dir = src().join("resources");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("src/resources")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir() || p.file_stem().is_some_and(|s| s != "mod"))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_owned()))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn no_resource_reaches_into_another() {
    let dir = src().join("resources");
    let all = resources();
    assert!(all.len() > 1, "no resources found under {}", dir.display());
    let mut problems = Vec::new();
    for this in &all {
        let files = if dir.join(this).is_dir() {
            rust_files(&dir.join(this))
        } else {
            vec![dir.join(format!("{this}.rs"))]
        };
        for file in files {
            // How many `super::` lead from this file's module up to `resources`.
            let below = file.strip_prefix(&dir).expect("under resources").components().count();
            let depth = if file.file_name().is_some_and(|n| n == "mod.rs") {
                below - 1
            } else {
                below
            };
            let needles: Vec<String> = all
                .iter()
                .filter(|other| *other != this)
                .flat_map(|other| {
                    [
                        format!("resources::{other}"),
                        format!("{}{other}", "super::".repeat(depth)),
                    ]
                })
                .collect();
            problems.extend(offending_lines(
                &file,
                &needles,
                &format!(
                    "resource `{this}` uses another resource's internals; move what they share below the resources"
                ),
            ));
        }
    }
    fail_on(problems);
}
