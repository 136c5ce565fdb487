//! The example files pages include, in the registry layout under `examples/`
//! (`provider/provider.tf`, `resources/<type>/resource.tf` and `import.sh`, `data-sources/<type>/data-source.tf`).

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// Example file contents by path relative to `examples/`; a missing file leaves its page section out.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    files: BTreeMap<String, String>,
}

impl Examples {
    /// Reads `paths` under `dir`; files that do not exist are skipped, other read errors are returned.
    pub fn load(dir: &Path, paths: &[String]) -> io::Result<Self> {
        let mut files = BTreeMap::new();
        for rel in paths {
            match std::fs::read_to_string(dir.join(rel)) {
                Ok(text) => {
                    files.insert(rel.clone(), text);
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", dir.join(rel).display()))),
            }
        }
        Ok(Examples { files })
    }

    /// Examples from in-memory contents (tests).
    pub fn from_files(files: impl IntoIterator<Item = (String, String)>) -> Self {
        Examples {
            files: files.into_iter().collect(),
        }
    }

    /// The contents of `rel`, without trailing blank lines, if present and not blank.
    pub fn get(&self, rel: &str) -> Option<&str> {
        self.files.get(rel).map(|t| t.trim_end()).filter(|t| !t.is_empty())
    }
}
