//! All I/O of `hub_network_policy`: server-side apply, drift read back as the live `rendered` spec, delete
//! tolerant of objects already gone, import by `namespace/name`.

use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Api;
use kube::api::DeleteParams;

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext};
use crate::k8s;
use crate::schema::validators::dns1123_label_problem;
use crate::value::Tf;

use super::model::NetworkPolicyModel;
use super::render;

fn api(ctx: &ProviderContext, namespace: &str) -> Result<Api<NetworkPolicy>, Diagnostics> {
    Ok(Api::namespaced(ctx.kube()?, namespace))
}

pub(super) async fn create(ctx: &ProviderContext, planned: &NetworkPolicyModel) -> ApplyOutcome<NetworkPolicyModel> {
    let (namespace, name) = planned.identity();
    match api(ctx, namespace) {
        Ok(api) => match api.get_opt(name).await {
            Ok(Some(_)) => ApplyOutcome::failed(Diagnostics::from_error(
                "Network Policy Already Exists",
                format!(
                    "NetworkPolicy {}/{} already exists and is not in this Terraform state. Import it with \
                     `terraform import <address> {}/{}`.",
                    namespace, name, namespace, name
                ),
            )),
            Ok(None) => apply(ctx, planned).await,
            Err(e) => ApplyOutcome::failed(k8s::report("Reading network policy", e)),
        },
        Err(d) => ApplyOutcome::failed(d),
    }
}

pub(super) async fn apply(ctx: &ProviderContext, planned: &NetworkPolicyModel) -> ApplyOutcome<NetworkPolicyModel> {
    let m = planned.policy();
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

pub(super) async fn read(
    ctx: &ProviderContext,
    prior: &NetworkPolicyModel,
) -> Result<Option<NetworkPolicyModel>, Diagnostics> {
    let (Some(namespace), Some(name)) = (prior.namespace.get(), prior.name.get()) else {
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
    // An import skeleton has no `rendered` yet: its configuration comes from the live object.
    if prior.rendered.is_null() {
        super::reverse::from_live(&live, &mut state);
    }
    state.rendered = Tf::Known(render::rendered(&live));
    state.id = Tf::Known(format!("{namespace}/{name}"));
    Ok(Some(state))
}

pub(super) async fn delete(ctx: &ProviderContext, prior: &NetworkPolicyModel) -> Diagnostics {
    let (namespace, name) = prior.identity();
    let result = async {
        let deleted = api(ctx, namespace)?.delete(name, &DeleteParams::default()).await;
        match deleted.map_err(k8s::Error::from) {
            Ok(_) | Err(k8s::Error::NotFound(_)) => Ok(()),
            Err(e) => Err(e.diagnostics(&format!("Deleting network policy {namespace}/{name}"))),
        }
    }
    .await;
    result.err().unwrap_or_default()
}

/// Import by `namespace/name`. The read that follows fills the pod selector and the rules from the live
/// object ([`super::reverse`]); presets come back as the custom rules they render.
pub(super) fn import_state(id: &str) -> Result<NetworkPolicyModel, Diagnostics> {
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
    Ok(NetworkPolicyModel {
        namespace: Tf::Known(namespace.to_owned()),
        name: Tf::Known(name.to_owned()),
        id: Tf::Known(id.to_owned()),
        enforcement_check: Tf::Known("warn".to_owned()),
        ..NetworkPolicyModel::default()
    })
}
