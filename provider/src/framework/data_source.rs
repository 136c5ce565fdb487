//! The `DataSource` trait: one data source type, on its typed [`Model`] like a [`super::Resource`]. An
//! ephemeral resource is the same trait registered with [`super::Registry::ephemeral_resource`]: `read` is
//! its Open, and Terraform keeps the result only in memory.

use async_trait::async_trait;

use crate::diag::Diagnostics;
use crate::schema::Schema;

use super::{Model, ProviderContext};

/// One data source type.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    /// Configuration and result, as one typed model.
    type Model: Model;
    /// The full type name, e.g. `hub_cluster`.
    fn type_name(&self) -> &'static str;
    /// The schema; called once when the provider starts.
    fn schema(&self) -> Schema;
    /// Cross-attribute checks (values may be unknown).
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}
    /// Reads the data; the result must be wholly known.
    async fn read(&self, ctx: &ProviderContext, config: &Self::Model) -> Result<Self::Model, Diagnostics>;
}
