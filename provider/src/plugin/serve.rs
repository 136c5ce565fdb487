//! Puts the transport together: signals, listener, certificate, handshake line, then the gRPC server
//! until `GRPCController.Shutdown` or a stop signal, with a bounded grace period.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tonic::transport::Server;
use tonic_health::ServingStatus;

use super::broker::Broker;
use super::controller::Controller;
use super::stdio::Stdio;
use super::tls::ServerIdentity;
use super::{Launch, MAX_MESSAGE_SIZE, Mode, PluginError, debug, handshake, incoming, listener, signals};
use crate::proto::plugin::grpc_broker_server::GrpcBrokerServer;
use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::proto::tfplugin6::provider_server::{Provider, ProviderServer};

/// How long in-flight calls may run after shutdown starts. go-plugin's client kills the process
/// 2 s after `Shutdown`, so stay well below that.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// The name go-plugin registers in the gRPC health service.
const HEALTH_SERVICE: &str = "plugin";

/// Serves `provider` over the go-plugin transport described by `launch` until told to stop.
///
/// Prints the handshake line (managed) or attach instructions (debug) once it is listening.
/// Returns `Ok(())` after a clean shutdown; a unix socket file is removed on return.
pub async fn serve<P: Provider>(provider: P, launch: Launch) -> Result<(), PluginError> {
    let shutdown = CancellationToken::new();
    signals::install(launch.mode, &shutdown)?;
    let (listener, endpoint) = listener::bind(&launch.listen).await?;
    let (network, address) = (endpoint.network, endpoint.address.as_str());

    let acceptor = match (launch.mode, launch.client_cert) {
        (Mode::Managed, Some(client_cert)) => {
            let identity = ServerIdentity::generate()?;
            let cert = identity.cert.clone();
            let acceptor = identity.acceptor(client_cert)?;
            handshake::announce(&handshake::line(network, address, Some(&cert)))?;
            Some(acceptor)
        }
        (Mode::Managed, None) => {
            handshake::announce(&handshake::line(network, address, None))?;
            None
        }
        (Mode::Debug, _) => {
            debug::announce(network, address)?;
            None
        }
    };
    tracing::debug!(network, address, tls = acceptor.is_some(), "plugin listening");

    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status(HEALTH_SERVICE, ServingStatus::Serving)
        .await;
    let provider = ProviderServer::new(provider)
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    let router = Server::builder()
        .add_service(provider)
        .add_service(GrpcControllerServer::new(Controller::new(shutdown.clone())))
        .add_service(GrpcStdioServer::new(Stdio::new(shutdown.clone())))
        .add_service(GrpcBrokerServer::new(Broker))
        .add_service(health);

    let connections = incoming::incoming(listener, acceptor, shutdown.clone());
    let mut server = tokio::spawn(router.serve_with_incoming_shutdown(connections, shutdown.clone().cancelled_owned()));
    let result = tokio::select! {
        result = &mut server => result,
        () = shutdown.cancelled() => match tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await {
            Ok(result) => result,
            Err(_) => {
                tracing::debug!("grace period over, abandoning open connections");
                server.abort();
                Ok(Ok(()))
            }
        },
    };
    drop(endpoint);
    result??;
    Ok(())
}
