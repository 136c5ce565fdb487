//! The local control plane hub's acceptance tests and quick-start demo run against: a real Kubernetes API
//! (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok nodes in three zones) and a moto
//! AWS account whose EKS cluster `hub-sandbox` describes that API server, all on 127.0.0.1. There is no
//! container engine and no internet here, so the real parts are assembled from tools that
//! `tests/tools/build.sh` builds once into `~/.cache/hub/tools/`.
//!
//! What makes it behave like EKS as far as hub can tell:
//! - `DescribeCluster` returns the local endpoint, the CA that signed the API server's certificate and a
//!   32-hex OIDC issuer with a matching IAM OIDC provider ([`tools/moto/sandbox_moto.py`]);
//! - `k8s-aws-v1.` tokens are authenticated for real by a token webhook ([`webhook`]);
//! - pods run on kwok nodes, with opt-in failure modes ([`kwok`]).
//!
//! Tests use [`Sandbox::shared`] plus a [`Scope`] per test; the fault hooks are
//! [`Sandbox::stop_component`]/[`Sandbox::start_component`] and [`Sandbox::faults`]. Humans use the
//! `hub-sandbox` binary (`up`, `down`, `status`, `env`).

pub mod components;
pub mod eks_token;
pub mod error;
pub mod faults;
pub mod files;
pub mod handle;
pub mod health;
pub mod httpc;
pub mod kube_client;
pub mod kwok;
pub mod launcher;
pub mod layout;
pub mod pki;
pub mod ports;
pub mod process;
pub mod proxy;
pub mod scope;
pub mod state;
pub mod tools;
pub mod webhook;
pub mod writes;

use std::net::Ipv4Addr;

pub use eks_token::EksToken;
pub use error::{Result, SandboxError};
pub use faults::{FaultConfig, FaultControl, FaultStats, FaultStatus};
pub use handle::Sandbox;
pub use scope::Scope;
pub use state::{Component, RunState};
pub use writes::{WriteWatch, Writes};

/// Name of the EKS cluster moto describes.
pub const CLUSTER_NAME: &str = "hub-sandbox";
/// A second name of the same cluster (moto describes the same API server) whose tokens the webhook accepts
/// for only [`SHORT_TOKEN_LIFETIME`]: for the one test that must outlive a token. Everything else keeps
/// EKS's 15 minutes under [`CLUSTER_NAME`].
pub const SHORT_LIVED_CLUSTER_NAME: &str = "hub-sandbox-short-lived";
/// How long the webhook accepts a token signed for [`SHORT_LIVED_CLUSTER_NAME`].
pub const SHORT_TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(60);
/// AWS region of the sandbox.
pub const REGION: &str = "us-east-1";
/// moto's default account, the sandbox account.
pub const ACCOUNT_ID: &str = "123456789012";
/// Dummy access key ID (the AWS documentation example).
pub const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
/// Dummy secret access key (the AWS documentation example).
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// Kubernetes minor version of the API server built by build.sh.
pub const KUBERNETES_MINOR: &str = "35";
/// Address kube-apiserver advertises (TEST-NET-1; see `components::kube_apiserver`).
pub const ADVERTISE_ADDRESS: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 10);
/// Service CIDR (EKS's default).
pub const SERVICE_CIDR: &str = "172.20.0.0/16";
/// First service IP (the `kubernetes` Service).
pub const SERVICE_IP: Ipv4Addr = Ipv4Addr::new(172, 20, 0, 1);
