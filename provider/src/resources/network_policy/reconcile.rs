//! All I/O of `hub_network_policy`: server-side apply, drift read back as the live `rendered` spec, delete
//! tolerant of objects already gone, import by `namespace/name`.

use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Api;
use kube::api::DeleteParams;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext};
use crate::k8s;
use crate::schema::validators::dns1123_label_problem;
use crate::value::Value;

use super::model::PolicyModel;
use super::render;

fn api(ctx: &ProviderContext, namespace: &str) -> Result<Api<NetworkPolicy>, Diagnostics> {
    Ok(Api::namespaced(ctx.kube()?, namespace))
}

pub(super) async fn create(ctx: &ProviderContext, planned: &Value) -> ApplyOutcome {
    let m = PolicyModel::from_value(planned);
    match api(ctx, &m.namespace) {
        Ok(api) => match api.get_opt(&m.name).await {
            Ok(Some(_)) => ApplyOutcome::failed(Diagnostics::from_error(
                "Network Policy Already Exists",
                format!(
                    "NetworkPolicy {}/{} already exists and is not in this Terraform state. Import it with \
                     `terraform import <address> {}/{}`.",
                    m.namespace, m.name, m.namespace, m.name
                ),
            )),
            Ok(None) => apply(ctx, planned).await,
            Err(e) => ApplyOutcome::failed(k8s::report("Reading network policy", e)),
        },
        Err(d) => ApplyOutcome::failed(d),
    }
}

pub(super) async fn apply(ctx: &ProviderContext, planned: &Value) -> ApplyOutcome {
    let m = PolicyModel::from_value(planned);
    let result = async {
        let policy = render::network_policy(&m);
        k8s::Apply::hub()
            .force(true)
            .send(&api(ctx, &m.namespace)?, &m.name, &policy)
            .await
            .map_err(|e| e.diagnostics(&format!("Applying network policy {}/{}", m.namespace, m.name)))?;
        Ok::<_, Diagnostics>(planned.clone())
    }
    .await;
    match result {
        Ok(state) => ApplyOutcome::ok(state),
        Err(d) => ApplyOutcome::failed(d),
    }
}

pub(super) async fn read(ctx: &ProviderContext, prior: &Value) -> Result<Option<Value>, Diagnostics> {
    let (Some(namespace), Some(name)) = (
        prior.attr("namespace").and_then(Value::as_str),
        prior.attr("name").and_then(Value::as_str),
    ) else {
        return Ok(None);
    };
    let Some(live) = api(ctx, namespace)?
        .get_opt(name)
        .await
        .map_err(|e| k8s::report("Reading network policy", e))?
    else {
        return Ok(None);
    };
    let mut state = prior.clone();
    if let Some(slot) = state.attr_mut("rendered") {
        *slot = Value::string(render::rendered(&live));
    }
    if let Some(slot) = state.attr_mut("id") {
        *slot = Value::string(format!("{namespace}/{name}"));
    }
    Ok(Some(state))
}

pub(super) async fn delete(ctx: &ProviderContext, prior: &Value) -> Diagnostics {
    let m = PolicyModel::from_value(prior);
    let result = async {
        let deleted = api(ctx, &m.namespace)?.delete(&m.name, &DeleteParams::default()).await;
        match deleted.map_err(k8s::Error::from) {
            Ok(_) | Err(k8s::Error::NotFound(_)) => Ok(()),
            Err(e) => Err(e.diagnostics(&format!("Deleting network policy {}/{}", m.namespace, m.name))),
        }
    }
    .await;
    result.err().unwrap_or_default()
}

/// Import by `namespace/name`. Presets cannot be recovered from a live object, so the imported state holds
/// the identity and the live `rendered` spec; the next plan shows how the configuration differs.
pub(super) fn import_state(id: &str) -> Result<Value, Diagnostics> {
    let invalid = |why: &str| {
        Diagnostics::from_error(
            "Invalid Import ID",
            format!("The import ID is `namespace/name`; {id:?} {why}."),
        )
    };
    let (namespace, name) = id.split_once('/').ok_or_else(|| invalid("has no '/'"))?;
    for part in [namespace, name] {
        if let Some(problem) = dns1123_label_problem(part, 63) {
            return Err(invalid(&format!("has {part:?}, which {problem}")));
        }
    }
    let ty = super::schema::schema().implied_type();
    let crate::value::Type::Object(attrs) = ty else {
        return Err(invalid("cannot be represented"));
    };
    let mut state: std::collections::BTreeMap<String, Value> = attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    state.insert("namespace".into(), Value::string(namespace));
    state.insert("name".into(), Value::string(name));
    state.insert("id".into(), Value::string(id));
    state.insert("enforcement_check".into(), Value::string("warn"));
    Ok(Value::Object(state))
}
