//! `plugin.GRPCStdio`: go-plugin's stdout/stderr mirror. We never write to stdout after the handshake
//! and log through real stderr, so the stream stays open, sends nothing, and ends at shutdown.

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status};

use crate::proto::plugin::StdioData;
use crate::proto::plugin::grpc_stdio_server::GrpcStdio;

/// An always-silent stdio stream.
#[derive(Debug)]
pub(crate) struct Stdio {
    shutdown: CancellationToken,
}

impl Stdio {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        Self { shutdown }
    }
}

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    async fn stream_stdio(&self, _request: Request<()>) -> Result<Response<BoxStream<StdioData>>, Status> {
        let (tx, rx) = mpsc::channel::<Result<StdioData, Status>>(1);
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = shutdown.cancelled() => {}
                () = tx.closed() => {}
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
