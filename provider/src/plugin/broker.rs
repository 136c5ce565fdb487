//! `plugin.GRPCBroker`: providers never open extra connections, so every call is `Unimplemented`
//! (the generated default), which Terraform tolerates.

use crate::proto::plugin::grpc_broker_server::GrpcBroker;

/// The do-nothing broker.
#[derive(Debug, Default)]
pub(crate) struct Broker;

#[tonic::async_trait]
impl GrpcBroker for Broker {}
