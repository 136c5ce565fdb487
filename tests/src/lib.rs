//! Acceptance-test support for hub: the local control plane ([`sandbox`]) and a harness that drives the
//! real OpenTofu/Terraform CLIs against the built provider ([`tf`]).

pub mod api_requests;
/// The kinds `hub_app` renders: the provider's own list, compiled from its source file so the two cannot
/// differ (this crate does not depend on the provider crate, whose serde_json features would change it).
#[path = "../../provider/src/resources/app/kinds.rs"]
pub mod app_kinds;
/// What an import of `hub_app` cannot read back, each with its reason: the provider's own list, compiled
/// from its source file like [`app_kinds`], so import-verify ignores exactly these.
#[path = "../../provider/src/resources/app/reverse/unreadable.rs"]
pub mod app_unreadable;
pub mod corpus;
pub mod fixture;
pub mod identity;
pub mod pod_identity_agent;
pub mod promise;
pub mod registry;
pub mod sandbox;
pub mod support;
pub mod tf;
pub mod wait;
pub mod workload_process;
