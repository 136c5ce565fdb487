//! `moved {}` across resource types (MoveResourceState, Terraform 1.8+, OpenTofu 1.8+): what the source
//! resource's state looks like to the target resource type. Core calls it on an unconfigured provider,
//! before the plan's refresh, so a move works from the stored state alone.

use serde_json::Value as Json;

/// The resource being moved, as core stored it.
#[derive(Debug, Clone)]
pub struct MoveSource {
    /// The source provider's address: `registry.terraform.io/hashicorp/kubernetes` under Terraform,
    /// `registry.opentofu.org/hashicorp/kubernetes` under OpenTofu (each CLI writes its own default host).
    pub provider_address: String,
    /// The source resource type, e.g. `kubernetes_deployment_v1`.
    pub type_name: String,
    /// The schema version the source state was written with.
    pub schema_version: i64,
    /// The source state, as the JSON core stored.
    pub state: Json,
}

impl MoveSource {
    /// The provider's `namespace/type`, whatever registry host each CLI puts in front of it:
    /// `hashicorp/kubernetes` for both spellings above (and for a host-less address).
    pub fn provider_source(&self) -> &str {
        let parts: Vec<&str> = self.provider_address.rsplitn(3, '/').collect();
        match parts.as_slice() {
            [_, _, host] => &self.provider_address[host.len() + 1..],
            _ => &self.provider_address,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(address: &str) -> MoveSource {
        MoveSource {
            provider_address: address.to_owned(),
            type_name: "kubernetes_deployment_v1".into(),
            schema_version: 1,
            state: Json::Null,
        }
    }

    #[test]
    fn both_registry_spellings_name_the_same_provider() {
        for address in [
            "registry.terraform.io/hashicorp/kubernetes",
            "registry.opentofu.org/hashicorp/kubernetes",
            "hashicorp/kubernetes",
        ] {
            assert_eq!(source(address).provider_source(), "hashicorp/kubernetes", "{address}");
        }
        assert_eq!(
            source("example.com/acme/kubernetes").provider_source(),
            "acme/kubernetes"
        );
    }
}
