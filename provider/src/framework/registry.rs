//! The registry: every resource and data source type with its schema, built once per process.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::schema::Schema;
use crate::value::Type;

use super::{DataSource, Resource};

/// A registered type with its schema and implied type computed once.
pub struct Entry<T: ?Sized> {
    /// The implementation.
    pub imp: Arc<T>,
    /// Its schema.
    pub schema: Schema,
    /// The schema's implied object type (what values are decoded against).
    pub ty: Type,
}

/// All types the provider offers.
#[derive(Default)]
pub struct Registry {
    /// Provider block schema.
    pub provider: Option<(Schema, Type)>,
    /// Resource types by name.
    pub resources: BTreeMap<&'static str, Entry<dyn Resource>>,
    /// Data source types by name.
    pub data_sources: BTreeMap<&'static str, Entry<dyn DataSource>>,
}

impl Registry {
    /// Sets the provider block schema.
    #[must_use]
    pub fn provider(mut self, schema: Schema) -> Self {
        let ty = schema.implied_type();
        self.provider = Some((schema, ty));
        self
    }
    /// Registers a resource type.
    #[must_use]
    pub fn resource(mut self, imp: impl Resource + 'static) -> Self {
        let schema = imp.schema();
        let ty = schema.implied_type();
        self.resources.insert(
            imp.type_name(),
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
    pub fn data_source(mut self, imp: impl DataSource + 'static) -> Self {
        let schema = imp.schema();
        let ty = schema.implied_type();
        self.data_sources.insert(
            imp.type_name(),
            Entry {
                imp: Arc::new(imp),
                schema,
                ty,
            },
        );
        self
    }
}
