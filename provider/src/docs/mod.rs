//! Registry documentation (the `docs/` layout `tfplugindocs` produces) rendered from the provider's own
//! schemas, so the pages can never disagree with what the provider accepts. Rendering is pure
//! ([`ProviderDocs::pages`]); [`Examples::load`] and [`sync`] do the file I/O for the `hub-docs` binary.

mod examples;
mod function_page;
mod page;
mod schema_section;
pub mod sync;
mod types;

#[cfg(test)]
mod tests;

pub use examples::Examples;
pub use page::{Kind, Page};

use crate::framework::{Registry, Signature};
use crate::schema::{IdentitySchema, Schema};

/// The provider name in page titles and type prefixes.
pub const PROVIDER: &str = "hub";

/// Everything the pages are rendered from: the provider block and every type's schema.
#[derive(Debug, Clone)]
pub struct ProviderDocs {
    /// The provider block.
    pub provider: Schema,
    /// Resource types by full type name (`hub_app`), sorted.
    pub resources: Vec<(String, Schema)>,
    /// Resource identity schemas by full type name (Terraform 1.12+ import by identity).
    pub identities: std::collections::BTreeMap<String, IdentitySchema>,
    /// Data source types by full type name, sorted.
    pub data_sources: Vec<(String, Schema)>,
    /// Ephemeral resource types by full type name, sorted.
    pub ephemeral_resources: Vec<(String, Schema)>,
    /// Provider-defined functions by name, sorted.
    pub functions: Vec<(String, Signature)>,
}

impl ProviderDocs {
    /// The schemas of a registry (the provider's own: [`crate::resources::registry`]).
    pub fn from_registry(registry: &Registry) -> Self {
        let provider = registry
            .provider
            .as_ref()
            .map(|p| p.schema.clone())
            .unwrap_or_else(|| Schema::new(Default::default()));
        let named = |(name, schema): (&&str, &Schema)| (name.to_string(), schema.clone());
        ProviderDocs {
            provider,
            resources: registry.resources.iter().map(|(n, e)| named((n, &e.schema))).collect(),
            identities: registry
                .resources
                .iter()
                .map(|(n, e)| (n.to_string(), e.imp.identity_schema()))
                .collect(),
            data_sources: registry
                .data_sources
                .iter()
                .map(|(n, e)| named((n, &e.schema)))
                .collect(),
            ephemeral_resources: registry
                .ephemeral_resources
                .iter()
                .map(|(n, e)| named((n, &e.schema)))
                .collect(),
            functions: registry
                .functions
                .iter()
                .map(|(n, f)| (n.to_string(), f.signature()))
                .collect(),
        }
    }

    /// Every page, with its path relative to `docs/`: `index.md`, `resources/<name>.md`,
    /// `data-sources/<name>.md`, `ephemeral-resources/<name>.md`, `functions/<name>.md` (names without the `hub_` prefix, as the registry expects).
    pub fn pages(&self, examples: &Examples) -> Vec<Page> {
        let mut pages = vec![page::render(Kind::Provider, PROVIDER, &self.provider, examples)];
        for (name, schema) in &self.resources {
            let mut page = page::render(Kind::Resource, name, schema, examples);
            if let Some(identity) = self.identities.get(name) {
                page::identity_section(name, identity, &mut page.text);
            }
            pages.push(page);
        }
        for (name, schema) in &self.data_sources {
            pages.push(page::render(Kind::DataSource, name, schema, examples));
        }
        for (name, schema) in &self.ephemeral_resources {
            pages.push(page::render(Kind::EphemeralResource, name, schema, examples));
        }
        for (name, signature) in &self.functions {
            pages.push(function_page::render(name, signature, examples));
        }
        pages
    }

    /// The example files the pages include, relative to `examples/`.
    pub fn example_paths(&self) -> Vec<String> {
        let mut paths = Kind::Provider.example_paths(PROVIDER);
        for (name, _) in &self.resources {
            paths.extend(Kind::Resource.example_paths(name));
        }
        for (name, _) in &self.data_sources {
            paths.extend(Kind::DataSource.example_paths(name));
        }
        for (name, _) in &self.ephemeral_resources {
            paths.extend(Kind::EphemeralResource.example_paths(name));
        }
        for (name, _) in &self.functions {
            paths.push(function_page::example_path(name));
        }
        paths
    }
}
