//! `plugin.GRPCController`: Terraform calls `Shutdown` when it is done with the process; we answer and
//! then stop serving (the process exits shortly after, see `serve`).

use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::proto::plugin::Empty;
use crate::proto::plugin::grpc_controller_server::GrpcController;

/// Cancels the process-wide shutdown token on `Shutdown`.
#[derive(Debug)]
pub(crate) struct Controller {
    shutdown: CancellationToken,
}

impl Controller {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        Self { shutdown }
    }
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        tracing::debug!("GRPCController.Shutdown received");
        // Graceful shutdown lets this in-flight response finish before the connection closes.
        self.shutdown.cancel();
        Ok(Response::new(Empty {}))
    }
}
