//! `providers schema -json`: find one provider's schema (by `namespace/type`, whatever registry host the
//! CLI assumes) and list its resource and data source types.

use serde_json::Value;

use super::error::{Error, Result};

/// A `providers schema -json` document.
#[derive(Debug, Clone)]
pub struct ProviderSchemas {
    json: Value,
}

impl ProviderSchemas {
    /// Wraps the document.
    pub fn new(json: Value) -> Self {
        ProviderSchemas { json }
    }

    /// The raw JSON.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The schema of provider `source` (`hub/hub`): the entry whose key is `<host>/hub/hub` for any host
    /// (`registry.terraform.io` for Terraform, `registry.opentofu.org` for OpenTofu).
    pub fn provider(&self, source: &str) -> Result<ProviderSchema<'_>> {
        let all = self.json["provider_schemas"].as_object();
        let suffix = format!("/{source}");
        all.into_iter()
            .flatten()
            .find(|(k, _)| k.ends_with(&suffix))
            .map(|(_, v)| ProviderSchema { json: v })
            .ok_or_else(|| {
                let keys: Vec<&String> = all.into_iter().flat_map(|m| m.keys()).collect();
                Error::assertion(format!("no schema for provider {source}; providers: {keys:?}"))
            })
    }
}

/// One provider's schemas.
#[derive(Debug, Clone, Copy)]
pub struct ProviderSchema<'a> {
    json: &'a Value,
}

impl<'a> ProviderSchema<'a> {
    /// The raw JSON (`provider`, `resource_schemas`, `data_source_schemas`, …).
    pub fn json(&self) -> &'a Value {
        self.json
    }

    /// Managed resource type names, sorted.
    pub fn resource_types(&self) -> Vec<&'a str> {
        keys(&self.json["resource_schemas"])
    }

    /// Data source type names, sorted.
    pub fn data_source_types(&self) -> Vec<&'a str> {
        keys(&self.json["data_source_schemas"])
    }

    /// The attributes of the provider block (`provider.block.attributes`), by name.
    pub fn provider_attributes(&self) -> Option<&'a serde_json::Map<String, Value>> {
        self.json["provider"]["block"]["attributes"].as_object()
    }

    /// The block schema of resource type `name`.
    pub fn resource(&self, name: &str) -> Option<&'a Value> {
        self.json["resource_schemas"].get(name).map(|s| &s["block"])
    }
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}
