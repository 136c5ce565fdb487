//! Acceptance-test support for hub: the local control plane ([`sandbox`]) and a harness that drives the
//! real OpenTofu/Terraform CLIs against the built provider ([`tf`]).

pub mod api_requests;
pub mod corpus;
pub mod fixture;
pub mod identity;
pub mod promise;
pub mod sandbox;
pub mod support;
pub mod tf;
pub mod wait;
