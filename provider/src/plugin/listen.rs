//! Where the plugin listens. go-plugin serves a unix socket everywhere but Windows, where it serves TCP
//! on 127.0.0.1 within the port range its client passes (`PLUGIN_MIN_PORT`..`PLUGIN_MAX_PORT`). hub does
//! the same; `HUB_PLUGIN_NETWORK=tcp` picks TCP on other systems too (the Windows path, testable on Linux).

use std::ops::RangeInclusive;
use std::path::PathBuf;

use super::PluginError;

/// The variable that overrides the platform's network.
pub const NETWORK_VARIABLE: &str = "HUB_PLUGIN_NETWORK";

/// A listening configuration, read from the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Listen {
    /// A unix socket in a fresh private directory of `dir`; `group` gets access when set
    /// (`PLUGIN_UNIX_SOCKET_GROUP`).
    Unix {
        /// `PLUGIN_UNIX_SOCKET_DIR`, else `TMPDIR`, else `/tmp`.
        dir: PathBuf,
        /// A group name or id.
        group: Option<String>,
    },
    /// TCP on 127.0.0.1, on the first port of `ports` that is free (port 0: one the system picks).
    Tcp {
        /// `PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT`; an unset bound is 0, as in go-plugin.
        ports: RangeInclusive<u16>,
    },
}

impl Listen {
    /// Reads the configuration through `text` (an environment lookup of UTF-8 values).
    pub(crate) fn from_lookup(text: impl Fn(&str) -> Option<String>) -> Result<Self, PluginError> {
        let non_empty = |key: &str| text(key).filter(|v| !v.trim().is_empty());
        let tcp = match non_empty(NETWORK_VARIABLE).as_deref().map(str::trim) {
            None => cfg!(windows),
            Some("tcp") => true,
            Some("unix") if cfg!(unix) => false,
            Some(other) => return Err(PluginError::Network(other.to_owned())),
        };
        if tcp {
            let min = port(&non_empty, "PLUGIN_MIN_PORT")?;
            let max = port(&non_empty, "PLUGIN_MAX_PORT")?;
            if min > max {
                return Err(PluginError::PortRange(format!(
                    "PLUGIN_MIN_PORT={min} is greater than PLUGIN_MAX_PORT={max}"
                )));
            }
            return Ok(Self::Tcp { ports: min..=max });
        }
        let dir = non_empty("PLUGIN_UNIX_SOCKET_DIR")
            .or_else(|| non_empty("TMPDIR"))
            .map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
        let group = non_empty("PLUGIN_UNIX_SOCKET_GROUP");
        Ok(Self::Unix { dir, group })
    }
}

fn port(non_empty: &impl Fn(&str) -> Option<String>, key: &str) -> Result<u16, PluginError> {
    match non_empty(key) {
        None => Ok(0),
        Some(value) => value
            .trim()
            .parse()
            .map_err(|_| PluginError::PortRange(format!("{key}={value:?} is not a port number (0-65535)"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listen(vars: &[(&str, &str)]) -> Result<Listen, PluginError> {
        Listen::from_lookup(|key| vars.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn tcp_takes_go_plugins_port_range() {
        let l = listen(&[
            (NETWORK_VARIABLE, "tcp"),
            ("PLUGIN_MIN_PORT", "10000"),
            ("PLUGIN_MAX_PORT", "25000"),
        ]);
        assert_eq!(l.ok(), Some(Listen::Tcp { ports: 10000..=25000 }));
        assert_eq!(
            listen(&[(NETWORK_VARIABLE, "tcp")]).ok(),
            Some(Listen::Tcp { ports: 0..=0 }),
            "no range: a port the system picks"
        );
    }

    #[test]
    fn bad_port_ranges_name_the_variable() {
        let l = listen(&[(NETWORK_VARIABLE, "tcp"), ("PLUGIN_MIN_PORT", "x")]);
        assert!(matches!(l, Err(PluginError::PortRange(m)) if m.contains("PLUGIN_MIN_PORT")));
        let l = listen(&[(NETWORK_VARIABLE, "tcp"), ("PLUGIN_MAX_PORT", "70000")]);
        assert!(matches!(l, Err(PluginError::PortRange(m)) if m.contains("PLUGIN_MAX_PORT")));
        let l = listen(&[
            (NETWORK_VARIABLE, "tcp"),
            ("PLUGIN_MIN_PORT", "20"),
            ("PLUGIN_MAX_PORT", "10"),
        ]);
        assert!(matches!(l, Err(PluginError::PortRange(m)) if m.contains("greater")));
    }

    #[test]
    fn unknown_network_is_an_error() {
        assert!(matches!(listen(&[(NETWORK_VARIABLE, "udp")]), Err(PluginError::Network(n)) if n == "udp"));
    }

    #[cfg(unix)]
    #[test]
    fn unix_is_the_default_here() {
        let l = listen(&[("TMPDIR", "/var/tmp"), ("PLUGIN_UNIX_SOCKET_GROUP", "staff")]);
        assert_eq!(
            l.ok(),
            Some(Listen::Unix {
                dir: PathBuf::from("/var/tmp"),
                group: Some("staff".to_owned())
            })
        );
        assert!(matches!(listen(&[(NETWORK_VARIABLE, "unix")]), Ok(Listen::Unix { .. })));
    }
}
