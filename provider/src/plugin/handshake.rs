//! Protocol negotiation and the go-plugin handshake line, the first and only thing written to stdout:
//! `CORE|APP|NETWORK|ADDR|PROTOCOL|SERVERCERT`.

use std::io::{self, Write};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

use super::{CORE_PROTOCOL_VERSION, PROTOCOL_VERSION, PluginError};

/// Picks our protocol version from `PLUGIN_PROTOCOL_VERSIONS` (a comma-separated set, any order).
///
/// Unset or empty means "the server's default", as in go-plugin; a set without 6 is an error.
pub(crate) fn negotiate(offered: Option<&str>) -> Result<u32, PluginError> {
    let Some(offered) = offered.filter(|s| !s.trim().is_empty()) else {
        return Ok(PROTOCOL_VERSION);
    };
    let speaks_ours = offered
        .split(',')
        .any(|v| v.trim().parse::<u32>() == Ok(PROTOCOL_VERSION));
    if speaks_ours {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(PluginError::UnsupportedProtocol {
            offered: offered.to_owned(),
        })
    }
}

/// Formats the handshake line (newline-terminated) for a listener on `network` (`unix` or `tcp`) at `addr`.
///
/// `server_cert` is our certificate's DER (AutoMTLS), or `None` for plaintext (empty last field).
pub(crate) fn line(network: &str, addr: &str, server_cert: Option<&[u8]>) -> String {
    let cert = server_cert.map(|der| STANDARD_NO_PAD.encode(der)).unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|{network}|{addr}|grpc|{cert}\n")
}

/// Writes `line` to stdout in one write and flushes it.
pub(crate) fn announce(line: &str) -> Result<(), PluginError> {
    write_flush(&mut io::stdout().lock(), line).map_err(PluginError::Stdout)
}

fn write_flush(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_treats_the_variable_as_a_set() {
        assert_eq!(negotiate(Some("5,6")).ok(), Some(6));
        assert_eq!(negotiate(Some("6,5")).ok(), Some(6));
        assert_eq!(negotiate(Some(" 6 ")).ok(), Some(6));
        assert_eq!(negotiate(None).ok(), Some(6));
        assert_eq!(negotiate(Some("")).ok(), Some(6));
        assert!(negotiate(Some("5")).is_err());
        assert!(negotiate(Some("5,60,x")).is_err());
    }

    #[test]
    fn line_has_six_fields_and_unpadded_base64() {
        let l = line("unix", "/tmp/plugin1", Some(&[1, 2, 3, 4]));
        assert_eq!(l, "1|6|unix|/tmp/plugin1|grpc|AQIDBA\n");
        assert_eq!(line("unix", "/tmp/p", None), "1|6|unix|/tmp/p|grpc|\n");
        assert_eq!(line("tcp", "127.0.0.1:10000", None), "1|6|tcp|127.0.0.1:10000|grpc|\n");
    }
}
