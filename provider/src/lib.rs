//! terraform-provider-hub: a Terraform/OpenTofu provider (plugin protocol 6) for deploying applications to
//! AWS EKS.
//!
//! Layers, bottom up: [`proto`] (generated wire types), [`plugin`] (go-plugin transport: handshake, mTLS,
//! controller, stdio) and [`logging`], [`value`] (cty values and codecs), [`schema`] and [`diag`],
//! [`framework`] (resource lifecycle), [`server`] (one handler per RPC), [`config`] (the provider block),
//! [`aws`] (SDK config, errors, the in-process EKS token), then the resources themselves in [`resources`]
//! with shared Kubernetes helpers in [`k8s`]; [`docs`] renders the registry documentation from the schemas.

pub mod aws;
pub mod config;
pub mod diag;
pub mod docs;
pub mod framework;
pub mod k8s;
pub mod logging;
pub mod plain_http;
pub mod plugin;
pub mod proto;
pub mod resources;
pub mod schema;
pub mod server;
pub mod value;
