//! Integration tests of the local control plane: every "Must show" item of issue 3, against the real
//! processes. The plane is started once for this test binary (tools are built by tests/tools/build.sh on
//! first use, which takes a while on a fresh machine); set `HUB_SANDBOX_DIR` to reuse one started with
//! `make sandbox-up`, or `HUB_SANDBOX_SKIP=1` to skip these tests.

#[path = "sandbox/support.rs"]
mod support;

#[path = "sandbox/auth.rs"]
mod auth;
#[path = "sandbox/aws.rs"]
mod aws;
#[path = "sandbox/lifecycle.rs"]
mod lifecycle;
#[path = "sandbox/workloads.rs"]
mod workloads;
