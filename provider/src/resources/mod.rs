//! Every resource and data source type hub offers, registered in one place.

mod app;
mod cluster;
mod irsa_binding;
pub mod namespace;
pub mod network_policy;

use crate::framework::Registry;

/// The registry of the whole provider.
pub fn registry() -> Registry {
    Registry::default()
        .provider(crate::config::schema())
        .resource(namespace::NamespaceResource)
        .resource(app::AppResource)
        .resource(irsa_binding::IrsaBindingResource)
        .resource(network_policy::NetworkPolicyResource)
        .data_source(cluster::ClusterDataSource)
}
