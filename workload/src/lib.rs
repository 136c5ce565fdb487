//! `hub-workload`: the companion workload that hub deploys, and the tool that checks a deployment works.
//!
//! Every seed stack ships a small Flask app whose only jobs are to answer probes and show its
//! configuration. This crate is that app done properly: the seeds' probe paths and bodies, readiness that
//! tracks declared dependencies and shutdown, redacted configuration, AWS identity and grant checks,
//! Prometheus metrics, JSON request logs, and limits that keep memory bounded whatever clients send.
//! `hub-workload check` is the client side, used by deploy scripts and CI.
//!
//! Layout: `settings` (environment → typed configuration), `app` (the app-port, admin-port and
//! probes-only routers) with `routes/*` and `observe` (request id, metrics, logs), `server` (connections,
//! reserved probe slots and graceful shutdown), and the domain modules behind the routes: `deps`,
//! `configs`, `identity`, `metrics`.

pub mod app;
pub mod check;
pub mod cli;
pub mod configs;
pub mod deps;
pub mod error;
pub mod http_client;
pub mod identity;
pub mod lifecycle;
pub mod logging;
pub mod metrics;
pub mod observe;
pub mod request_id;
pub mod routes;
pub mod server;
pub mod settings;
pub mod state;

#[cfg(test)]
mod test_support;

pub use app::app;
pub use state::AppState;
