//! Keeping `docs/` equal to the rendered pages: [`write`] brings it up to date, [`stale`] says what differs
//! (the CI check). Only the generated areas are touched: `index.md`, `resources/`, `data-sources/`, `functions/`; other
//! files (design notes, guides) are left alone.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::Path;

use super::Page;

/// The directories whose every `.md` file is generated.
const GENERATED_DIRS: &[&str] = &["resources", "data-sources", "functions"];

/// A generated file that does not match the rendered pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// The page is not in `docs/`.
    Missing(String),
    /// The file's contents differ from the rendered page.
    Differs(String),
    /// A file in a generated directory that no type renders (a removed or renamed type).
    Extra(String),
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stale::Missing(p) => write!(f, "{p}: missing"),
            Stale::Differs(p) => write!(f, "{p}: differs from the schema and examples"),
            Stale::Extra(p) => write!(f, "{p}: no longer generated (a removed or renamed type)"),
        }
    }
}

/// What differs between `dir` and `pages`, by path relative to `dir`.
pub fn stale(dir: &Path, pages: &[Page]) -> io::Result<Vec<Stale>> {
    let mut found = Vec::new();
    for page in pages {
        match std::fs::read_to_string(dir.join(&page.path)) {
            Ok(text) if text == page.text => {}
            Ok(_) => found.push(Stale::Differs(page.path.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => found.push(Stale::Missing(page.path.clone())),
            Err(e) => return Err(e),
        }
    }
    found.extend(extra_files(dir, pages)?.into_iter().map(Stale::Extra));
    Ok(found)
}

/// Writes every page whose file differs and removes generated files no page renders; returns what changed.
pub fn write(dir: &Path, pages: &[Page]) -> io::Result<Vec<Stale>> {
    let changes = stale(dir, pages)?;
    for change in &changes {
        match change {
            Stale::Missing(path) | Stale::Differs(path) => {
                let target = dir.join(path);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let page = pages.iter().find(|p| &p.path == path).map(|p| p.text.as_str());
                std::fs::write(target, page.unwrap_or_default())?;
            }
            Stale::Extra(path) => std::fs::remove_file(dir.join(path))?,
        }
    }
    Ok(changes)
}

fn extra_files(dir: &Path, pages: &[Page]) -> io::Result<Vec<String>> {
    let rendered: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let mut extra = Vec::new();
    for sub in GENERATED_DIRS {
        let entries = match std::fs::read_dir(dir.join(sub)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let name = entry?.file_name().to_string_lossy().into_owned();
            let rel = format!("{sub}/{name}");
            if name.ends_with(".md") && !rendered.contains(rel.as_str()) {
                extra.push(rel);
            }
        }
    }
    extra.sort();
    Ok(extra)
}
