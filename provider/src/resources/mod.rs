//! Every resource, data source and ephemeral resource type and every function hub offers, registered in
//! one place. Every resource type declares a resource identity (`hub_namespace` by name, `hub_app` and
//! `hub_network_policy` by namespace and name, `hub_irsa_binding` by role name); `hub_cluster` is a data
//! source, and the protocol gives identities to managed resources only.

mod app;
mod cluster;
mod eks_token;
mod irsa_binding;
pub mod namespace;
/// `hub_app`'s side of `terraform-provider-hub discover`.
pub use app::discovery as app_discovery;
/// `hub_app`'s configuration as `terraform-provider-hub discover --generate` writes it.
pub use app::discovery_config as app_discovery_config;
pub mod network_policy;
mod secret_value;

use crate::framework::Registry;

/// The registry of the whole provider.
pub fn registry() -> Registry {
    Registry::default()
        .provider(crate::config::HubProvider)
        .resource(namespace::NamespaceResource)
        .resource(app::AppResource)
        .resource(irsa_binding::IrsaBindingResource)
        .resource(network_policy::NetworkPolicyResource)
        .data_source(cluster::ClusterDataSource)
        .ephemeral_resource(eks_token::EksTokenEphemeral)
        .ephemeral_resource(secret_value::SecretValueEphemeral)
        .function(irsa_binding::IrsaTrustPolicy)
        .function(irsa_binding::PodIdentityTrustPolicy)
        .function(app::AppLabels)
        .function(app::Selector)
        .function(app::ParseImage)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_model_matches_its_schema() {
        let registry = super::registry();
        for (name, entry) in &registry.resources {
            if let Err(why) = crate::framework::drift::check(entry) {
                panic!("{name}: the model and the schema disagree: {why}");
            }
        }
        for (name, entry) in registry.data_sources.iter().chain(&registry.ephemeral_resources) {
            if let Err(why) = entry.imp.check_model(&entry.ty) {
                panic!("{name}: the model and the schema disagree: {why}");
            }
        }
        let provider = registry.provider.expect("hub has a provider block");
        if let Err(why) = provider.imp.check_model(&provider.ty) {
            panic!("the provider block's model and schema disagree: {why}");
        }
    }
}
