//! The resource framework: the lifecycle every resource shares (validation from the schema, the plan
//! algorithm, apply dispatch and its invariants, refresh under an unknown provider configuration, import and
//! state upgrade), and the typed models resources are written in, so that resources hold only their domain
//! logic and the protocol server only converts.

mod context;
mod data_source;
pub mod drift;
mod erased;
mod function;
pub mod lifecycle;
mod model;
mod moved;
pub mod plan;
mod provider;
mod registry;
mod resource;
pub mod validate;

pub use context::{Connection, ProviderContext};
pub use data_source::DataSource;
pub use erased::{AnyDataSource, AnyResource};
pub use function::{Arguments, Function, FunctionError, Parameter, Signature};
pub use model::Model;
pub use moved::MoveSource;
pub use provider::{AnyProvider, ProviderBlock};
pub use registry::{DataSourceEntry, ProviderEntry, Registry, ResourceEntry};
pub use resource::{ApplyOutcome, PlanChange, Resource};
