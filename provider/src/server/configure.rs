//! ConfigureProvider: decodes the provider configuration and hands it to the framework, which builds the
//! context every later request gets.

use tokio_util::sync::CancellationToken;

use crate::framework::{ProviderContext, Registry, lifecycle};
use crate::proto::tfplugin6 as pb;
use crate::value::Value;

use super::convert;

pub(super) async fn configure(
    registry: &Registry,
    req: &pb::configure_provider::Request,
    stop: CancellationToken,
) -> (ProviderContext, pb::configure_provider::Response) {
    let entry = registry.provider.as_ref();
    let decoded = match entry {
        Some(e) => convert::decode(req.config.as_ref(), &e.ty, "provider configuration"),
        None => Ok(Value::Null),
    };
    let (ctx, diags) = match decoded {
        Ok(config) => lifecycle::configure(entry, &config, stop).await,
        Err(d) => (
            ProviderContext {
                stop,
                ..ProviderContext::default()
            },
            d,
        ),
    };
    tracing::debug!(
        terraform_version = %req.terraform_version,
        config_unknown = ctx.config_unknown(),
        "provider configured"
    );
    (
        ctx,
        pb::configure_provider::Response {
            diagnostics: convert::diagnostics(diags),
        },
    )
}
