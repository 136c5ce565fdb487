//! ConfigureProvider: builds the cluster connection. Never fails because a value is unknown: the
//! connection is then `Unknown` and resources plan from configuration alone.

use tokio_util::sync::CancellationToken;

use crate::diag::Diagnostics;
use crate::framework::{Connection, ProviderContext, Registry};
use crate::proto::tfplugin6 as pb;

use super::convert;

pub(super) async fn configure(
    registry: &Registry,
    req: &pb::configure_provider::Request,
    stop: CancellationToken,
) -> (ProviderContext, pb::configure_provider::Response) {
    let mut diags = Diagnostics::new();
    let mut aws = std::sync::Arc::new(crate::aws::LazyAws::unknown());
    let mut cluster_name = None;
    let connection = match &registry.provider {
        Some((_, ty)) => match convert::decode(req.config.as_ref(), ty, "provider configuration") {
            Ok(config) => {
                aws = std::sync::Arc::new(crate::config::aws_access(&config));
                cluster_name = config.attr("cluster_name").and_then(|v| v.as_str()).map(str::to_owned);
                crate::config::connect(&config, &aws).await
            }
            Err(d) => {
                diags.extend(d);
                Connection::Unconfigured
            }
        },
        None => Connection::Unconfigured,
    };
    if let Connection::Failed(d) = &connection {
        diags.extend(d.clone());
    }
    tracing::debug!(
        terraform_version = %req.terraform_version,
        config_unknown = matches!(connection, Connection::Unknown),
        "provider configured"
    );
    let ctx = ProviderContext {
        connection: std::sync::Arc::new(connection),
        stop,
        aws,
        cluster_name,
        reads: Default::default(),
        reachable: Default::default(),
    };
    (
        ctx,
        pb::configure_provider::Response {
            diagnostics: convert::diagnostics(diags),
        },
    )
}
