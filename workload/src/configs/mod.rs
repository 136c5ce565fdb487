//! What `/configs` shows: the environment and the mounted configuration files, redacted.
//!
//! The environment cannot change after exec, so its redacted view is computed once at start-up. Mounted
//! files can (the kubelet updates ConfigMap volumes in place), so directories are read on each request,
//! with caps on file count and size so that a large mount cannot make the response unbounded.

pub mod redact;

use redact::{REDACTED, Reason, Redactor};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files read per directory; more are reported as an error.
pub const MAX_FILES_PER_DIR: usize = 256;
/// Bytes shown per file; larger files are listed with their size only.
pub const MAX_FILE_BYTES: u64 = 64 * 1024;

/// The JSON body of `/configs`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ConfigView {
    /// Environment variables, by name.
    pub env: BTreeMap<String, String>,
    /// Mounted files, by full path.
    pub files: BTreeMap<String, String>,
    /// Which entries were hidden or masked (`env:NAME`, `file:/path`) and why.
    pub redacted: BTreeMap<String, Reason>,
    /// Directories or files that could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// The sources of configuration, fixed at start-up.
#[derive(Debug)]
pub struct ConfigSources {
    env: BTreeMap<String, String>,
    env_redacted: BTreeMap<String, Reason>,
    config_dirs: Vec<PathBuf>,
    secret_dirs: Vec<PathBuf>,
    redactor: Redactor,
}

impl ConfigSources {
    /// Redacts `env` now and remembers which directories to read later.
    pub fn new(
        env: impl IntoIterator<Item = (String, String)>,
        redactor: Redactor,
        config_dirs: Vec<PathBuf>,
        secret_dirs: Vec<PathBuf>,
    ) -> Self {
        let mut shown = BTreeMap::new();
        let mut env_redacted = BTreeMap::new();
        for (name, value) in env {
            let (value, reason) = redactor.env(&name, &value);
            if let Some(reason) = reason {
                env_redacted.insert(format!("env:{name}"), reason);
            }
            shown.insert(name, value);
        }
        Self {
            env: shown,
            env_redacted,
            config_dirs,
            secret_dirs,
            redactor,
        }
    }

    /// Reads the mounted directories (blocking I/O: call from a blocking thread).
    pub fn collect(&self) -> ConfigView {
        let mut view = ConfigView {
            env: self.env.clone(),
            files: BTreeMap::new(),
            redacted: self.env_redacted.clone(),
            errors: Vec::new(),
        };
        for dir in &self.secret_dirs {
            for (path, _name) in list_files(dir, &mut view.errors) {
                let key = path.display().to_string();
                view.redacted.insert(format!("file:{key}"), Reason::SecretMount);
                view.files.insert(key, REDACTED.to_owned());
            }
        }
        for dir in &self.config_dirs {
            for (path, name) in list_files(dir, &mut view.errors) {
                let key = path.display().to_string();
                if view.files.contains_key(&key) {
                    continue; // also under a secret directory: stays redacted
                }
                let content = match read_capped(&path) {
                    Ok(content) => content,
                    Err(error) => {
                        view.errors.push(format!("{key}: {error}"));
                        continue;
                    }
                };
                let (shown, reason) = self.redactor.file(&name, &content);
                if let Some(reason) = reason {
                    view.redacted.insert(format!("file:{key}"), reason);
                }
                view.files.insert(key, shown);
            }
        }
        view
    }
}

/// Regular files directly in `dir` (following symlinks), sorted, skipping the kubelet's `..data` internals.
fn list_files(dir: &Path, errors: &mut Vec<String>) -> Vec<(PathBuf, String)> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(format!("{}: {error}", dir.display()));
            return Vec::new();
        }
    };
    let mut files: Vec<(PathBuf, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let is_file = std::fs::metadata(&path).map(|m| m.is_file()).unwrap_or(false);
            (!name.starts_with("..") && is_file).then_some((path, name))
        })
        .collect();
    files.sort();
    if files.len() > MAX_FILES_PER_DIR {
        errors.push(format!(
            "{}: {} files, only the first {MAX_FILES_PER_DIR} are shown",
            dir.display(),
            files.len()
        ));
        files.truncate(MAX_FILES_PER_DIR);
    }
    files
}

/// The file's text, or a placeholder for large or binary files.
fn read_capped(path: &Path) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(path)?.len();
        return Ok(format!("[not shown: {size} bytes]"));
    }
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| format!("[binary: {} bytes]", e.as_bytes().len())))
}

#[cfg(test)]
mod tests;
