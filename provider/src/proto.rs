//! Generated protocol types: the only place prost/tonic types are named (tfplugin6 and go-plugin).

#![allow(missing_docs, clippy::all, clippy::pedantic, unreachable_pub)]

/// Terraform plugin protocol 6 (`package tfplugin6`).
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin's own services (`package plugin`): controller, stdio and broker.
pub mod plugin {
    tonic::include_proto!("plugin");
}
