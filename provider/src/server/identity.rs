//! Resource identity on the wire: GetResourceIdentitySchemas, UpgradeResourceIdentity, and the identity
//! values every state-returning handler adds to its answer.

use crate::diag::Diagnostics;
use crate::framework::{Registry, ResourceEntry, lifecycle};
use crate::proto::tfplugin6 as pb;
use crate::value::Value;

use super::convert;

/// Every resource type's identity schema.
pub(super) fn get_resource_identity_schemas(registry: &Registry) -> pb::get_resource_identity_schemas::Response {
    pb::get_resource_identity_schemas::Response {
        identity_schemas: registry
            .resources
            .iter()
            .map(|(name, entry)| (name.to_string(), schema(entry)))
            .collect(),
        diagnostics: Vec::new(),
    }
}

fn schema(entry: &ResourceEntry) -> pb::ResourceIdentitySchema {
    let s = entry.imp.identity_schema();
    pb::ResourceIdentitySchema {
        version: s.version,
        identity_attributes: s
            .attributes
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.clone(),
                r#type: a.ty.to_json_bytes(),
                required_for_import: a.required_for_import,
                optional_for_import: !a.required_for_import,
                description: a.description.clone(),
            })
            .collect(),
    }
}

/// A stored identity from an older identity schema version.
pub(super) fn upgrade_resource_identity(
    registry: &Registry,
    req: &pb::upgrade_resource_identity::Request,
) -> pb::upgrade_resource_identity::Response {
    let _span = crate::logging::rpc_span("UpgradeResourceIdentity").entered();
    let result = (|| {
        let entry = registry.find_resource(&req.type_name)?;
        let raw = req.raw_identity.as_ref().map(|r| r.json.as_slice()).unwrap_or_default();
        let value = lifecycle::upgrade_identity(entry, req.version, raw)?;
        data(entry, &value)
    })();
    match result {
        Ok(upgraded_identity) => pb::upgrade_resource_identity::Response {
            upgraded_identity,
            diagnostics: Vec::new(),
        },
        Err(d) => pb::upgrade_resource_identity::Response {
            upgraded_identity: None,
            diagnostics: convert::diagnostics(d),
        },
    }
}

/// An identity value on the wire; a null identity is left out.
pub(super) fn data(entry: &ResourceEntry, identity: &Value) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
    if identity.is_null() {
        return Ok(None);
    }
    let ty = entry.imp.identity_schema().implied_type();
    let dv = convert::encode(identity, &ty, "identity")?;
    Ok(Some(pb::ResourceIdentityData {
        identity_data: Some(dv),
    }))
}

/// The identity of the object `state` describes, on the wire (absent for a null state).
pub(super) fn of_state(entry: &ResourceEntry, state: &Value) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
    data(entry, &lifecycle::identity_of(entry, state)?)
}

/// An identity from a request; absent means null.
pub(super) fn decode(entry: &ResourceEntry, data: Option<&pb::ResourceIdentityData>) -> Result<Value, Diagnostics> {
    let ty = entry.imp.identity_schema().implied_type();
    convert::decode(data.and_then(|d| d.identity_data.as_ref()), &ty, "identity")
}
