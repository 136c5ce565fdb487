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
    handshake::announce(&instructions(&json, cfg!(windows)))
}

/// What a human reads: the variable in the syntax of the shells of the system (POSIX shells; or Command
/// Prompt and PowerShell on Windows, where POSIX quotes would become part of the value).
fn instructions(json: &str, windows: bool) -> String {
    let set = if windows {
        format!(
            "\tCommand Prompt:\tset \"TF_REATTACH_PROVIDERS={json}\"\n\
             \tPowerShell:\t$env:TF_REATTACH_PROVIDERS='{}'\n",
            json.replace('\'', "''")
        )
    } else {
        format!("\tTF_REATTACH_PROVIDERS='{}'\n", json.replace('\'', "'\\''"))
    };
    format!(
        "Provider {PROVIDER_ADDRESS} started in debug mode. To attach Terraform or OpenTofu, set this \
         environment variable in the shell that runs them:\n\n{set}\nStop the provider with Ctrl-C.\n"
    )
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

    #[test]
    fn instructions_use_each_systems_shell_syntax() {
        let json = r#"{"a":"it's"}"#;
        let posix = instructions(json, false);
        assert!(
            posix.contains(concat!("\t", r#"TF_REATTACH_PROVIDERS='{"a":"it'\''s"}'"#)),
            "{posix}"
        );
        let windows = instructions(json, true);
        assert!(
            windows.contains(r#"set "TF_REATTACH_PROVIDERS={"a":"it's"}""#),
            "{windows}"
        );
        assert!(
            windows.contains(r#"$env:TF_REATTACH_PROVIDERS='{"a":"it''s"}'"#),
            "{windows}"
        );
        assert!(!windows.contains("\tTF_REATTACH_PROVIDERS='"), "{windows}");
    }
}
