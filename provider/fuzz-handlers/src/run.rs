//! Makes a case's request to the in-process service and checks the answer. A panic anywhere is the crash
//! libFuzzer reports; besides, a request whose values do not decode must be answered with an error
//! diagnostic, and an apply that creates or updates must fail, since the provider is unconfigured.
//!
//! No handler reaches the network: the shared service is never configured, so `ProviderContext::kube()`
//! and `ProviderContext::aws()` (the only ways to a cluster or to AWS) return "Provider Not Configured" /
//! "Provider Configuration Unknown" diagnostics. ConfigureProvider runs on a service of its own that is
//! dropped unused; building clients is offline (config.rs), and inputs naming a kubeconfig file are skipped
//! because reading an arbitrary path (a FIFO, /dev/zero) could block the fuzzer.

use std::sync::LazyLock;

use hub_provider::framework::Registry;
use hub_provider::proto::tfplugin6 as pb;
use hub_provider::proto::tfplugin6::provider_server::Provider;
use hub_provider::server::{ProviderService, service};
use hub_provider::value::{Type, Value, json, msgpack};
use tonic::Request;

use crate::case::{Case, Rpc};
use crate::values::Wire;

/// What every case shares: one runtime, the registry cases are drawn from, an unconfigured service.
pub struct Harness {
    runtime: tokio::runtime::Runtime,
    pub registry: Registry,
    unconfigured: ProviderService,
}

pub static HARNESS: LazyLock<Harness> = LazyLock::new(|| Harness {
    runtime: tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime"),
    registry: hub_provider::resources::registry(),
    unconfigured: service(),
});

impl Harness {
    /// Runs `case`; panics (a crash for libFuzzer) when the answer breaks the oracle.
    pub fn run(&self, case: &Case) {
        if let Err(problem) = self.runtime.block_on(self.answer(case)) {
            panic!("{problem}\ncase: {case:?}");
        }
    }

    async fn answer(&self, case: &Case) -> Result<(), String> {
        let svc = &self.unconfigured;
        let name = case.type_name.clone();
        let dv = |i: usize| case.values.get(i).map(dynamic_value);
        let caps = || {
            Some(pb::ClientCapabilities {
                deferral_allowed: case.deferral_allowed,
                write_only_attributes_allowed: case.write_only_allowed,
            })
        };
        let transport = |e: tonic::Status| format!("{:?} failed at the transport level: {e}", case.rpc);
        let diags = match case.rpc {
            Rpc::ValidateProviderConfig => {
                let req = pb::validate_provider_config::Request { config: dv(0) };
                svc.validate_provider_config(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
            Rpc::ConfigureProvider => {
                if names_kubeconfig(case) {
                    return Ok(());
                }
                let req = pb::configure_provider::Request {
                    config: dv(0),
                    client_capabilities: caps(),
                    ..Default::default()
                };
                // A service of its own: the configured one is dropped without serving anything.
                service()
                    .configure_provider(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
            Rpc::ValidateResourceConfig => {
                let req = pb::validate_resource_config::Request {
                    type_name: name,
                    config: dv(0),
                    client_capabilities: caps(),
                };
                svc.validate_resource_config(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
            Rpc::ValidateDataResourceConfig => {
                let req = pb::validate_data_resource_config::Request {
                    type_name: name,
                    config: dv(0),
                };
                let r = svc
                    .validate_data_resource_config(Request::new(req))
                    .await
                    .map_err(transport)?;
                r.into_inner().diagnostics
            }
            Rpc::UpgradeResourceState => {
                let req = pb::upgrade_resource_state::Request {
                    type_name: name,
                    version: case.version,
                    raw_state: Some(pb::RawState {
                        json: case.raw.clone(),
                        ..Default::default()
                    }),
                };
                svc.upgrade_resource_state(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
            Rpc::ReadResource => {
                let req = pb::read_resource::Request {
                    type_name: name,
                    current_state: dv(0),
                    client_capabilities: caps(),
                    ..Default::default()
                };
                svc.read_resource(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
            Rpc::PlanResourceChange => {
                let req = pb::plan_resource_change::Request {
                    type_name: name,
                    prior_state: dv(0),
                    proposed_new_state: dv(1),
                    config: dv(2),
                    client_capabilities: caps(),
                    ..Default::default()
                };
                svc.plan_resource_change(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
            Rpc::ApplyResourceChange => {
                let req = pb::apply_resource_change::Request {
                    type_name: name,
                    prior_state: dv(0),
                    planned_state: dv(1),
                    config: dv(2),
                    ..Default::default()
                };
                svc.apply_resource_change(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
            Rpc::ImportResourceState => {
                let req = pb::import_resource_state::Request {
                    type_name: name,
                    id: String::from_utf8_lossy(&case.raw).into_owned(),
                    client_capabilities: caps(),
                    ..Default::default()
                };
                svc.import_resource_state(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
            Rpc::ReadDataSource => {
                let req = pb::read_data_source::Request {
                    type_name: name,
                    config: dv(0),
                    client_capabilities: caps(),
                    ..Default::default()
                };
                svc.read_data_source(Request::new(req))
                    .await
                    .map_err(transport)?
                    .into_inner()
                    .diagnostics
            }
        };
        check(case, &diags)
    }
}

/// The oracle for an answer that did not panic.
fn check(case: &Case, diags: &[pb::Diagnostic]) -> Result<(), String> {
    let failed = diags
        .iter()
        .any(|d| d.severity == pb::diagnostic::Severity::Error as i32);
    let provider_rpc = matches!(case.rpc, Rpc::ValidateProviderConfig | Rpc::ConfigureProvider);
    let Some(ty) = &case.ty else {
        return match failed || provider_rpc {
            true => Ok(()),
            false => Err(format!("{:?} accepted the unknown type {:?}", case.rpc, case.type_name)),
        };
    };
    let decoded: Vec<Option<Value>> = case.values.iter().map(|w| decode(w, ty)).collect();
    if let Some(i) = decoded.iter().position(Option::is_none)
        && !failed
    {
        return Err(format!(
            "{:?} accepted undecodable value #{i} without an error",
            case.rpc
        ));
    }
    match case.rpc {
        Rpc::UpgradeResourceState
            if !case.raw.is_empty() && json::decode_ignoring_undefined(&case.raw, ty).is_err() && !failed =>
        {
            Err("UpgradeResourceState accepted unreadable raw state without an error".into())
        }
        // Unconfigured, a create or update needs the cluster or AWS, so it must fail. (A delete may succeed:
        // a state without the remote object's name, e.g. an IRSA binding's role_name, has nothing to delete.)
        Rpc::ApplyResourceChange if !failed && !is_null(&decoded[1]) => {
            Err("ApplyResourceChange created or updated without a configured provider".into())
        }
        _ => Ok(()),
    }
}

fn is_null(v: &Option<Value>) -> bool {
    matches!(v, Some(Value::Null))
}

/// What the handlers' `convert::decode` makes of a wire value: msgpack if any, else JSON, else null.
fn decode(w: &Wire, ty: &Type) -> Option<Value> {
    let result = match (w.bytes.is_empty(), w.json) {
        (true, _) => Ok(Value::Null),
        (false, false) => msgpack::decode(&w.bytes, ty),
        (false, true) => json::decode(&w.bytes, ty),
    };
    result.ok()
}

fn dynamic_value(w: &Wire) -> pb::DynamicValue {
    if w.json {
        pb::DynamicValue {
            msgpack: Vec::new(),
            json: w.bytes.clone(),
        }
    } else {
        pb::DynamicValue {
            msgpack: w.bytes.clone(),
            json: Vec::new(),
        }
    }
}

/// Whether a ConfigureProvider case would make the provider read a kubeconfig file.
fn names_kubeconfig(case: &Case) -> bool {
    let (Some(w), Some(ty)) = (case.values.first(), &case.ty) else {
        return false;
    };
    decode(w, ty).is_some_and(|config| config.attr("config_path").and_then(Value::as_str).is_some())
}
