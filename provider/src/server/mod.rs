//! The tfplugin6 `Provider` gRPC service: one handler per RPC (in files named after the RPCs), each turning
//! the request into framework calls and answering with diagnostics, never a gRPC error status.

mod apply;
mod configure;
mod convert;
mod data_source;
mod ephemeral;
mod function;
mod identity;
mod import;
mod moved;
mod plan;
mod read;
mod schema;
mod upgrade;
mod validate;

use std::sync::{Arc, RwLock};

use tonic::{Request, Response, Status};
use tracing::Instrument;

use crate::framework::{ProviderContext, Registry};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider;

/// The provider's gRPC service. Cheap to clone; all clones share one provider instance.
#[derive(Clone)]
pub struct ProviderService {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    /// Replaced by ConfigureProvider; read (cloned) by every resource RPC.
    context: RwLock<ProviderContext>,
}

/// Builds the service with every hub resource and data source registered.
pub fn service() -> ProviderService {
    ProviderService::new(crate::resources::registry())
}

impl ProviderService {
    /// A service over an explicit registry (tests use their own resource types).
    pub fn new(registry: Registry) -> Self {
        ProviderService {
            inner: Arc::new(Inner {
                registry,
                context: RwLock::new(ProviderContext::default()),
            }),
        }
    }

    fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    fn context(&self) -> ProviderContext {
        match self.inner.context.read() {
            Ok(ctx) => ctx.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_context(&self, ctx: ProviderContext) {
        match self.inner.context.write() {
            Ok(mut slot) => *slot = ctx,
            Err(poisoned) => *poisoned.into_inner() = ctx,
        }
    }
}

type Rpc<T> = Result<Response<T>, Status>;

fn ok<T>(t: T) -> Rpc<T> {
    Ok(Response::new(t))
}

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(&self, _: Request<pb::get_metadata::Request>) -> Rpc<pb::get_metadata::Response> {
        ok(schema::get_metadata(self.registry()))
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Rpc<pb::get_provider_schema::Response> {
        let _span = crate::logging::rpc_span("GetProviderSchema").entered();
        ok(schema::get_provider_schema(self.registry()))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Rpc<pb::get_resource_identity_schemas::Response> {
        let _span = crate::logging::rpc_span("GetResourceIdentitySchemas").entered();
        ok(identity::get_resource_identity_schemas(self.registry()))
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Rpc<pb::upgrade_resource_identity::Response> {
        ok(identity::upgrade_resource_identity(self.registry(), req.get_ref()))
    }

    async fn get_functions(&self, _: Request<pb::get_functions::Request>) -> Rpc<pb::get_functions::Response> {
        ok(function::get_functions(self.registry()))
    }

    async fn call_function(&self, req: Request<pb::call_function::Request>) -> Rpc<pb::call_function::Response> {
        let _span = crate::logging::rpc_span("CallFunction").entered();
        ok(function::call_function(self.registry(), req.get_ref()))
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Rpc<pb::validate_provider_config::Response> {
        let _span = crate::logging::rpc_span("ValidateProviderConfig").entered();
        ok(validate::provider(self.registry(), req.get_ref()))
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Rpc<pb::validate_resource_config::Response> {
        let _span = crate::logging::rpc_span("ValidateResourceConfig").entered();
        ok(validate::resource(self.registry(), req.get_ref()))
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Rpc<pb::validate_data_resource_config::Response> {
        let _span = crate::logging::rpc_span("ValidateDataResourceConfig").entered();
        ok(validate::data_source(self.registry(), req.get_ref()))
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Rpc<pb::configure_provider::Response> {
        let (ctx, resp) = configure::configure(self.registry(), req.get_ref(), self.context().stop)
            .instrument(crate::logging::rpc_span("ConfigureProvider"))
            .await;
        self.set_context(ctx);
        ok(resp)
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Rpc<pb::upgrade_resource_state::Response> {
        ok(upgrade::upgrade_resource_state(self.registry(), req.get_ref()))
    }

    async fn read_resource(&self, req: Request<pb::read_resource::Request>) -> Rpc<pb::read_resource::Response> {
        ok(read::read_resource(self.registry(), &self.context(), req.into_inner())
            .instrument(crate::logging::rpc_span("ReadResource"))
            .await)
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Rpc<pb::plan_resource_change::Response> {
        ok(
            plan::plan_resource_change(self.registry(), &self.context(), req.into_inner())
                .instrument(crate::logging::rpc_span("PlanResourceChange"))
                .await,
        )
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Rpc<pb::apply_resource_change::Response> {
        ok(
            apply::apply_resource_change(self.registry(), &self.context(), req.into_inner())
                .instrument(crate::logging::rpc_span("ApplyResourceChange"))
                .await,
        )
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Rpc<pb::import_resource_state::Response> {
        ok(import::import_resource_state(self.registry(), req.get_ref()))
    }

    async fn move_resource_state(
        &self,
        req: Request<pb::move_resource_state::Request>,
    ) -> Rpc<pb::move_resource_state::Response> {
        ok(moved::move_resource_state(self.registry(), req.get_ref()))
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Rpc<pb::read_data_source::Response> {
        ok(
            data_source::read_data_source(self.registry(), &self.context(), req.get_ref())
                .instrument(crate::logging::rpc_span("ReadDataSource"))
                .await,
        )
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
        let _span = crate::logging::rpc_span("ValidateEphemeralResourceConfig").entered();
        ok(ephemeral::validate(self.registry(), req.get_ref()))
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Rpc<pb::open_ephemeral_resource::Response> {
        ok(ephemeral::open(self.registry(), &self.context(), req.get_ref())
            .instrument(crate::logging::rpc_span("OpenEphemeralResource"))
            .await)
    }

    async fn renew_ephemeral_resource(
        &self,
        req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Rpc<pb::renew_ephemeral_resource::Response> {
        ok(ephemeral::renew(self.registry(), req.get_ref()))
    }

    async fn close_ephemeral_resource(
        &self,
        req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Rpc<pb::close_ephemeral_resource::Response> {
        ok(ephemeral::close(self.registry(), req.get_ref()))
    }

    async fn stop_provider(&self, _: Request<pb::stop_provider::Request>) -> Rpc<pb::stop_provider::Response> {
        tracing::info!(
            tf_rpc = "StopProvider",
            "stop requested: cancelling in-flight operations"
        );
        self.context().stop.cancel();
        ok(pb::stop_provider::Response::default())
    }
}
