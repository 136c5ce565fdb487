//! Everything the process learns from its environment before serving: mode, cookie, negotiated
//! protocol, the client certificate for AutoMTLS, and where to listen.

use std::ffi::OsString;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;

use super::listen::Listen;
use super::{PluginError, cookie, handshake};

/// How the process was started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Started by Terraform/OpenTofu through go-plugin (cookie, handshake line, optional mTLS).
    Managed,
    /// Started by a human with `-debug`: plaintext, prints `TF_REATTACH_PROVIDERS`.
    Debug,
}

/// Validated launch parameters.
#[derive(Debug)]
pub struct Launch {
    /// How the process was started.
    pub mode: Mode,
    /// The client's certificate (DER) when AutoMTLS is on; `None` means plaintext h2c.
    pub client_cert: Option<CertificateDer<'static>>,
    /// Where to listen: a unix socket, or TCP on Windows.
    pub listen: Listen,
}

impl Launch {
    /// Reads the process environment. Fails with [`PluginError::NotAPluginLaunch`] when a managed
    /// launch lacks the magic cookie, and on an unsupported protocol set.
    pub fn from_env(mode: Mode) -> Result<Self, PluginError> {
        Self::from_lookup(mode, |key| std::env::var_os(key))
    }

    /// Like [`Launch::from_env`], with an explicit variable lookup.
    pub fn from_lookup(mode: Mode, lookup: impl Fn(&str) -> Option<OsString>) -> Result<Self, PluginError> {
        let text = |key: &str| lookup(key).and_then(|v| v.into_string().ok());
        let client_cert = match mode {
            Mode::Debug => None,
            Mode::Managed => {
                if !cookie::is_valid(text(cookie::KEY).as_deref()) {
                    return Err(PluginError::NotAPluginLaunch);
                }
                handshake::negotiate(text("PLUGIN_PROTOCOL_VERSIONS").as_deref())?;
                text("PLUGIN_CLIENT_CERT")
                    .filter(|pem| !pem.trim().is_empty())
                    .map(|pem| parse_pem(&pem))
                    .transpose()?
            }
        };
        let listen = Listen::from_lookup(text)?;
        Ok(Self {
            mode,
            client_cert,
            listen,
        })
    }
}

fn parse_pem(pem: &str) -> Result<CertificateDer<'static>, PluginError> {
    CertificateDer::from_pem_slice(pem.as_bytes()).map_err(|e| PluginError::ClientCert(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |key| vars.iter().find(|(k, _)| k == key).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn managed_launch_needs_the_cookie() {
        let r = Launch::from_lookup(Mode::Managed, env(&[]));
        assert!(matches!(r, Err(PluginError::NotAPluginLaunch)));
        let r = Launch::from_lookup(Mode::Managed, env(&[(cookie::KEY, "nope")]));
        assert!(matches!(r, Err(PluginError::NotAPluginLaunch)));
    }

    #[test]
    fn debug_launch_ignores_cookie_and_cert() {
        let r = Launch::from_lookup(Mode::Debug, env(&[("PLUGIN_CLIENT_CERT", "junk")]));
        assert!(r.is_ok_and(|l| l.client_cert.is_none()));
    }

    #[test]
    fn protocol_and_socket_settings() {
        let r = Launch::from_lookup(
            Mode::Managed,
            env(&[(cookie::KEY, cookie::VALUE), ("PLUGIN_PROTOCOL_VERSIONS", "5")]),
        );
        assert!(matches!(r, Err(PluginError::UnsupportedProtocol { .. })));
        let l = Launch::from_lookup(
            Mode::Managed,
            env(&[
                (cookie::KEY, cookie::VALUE),
                ("PLUGIN_PROTOCOL_VERSIONS", "6,5"),
                ("TMPDIR", "/var/tmp"),
                ("PLUGIN_CLIENT_CERT", ""),
            ]),
        );
        let l = l.ok();
        #[cfg(unix)]
        assert_eq!(
            l.as_ref().map(|l| l.listen.clone()),
            Some(Listen::Unix {
                dir: std::path::PathBuf::from("/var/tmp"),
                group: None
            })
        );
        assert!(l.is_some_and(|l| l.client_cert.is_none()));
    }

    #[test]
    fn bad_client_cert_is_an_error() {
        let r = Launch::from_lookup(
            Mode::Managed,
            env(&[(cookie::KEY, cookie::VALUE), ("PLUGIN_CLIENT_CERT", "not pem")]),
        );
        assert!(matches!(r, Err(PluginError::ClientCert(_))));
    }
}
