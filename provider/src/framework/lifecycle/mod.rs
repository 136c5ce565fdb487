//! The lifecycle of every request, on values: what the framework does around a resource's own code for
//! validation, plan, apply, refresh, import, moves across types and state upgrade. The protocol server only converts wire
//! messages to these calls and back.

mod apply;
mod configure;
mod data;
mod identity;
mod import;
mod moved;
mod plan;
mod read;
mod upgrade;
mod validate;

pub use apply::apply;
pub use configure::configure;
pub use data::read_data_source;
pub use identity::{Identity, for_identity, identity_of, identity_schema, import_id, upgrade_identity};
pub use import::import;
pub use moved::move_state;
pub use plan::{Planned, plan};
pub use read::{Refreshed, read};
pub use upgrade::upgrade;
pub use validate::{validate_data_source, validate_ephemeral_resource, validate_provider, validate_resource};
