//! Debug mode (`-debug`): tells the human how to attach Terraform/OpenTofu to this process through
//! `TF_REATTACH_PROVIDERS`.

use super::{PROTOCOL_VERSION, PROVIDER_ADDRESS, PluginError, handshake};

/// The `TF_REATTACH_PROVIDERS` JSON for a plaintext listener on `network` (`unix` or `tcp`) at `addr`.
///
/// `"Test": true` is mandatory for protocol 6: without it go-plugin never records the negotiated
/// version and Terraform treats the provider as protocol 5.
pub(crate) fn reattach_json(pid: u32, network: &str, addr: &str) -> String {
    serde_json::json!({
        (PROVIDER_ADDRESS): {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": network, "String": addr },
        }
    })
    .to_string()
}

/// Prints the attach instructions to stdout.
pub(crate) fn announce(network: &str, addr: &str) -> Result<(), PluginError> {
    let json = reattach_json(std::process::id(), network, addr);
    handshake::announce(&format!(
        "Provider {PROVIDER_ADDRESS} started in debug mode. To attach Terraform or OpenTofu, set this \
         environment variable in the shell that runs them:\n\n\
         \tTF_REATTACH_PROVIDERS='{json}'\n\n\
         Stop the provider with Ctrl-C.\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reattach_json_shape() {
        let v: serde_json::Value =
            serde_json::from_str(&reattach_json(42, "unix", "/tmp/plugin\"x")).unwrap_or_default();
        let p = &v["hub/hub"];
        assert_eq!(p["Protocol"], "grpc");
        assert_eq!(p["ProtocolVersion"], 6);
        assert_eq!(p["Pid"], 42);
        assert_eq!(p["Test"], true);
        assert_eq!(p["Addr"]["Network"], "unix");
        assert_eq!(p["Addr"]["String"], "/tmp/plugin\"x");
    }
}
