//! The provider block: its typed model, validation, and the context it configures, behind the same
//! decode-once boundary as resources.

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use crate::diag::Diagnostics;
use crate::schema::Schema;
use crate::value::{Type, Value};

use super::{Model, ProviderContext};

/// What the provider block implements.
#[async_trait]
pub trait ProviderBlock: Send + Sync + 'static {
    /// The provider block's configuration as one typed model.
    type Model: Model;
    /// The schema; called once when the provider starts.
    fn schema(&self) -> Schema;
    /// Checks across attributes (values may be unknown).
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}
    /// The context every later request gets; `known` is false while any value is unknown. Never fails
    /// because a value is unknown: resources then plan from configuration alone.
    async fn configure(
        &self,
        config: &Self::Model,
        known: bool,
        stop: CancellationToken,
    ) -> (ProviderContext, Diagnostics);
}

/// A provider block behind values.
#[async_trait]
pub trait AnyProvider: Send + Sync {
    /// Cross-attribute checks.
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    /// Configuration into a context.
    async fn configure(&self, config: &Value, stop: CancellationToken) -> (ProviderContext, Diagnostics);
    /// Whether the model holds exactly the schema's attributes.
    fn check_model(&self, ty: &Type) -> Result<(), String>;
}

fn decode<M: Model>(config: &Value) -> Result<M, Diagnostics> {
    super::erased::decode(PROVIDER, config, "configuration")
}

/// How decode errors name the provider block.
const PROVIDER: &str = "the provider";

#[async_trait]
impl<P: ProviderBlock> AnyProvider for P {
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        super::erased::validate_with(PROVIDER, config, diags, |m: &P::Model, d| {
            ProviderBlock::validate(self, m, d);
        });
    }

    async fn configure(&self, config: &Value, stop: CancellationToken) -> (ProviderContext, Diagnostics) {
        match decode::<P::Model>(config) {
            Ok(model) => ProviderBlock::configure(self, &model, config.is_wholly_known(), stop).await,
            Err(d) => (
                ProviderContext {
                    stop,
                    ..ProviderContext::default()
                },
                d,
            ),
        }
    }

    fn check_model(&self, ty: &Type) -> Result<(), String> {
        super::drift::check_model::<P::Model>(ty)
    }
}
