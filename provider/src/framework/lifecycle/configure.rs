//! ConfigureProvider: the provider block into the context every later request gets. Without a provider
//! block (a test registry) the context is unconfigured.

use tokio_util::sync::CancellationToken;

use crate::diag::Diagnostics;
use crate::framework::ProviderContext;
use crate::framework::registry::ProviderEntry;
use crate::value::Value;

/// Configures the provider; the diagnostics say why the cluster cannot be used, when it cannot.
pub async fn configure(
    entry: Option<&ProviderEntry>,
    config: &Value,
    stop: CancellationToken,
) -> (ProviderContext, Diagnostics) {
    match entry {
        Some(entry) => entry.imp.configure(config, stop).await,
        None => (
            ProviderContext {
                stop,
                ..ProviderContext::default()
            },
            Diagnostics::new(),
        ),
    }
}
