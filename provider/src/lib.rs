//! terraform-provider-hub: a Terraform/OpenTofu provider (plugin protocol 6) for deploying applications to
//! AWS EKS.
//!
//! Layers, bottom up: [`build_info`] (version and commit), [`proto`] (generated wire types), [`plugin`] (go-plugin transport: handshake, mTLS,
//! controller, stdio) and [`logging`], [`value`] (cty values and codecs), [`schema`] and [`diag`],
//! [`framework`] (resource lifecycle), [`server`] (one handler per RPC), [`config`] (the provider block),
//! [`aws`] (SDK config, errors, the OIDC provider lookup, the in-process EKS token) and [`k8s`] (the one
//! server-side apply path, reads, the typed error, the names hub writes), then the resources themselves in
//! [`resources`], which share nothing with each other except through the layers below (checked by
//! `tests/layers.rs`); [`docs`] renders the registry documentation from the schemas; [`exec_plugin`] is the
//! `eks-token` subcommand (the binary as a client-go exec credential plugin), [`discover`] the
//! `discover` subcommand (import blocks for what another tool made).

#![warn(missing_docs, unreachable_pub)]

pub mod aws;
pub mod build_info;
pub mod config;
pub mod diag;
pub mod discover;
pub mod docs;
pub mod exec_plugin;
pub mod framework;
pub mod k8s;
pub mod logging;
pub mod plain_http;
pub mod plugin;
pub mod proto;
pub mod resources;
pub mod schema;
pub mod server;
pub mod subcommand;
pub mod value;
