//! The registry: every resource, data source and ephemeral resource type with its schema, and every
//! function, built once per process.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::schema::Schema;
use crate::value::Type;

use crate::diag::Diagnostics;

use super::provider::{AnyProvider, ProviderBlock};
use super::{AnyDataSource, AnyResource, DataSource, Function, Resource};

/// A registered type with its schema and implied type computed once.
pub struct Entry<T: ?Sized> {
    /// The implementation.
    pub imp: Arc<T>,
    /// Its schema.
    pub schema: Schema,
    /// The schema's implied object type (what values are decoded against).
    pub ty: Type,
}

/// A registered resource type.
pub type ResourceEntry = Entry<dyn AnyResource>;
/// The registered provider block.
pub type ProviderEntry = Entry<dyn AnyProvider>;
/// A registered data source type.
pub type DataSourceEntry = Entry<dyn AnyDataSource>;

/// A data source's (or ephemeral resource's) entry under its type name.
fn data_source_entry<D: DataSource>(imp: D) -> (&'static str, DataSourceEntry) {
    let schema = imp.schema();
    let ty = schema.implied_type();
    let name = DataSource::type_name(&imp);
    let imp: Arc<dyn AnyDataSource> = Arc::new(imp);
    (name, Entry { imp, schema, ty })
}

/// All types the provider offers.
#[derive(Default)]
pub struct Registry {
    /// The provider block.
    pub provider: Option<ProviderEntry>,
    /// Resource types by name.
    pub resources: BTreeMap<&'static str, ResourceEntry>,
    /// Data source types by name.
    pub data_sources: BTreeMap<&'static str, DataSourceEntry>,
    /// Ephemeral resource types by name: a [`DataSource`] whose result Terraform never stores.
    pub ephemeral_resources: BTreeMap<&'static str, DataSourceEntry>,
    /// Provider-defined functions by name.
    pub functions: BTreeMap<&'static str, Arc<dyn Function>>,
}

impl Registry {
    /// Sets the provider block.
    #[must_use]
    pub fn provider<P: ProviderBlock>(mut self, imp: P) -> Self {
        let schema = imp.schema();
        let ty = schema.implied_type();
        self.provider = Some(Entry {
            imp: Arc::new(imp),
            schema,
            ty,
        });
        self
    }
    /// Registers a resource type.
    #[must_use]
    pub fn resource<R: Resource>(mut self, imp: R) -> Self {
        let schema = imp.schema();
        let ty = schema.implied_type();
        self.resources.insert(
            Resource::type_name(&imp),
            Entry {
                imp: Arc::new(imp),
                schema,
                ty,
            },
        );
        self
    }
    /// Registers a data source type.
    #[must_use]
    pub fn data_source<D: DataSource>(mut self, imp: D) -> Self {
        let (name, entry) = data_source_entry(imp);
        self.data_sources.insert(name, entry);
        self
    }

    /// Registers an ephemeral resource type: its `read` is the Open of the ephemeral resource, its result
    /// lives in memory for one run and never reaches plan or state.
    #[must_use]
    pub fn ephemeral_resource<D: DataSource>(mut self, imp: D) -> Self {
        let (name, entry) = data_source_entry(imp);
        self.ephemeral_resources.insert(name, entry);
        self
    }

    /// Registers a provider-defined function.
    #[must_use]
    pub fn function<F: Function>(mut self, imp: F) -> Self {
        self.functions.insert(imp.name(), Arc::new(imp));
        self
    }

    /// The resource type of this name, or the diagnostic every handler gives for an unknown one.
    pub fn find_resource(&self, type_name: &str) -> Result<&ResourceEntry, Diagnostics> {
        self.resources.get(type_name).ok_or_else(|| {
            Diagnostics::from_error(
                "Unknown Resource Type",
                format!("hub has no resource type {type_name:?}."),
            )
        })
    }
    /// The data source of this name, or the diagnostic every handler gives for an unknown one.
    pub fn find_data_source(&self, type_name: &str) -> Result<&DataSourceEntry, Diagnostics> {
        self.data_sources.get(type_name).ok_or_else(|| {
            Diagnostics::from_error("Unknown Data Source", format!("hub has no data source {type_name:?}."))
        })
    }
    /// The ephemeral resource of this name, or the diagnostic every handler gives for an unknown one.
    pub fn find_ephemeral_resource(&self, type_name: &str) -> Result<&DataSourceEntry, Diagnostics> {
        self.ephemeral_resources.get(type_name).ok_or_else(|| {
            Diagnostics::from_error(
                "Unknown Ephemeral Resource",
                format!("hub has no ephemeral resource {type_name:?}."),
            )
        })
    }
}
