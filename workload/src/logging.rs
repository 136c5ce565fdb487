//! JSON logs on stdout, one object per line, filtered by `HUB_LOG` / `LOG_LEVEL` / `RUST_LOG`.
//!
//! The filter is a level (`info`) or a `tracing` targets list (`info,hub_workload::access=warn`); the
//! `env-filter` feature (and its regex engine) is not needed for that. An unparsable filter falls back to
//! `info` with a warning rather than stopping the pod.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// Installs the global subscriber; later calls (tests) are no-ops.
pub fn init(filter: &str) {
    let (targets, bad) = match filter.parse::<Targets>() {
        Ok(targets) => (targets, false),
        Err(_) => (Targets::new().with_default(tracing::Level::INFO), true),
    };
    let json = tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_writer(std::io::stdout);
    let _ = tracing_subscriber::registry()
        .with(json.with_filter(targets))
        .try_init();
    if bad {
        tracing::warn!(filter, "unparsable log filter; using info");
    }
}
