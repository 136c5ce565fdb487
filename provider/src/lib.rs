//! terraform-provider-hub: a Terraform/OpenTofu provider (plugin protocol 6) for deploying applications to
//! AWS EKS.
//!
//! Layers, bottom up: [`proto`] (generated wire types), [`plugin`] (go-plugin transport: handshake, mTLS,
//! controller, stdio), [`value`] (cty values and codecs), [`schema`] and [`diag`], [`framework`] (resource
//! lifecycle), [`server`] (one handler per RPC), then the resources themselves in [`resources`].

pub mod proto;
pub mod value;
