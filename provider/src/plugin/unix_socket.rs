//! The plugin's unix socket: a `plugin` socket inside a fresh `hub-plugin*` directory of the socket
//! directory. The directory is created owner-only (`mkdir` with mode 0700), so no other user can reach the
//! socket even in the moment between `bind` (which applies the umask) and the `chmod` after it. With
//! `PLUGIN_UNIX_SOCKET_GROUP` the directory opens to that group (0750) and the socket is group-writable.
//! Both are removed again when the guard is dropped.

use std::collections::hash_map::RandomState;
use std::fs::{DirBuilder, Permissions};
use std::hash::BuildHasher as _;
use std::io;
use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use tokio::net::UnixListener;

use super::PluginError;

/// Removes the socket file and its directory when dropped.
#[derive(Debug)]
pub(crate) struct SocketGuard {
    path: PathBuf,
    dir: PathBuf,
}

impl SocketGuard {
    /// The socket's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The path as it goes into the handshake line (UTF-8, no `|` or newline).
    pub(crate) fn address(&self) -> Result<&str, PluginError> {
        self.path
            .to_str()
            .filter(|s| !s.contains(['|', '\n', '\r']))
            .ok_or_else(|| PluginError::SocketPath(self.path.clone()))
    }
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// Binds a new socket in a fresh private directory under `dir`. Must be called inside a tokio runtime.
pub(crate) fn bind(dir: &Path, group: Option<&str>) -> Result<(UnixListener, SocketGuard), PluginError> {
    let gid = group.map(resolve_group).transpose()?;
    let private = private_dir(dir).map_err(PluginError::Listen)?;
    let guard = SocketGuard {
        path: private.join("plugin"),
        dir: private,
    };
    if let Some(gid) = gid {
        std::os::unix::fs::chown(&guard.dir, None, Some(gid)).map_err(PluginError::Listen)?;
        std::fs::set_permissions(&guard.dir, Permissions::from_mode(0o750)).map_err(PluginError::Listen)?;
    }
    let listener = UnixListener::bind(guard.path()).map_err(PluginError::Listen)?;
    restrict(guard.path(), gid).map_err(PluginError::Listen)?;
    Ok((listener, guard))
}

/// Creates a new owner-only directory `hub-plugin<random>` in `dir`; `mkdir` fails rather than reuse an
/// existing path, so another user cannot have prepared it.
fn private_dir(dir: &Path) -> io::Result<PathBuf> {
    let seed = RandomState::new();
    let mut attempt: u32 = 0;
    loop {
        let path = dir.join(format!(
            "hub-plugin{:016x}",
            seed.hash_one((std::process::id(), attempt))
        ));
        match DirBuilder::new().mode(0o700).create(&path) {
            Ok(()) => {
                // The umask may have removed more than group and other bits; the owner needs all three.
                std::fs::set_permissions(&path, Permissions::from_mode(0o700))?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Owner-only access, or owner+group when a group is configured (as go-plugin does, mode 0660).
fn restrict(path: &Path, gid: Option<u32>) -> io::Result<()> {
    match gid {
        None => std::fs::set_permissions(path, Permissions::from_mode(0o600)),
        Some(gid) => {
            std::os::unix::fs::chown(path, None, Some(gid))?;
            std::fs::set_permissions(path, Permissions::from_mode(0o660))
        }
    }
}

/// A numeric group id, or a group name looked up in `/etc/group`.
fn resolve_group(group: &str) -> Result<u32, PluginError> {
    let group = group.trim();
    if let Ok(gid) = group.parse::<u32>() {
        return Ok(gid);
    }
    std::fs::read_to_string("/etc/group")
        .ok()
        .and_then(|text| gid_in_group_file(&text, group))
        .ok_or_else(|| PluginError::SocketGroup(group.to_owned()))
}

fn gid_in_group_file(text: &str, name: &str) -> Option<u32> {
    text.lines().find_map(|line| {
        let mut fields = line.split(':');
        (fields.next() == Some(name))
            .then(|| fields.nth(1).and_then(|gid| gid.parse().ok()))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_file_lookup() {
        let text = "root:x:0:\nstaff:x:50:alice,bob\n";
        assert_eq!(gid_in_group_file(text, "staff"), Some(50));
        assert_eq!(gid_in_group_file(text, "root"), Some(0));
        assert_eq!(gid_in_group_file(text, "nobody"), None);
        assert_eq!(resolve_group("42").ok(), Some(42));
    }

    #[tokio::test]
    async fn socket_is_private_and_removed_on_drop() {
        let dir = std::env::temp_dir();
        let (listener, guard) = bind(&dir, None).expect("bind");
        let path = guard.path().to_owned();
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(guard.address().is_ok());
        drop(listener);
        drop(guard);
        assert!(!path.exists());
    }

    /// From the security review: the socket lives in a new directory that only its owner can enter, so
    /// there is no moment in which the umask's mode lets another user connect.
    #[tokio::test]
    async fn socket_is_inside_a_fresh_owner_only_directory() {
        let dir = std::env::temp_dir();
        let (_a, first) = bind(&dir, None).expect("bind");
        let (_b, second) = bind(&dir, None).expect("bind again");
        let parent = first.path().parent().expect("a parent").to_owned();
        assert_ne!(parent, dir, "the socket must not sit directly in the shared directory");
        assert_ne!(
            Some(parent.as_path()),
            second.path().parent(),
            "each socket gets its own directory"
        );
        let mode = std::fs::metadata(&parent).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{}", parent.display());
        drop(first);
        assert!(!parent.exists(), "the directory is removed with the socket");
    }
}
