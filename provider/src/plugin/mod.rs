//! go-plugin transport: everything between "Terraform started this process" and "tonic serves the
//! tfplugin6 Provider service". Magic cookie, protocol negotiation, the listener (a unix socket, or TCP on
//! Windows), AutoMTLS, the
//! handshake line, go-plugin's own services (controller, stdio, broker, health) and signal handling.
//!
//! Entry points: [`Launch::from_env`] (synchronous checks, before any runtime exists) and [`serve`].

mod broker;
mod conn;
mod controller;
mod cookie;
mod debug;
mod error;
mod handshake;
mod incoming;
mod launch;
mod listen;
mod listener;
mod serve;
mod signals;
mod stdio;
mod tcp;
mod tls;
#[cfg(unix)]
mod unix_socket;
mod verifier;

pub use error::PluginError;
pub use launch::{Launch, Mode};
pub use listen::{Listen, NETWORK_VARIABLE};
pub use serve::serve;

/// The provider's source address, as users write it in `required_providers` and as the key of
/// `TF_REATTACH_PROVIDERS` (`registry.terraform.io/` is implied).
pub const PROVIDER_ADDRESS: &str = "hub/hub";

/// The only plugin protocol major version this provider speaks.
pub const PROTOCOL_VERSION: u32 = 6;

/// go-plugin's core protocol version, always the first handshake field.
pub const CORE_PROTOCOL_VERSION: u32 = 1;

/// Maximum gRPC message size, both directions, on the Provider service (terraform-plugin-go's value).
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;
