//! A provider registry for release tests: what `terraform init` meets when hub is published, served locally
//! so the real CLIs install, verify and pin a packaged hub without any address outside 127.0.0.1.
//!
//! - [`package`]: runs `scripts/release/package.py` (the release packaging) on a stripped copy of a binary.
//! - [`Keyring`]: a throw-away GnuPG home with keys generated at test time, for signing SHA256SUMS.
//! - [`Registry`]: an HTTPS server on 127.0.0.1 with its own test CA (trusted through `SSL_CERT_FILE`)
//!   speaking service discovery, the provider registry protocol and the provider network mirror protocol.
//!   Each registry namespace serves its own `dist/` directory, so one server can offer the good release
//!   beside deliberately broken ones (a tampered zip, a wrong checksum line, a foreign signature).
//!
//! The CLIs reach it as the host `localhost:PORT` (both OpenTofu and Terraform accept a port in a provider
//! source address and run discovery against it); CLI configurations restrict installation to it.

mod dist;
mod gpg;
pub mod package;
mod routes;
mod server;
mod tls;

pub use dist::{Dist, sha256_hex};
pub use gpg::{Keyring, SigningKey};
pub use server::{Namespace, Registry};
