//! One fuzz case: an RPC, the type it addresses and the wire values of its request, all drawn from the
//! fuzzer's bytes.

use libfuzzer_sys::arbitrary::{Result, Unstructured};

use hub_provider::framework::Registry;
use hub_provider::value::Type;

use crate::values::{self, Wire};

/// Every RPC of the service that decodes a DynamicValue or raw state (ImportResourceState decodes only its
/// ID, but it is cheap and takes arbitrary text too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rpc {
    ValidateProviderConfig,
    ConfigureProvider,
    ValidateResourceConfig,
    ValidateDataResourceConfig,
    UpgradeResourceState,
    ReadResource,
    PlanResourceChange,
    ApplyResourceChange,
    ImportResourceState,
    ReadDataSource,
}

const RPCS: [Rpc; 10] = [
    Rpc::ValidateProviderConfig,
    Rpc::ConfigureProvider,
    Rpc::ValidateResourceConfig,
    Rpc::ValidateDataResourceConfig,
    Rpc::UpgradeResourceState,
    Rpc::ReadResource,
    Rpc::PlanResourceChange,
    Rpc::ApplyResourceChange,
    Rpc::ImportResourceState,
    Rpc::ReadDataSource,
];

/// A request to make.
#[derive(Debug, Clone)]
pub struct Case {
    pub rpc: Rpc,
    /// The type name sent: a registered one, or (rarely) arbitrary text.
    pub type_name: String,
    /// The type the values are drawn from (and decoded against by the oracle), when `type_name` is known.
    pub ty: Option<Type>,
    /// The request's values in the order the RPC's fields are listed in `crate::run`.
    pub values: Vec<Wire>,
    /// Raw JSON state (UpgradeResourceState) or the import ID's bytes.
    pub raw: Vec<u8>,
    /// The state schema version (UpgradeResourceState).
    pub version: i64,
    /// Client capabilities: write-only attributes allowed, deferral allowed.
    pub write_only_allowed: bool,
    pub deferral_allowed: bool,
}

impl Case {
    /// Draws a case. Values are drawn against the addressed type even when a value is deliberately of the
    /// wrong shape, so most of them decode.
    pub fn draw(u: &mut Unstructured, registry: &Registry) -> Result<Case> {
        let rpc = *u.choose(&RPCS)?;
        let (type_name, ty) = match rpc {
            Rpc::ValidateProviderConfig | Rpc::ConfigureProvider => {
                (String::new(), registry.provider.as_ref().map(|p| p.ty.clone()))
            }
            Rpc::ValidateDataResourceConfig | Rpc::ReadDataSource => {
                pick(u, registry.data_sources.iter().map(|(n, e)| (*n, &e.ty)))?
            }
            _ => pick(u, registry.resources.iter().map(|(n, e)| (*n, &e.ty)))?,
        };
        let value_ty = ty.clone().unwrap_or(Type::Dynamic);
        let count = match rpc {
            Rpc::PlanResourceChange | Rpc::ApplyResourceChange => 3,
            Rpc::UpgradeResourceState | Rpc::ImportResourceState => 0,
            _ => 1,
        };
        let mut values: Vec<Wire> = Vec::with_capacity(count);
        for _ in 0..count {
            let w = values::wire(u, &value_ty, values.last())?;
            values.push(w);
        }
        let raw = match rpc {
            Rpc::UpgradeResourceState => values::raw_json(u, &value_ty)?,
            Rpc::ImportResourceState => u.arbitrary::<Vec<u8>>()?,
            _ => Vec::new(),
        };
        Ok(Case {
            rpc,
            type_name,
            ty,
            values,
            raw,
            version: i64::from(u.int_in_range(-1..=2i8)?),
            write_only_allowed: u.arbitrary()?,
            deferral_allowed: u.arbitrary()?,
        })
    }
}

/// A registered name and its type (most of the time), or an arbitrary name that is not registered.
fn pick<'a>(
    u: &mut Unstructured,
    entries: impl ExactSizeIterator<Item = (&'a str, &'a Type)>,
) -> Result<(String, Option<Type>)> {
    let entries: Vec<_> = entries.collect();
    if u.ratio(1, 32)? || entries.is_empty() {
        let name = u.arbitrary::<String>()?;
        let ty = entries.iter().find(|(n, _)| *n == name).map(|(_, ty)| (*ty).clone());
        return Ok((name, ty));
    }
    let (name, ty) = u.choose(&entries)?;
    Ok(((*name).to_owned(), Some((*ty).clone())))
}
