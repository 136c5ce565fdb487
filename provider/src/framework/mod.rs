//! The resource framework: the lifecycle every resource shares (validation from the schema, the plan
//! algorithm, apply dispatch, refresh under an unknown provider configuration), so that resources hold only
//! their domain logic.

mod context;
mod data_source;
pub mod plan;
mod registry;
mod resource;
pub mod validate;

pub use context::{Connection, ProviderContext};
pub use data_source::DataSource;
pub use registry::Registry;
pub use resource::{ApplyOutcome, PlanChange, Resource};
