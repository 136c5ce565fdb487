//! The plugin's unix socket: a fresh `plugin*` path in the socket directory, owner-only (or
//! group-writable with `PLUGIN_UNIX_SOCKET_GROUP`), removed again when the guard is dropped.

use std::collections::hash_map::RandomState;
use std::fs::Permissions;
use std::hash::BuildHasher as _;
use std::io;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use tokio::net::UnixListener;

use super::PluginError;

/// Removes the socket file when dropped.
#[derive(Debug)]
pub(crate) struct SocketGuard {
    path: PathBuf,
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
    }
}

/// Binds a new socket in `dir`. Must be called inside a tokio runtime.
pub(crate) fn bind(dir: &Path, group: Option<&str>) -> Result<(UnixListener, SocketGuard), PluginError> {
    let gid = group.map(resolve_group).transpose()?;
    let seed = RandomState::new();
    let mut attempt: u32 = 0;
    loop {
        let name = format!("plugin{:016x}", seed.hash_one((std::process::id(), attempt)));
        let path = dir.join(name);
        match UnixListener::bind(&path) {
            Ok(listener) => {
                let guard = SocketGuard { path };
                restrict(guard.path(), gid).map_err(PluginError::Listen)?;
                return Ok((listener, guard));
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && attempt < 100 => attempt += 1,
            Err(e) => return Err(PluginError::Listen(e)),
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
}
