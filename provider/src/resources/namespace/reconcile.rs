//! All I/O of `hub_namespace`: server-side apply of the namespace and its companions (quota, limits,
//! default-deny policy) with hub's field manager; read with drift limited to what hub manages; a delete
//! that waits until the namespace is gone or explains what holds it.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::{LimitRange, LimitRangeItem, Namespace, ResourceQuota};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kube::api::DeleteParams;
use kube::{Api, Client};

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext};
use crate::k8s::poll::{self, Waited};
use crate::k8s::{self, quantity};
use crate::schema::duration::parse_duration;
use crate::value::Tf;

use super::model::{DEFAULT_DELETE_TIMEOUT, Limits, NamespaceModel, Quota, QuotaField};
use super::render::{self, DENY_NAME, LIMITS_NAME, QUOTA_NAME, READINESS_GATE_LABEL, pss_label};

pub(super) async fn create(ctx: &ProviderContext, planned: &NamespaceModel) -> ApplyOutcome<NamespaceModel> {
    let client = match ctx.kube() {
        Ok(c) => c,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let name = planned.name();
    let namespaces: Api<Namespace> = Api::all(client.clone());
    match k8s::get(&namespaces, name, "namespace").await {
        Ok(None) => {}
        Ok(Some(_)) => {
            return ApplyOutcome::failed(Diagnostics::from_error(
                "Namespace Already Exists",
                format!(
                    "Namespace {name:?} already exists and is not in this Terraform state. Import it with \
                     `terraform import <address> {name}` to manage it with hub."
                ),
            ));
        }
        Err(d) => return ApplyOutcome::failed(d),
    }
    apply_all(&client, planned).await
}

pub(super) async fn update(ctx: &ProviderContext, planned: &NamespaceModel) -> ApplyOutcome<NamespaceModel> {
    match ctx.kube() {
        Ok(client) => apply_all(&client, planned).await,
        Err(d) => ApplyOutcome::failed(d),
    }
}

/// Applies the namespace, then each companion (or deletes it when no longer configured). Once the
/// namespace exists, any later failure still returns it as state, so it is never forgotten.
async fn apply_all(client: &Client, planned: &NamespaceModel) -> ApplyOutcome<NamespaceModel> {
    let name = planned.name();
    let ns = match k8s::apply(
        &Api::<Namespace>::all(client.clone()),
        name,
        &render::namespace(planned),
        "namespace",
    )
    .await
    {
        Ok(ns) => ns,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let mut state = planned.clone();
    state.id = Tf::Known(name.to_owned());
    state.uid = Tf::Known(ns.metadata.uid.unwrap_or_default());
    let mut diags = Diagnostics::new();
    let quotas: Api<ResourceQuota> = Api::namespaced(client.clone(), name);
    let limits: Api<LimitRange> = Api::namespaced(client.clone(), name);
    let policies: Api<NetworkPolicy> = Api::namespaced(client.clone(), name);
    let results = [
        match render::quota(planned) {
            Some(q) => k8s::apply(&quotas, QUOTA_NAME, &q, "resource quota").await.map(drop),
            None => k8s::delete(&quotas, QUOTA_NAME, "resource quota").await,
        },
        match render::limit_range(planned) {
            Some(l) => k8s::apply(&limits, LIMITS_NAME, &l, "limit range").await.map(drop),
            None => k8s::delete(&limits, LIMITS_NAME, "limit range").await,
        },
        match render::default_deny(planned) {
            Some(p) => k8s::apply(&policies, DENY_NAME, &p, "default-deny network policy")
                .await
                .map(drop),
            None => k8s::delete(&policies, DENY_NAME, "default-deny network policy").await,
        },
    ];
    for result in results {
        if let Err(d) = result {
            diags.extend(d);
        }
    }
    ApplyOutcome::partial(state, diags)
}

pub(super) async fn read(ctx: &ProviderContext, prior: &NamespaceModel) -> Result<Option<NamespaceModel>, Diagnostics> {
    let client = ctx.kube()?;
    let name = prior.name();
    let Some(ns) = k8s::get(&Api::<Namespace>::all(client.clone()), name, "namespace").await? else {
        return Ok(None);
    };
    let mut state = prior.clone();
    let labels = ns.metadata.labels.clone().unwrap_or_default();
    let annotations = ns.metadata.annotations.clone().unwrap_or_default();
    // A state with no uid never came from apply: it is an import, so adopt what exists.
    let importing = prior.uid.as_deref() == Some("");
    // The readiness gate label is hub's only where it set it (on import, wherever it is set).
    let gate = labels.get(READINESS_GATE_LABEL.0).map(String::as_str) == Some(READINESS_GATE_LABEL.1);
    if importing {
        state.alb_pod_readiness_gate = if gate { Tf::Known(true) } else { Tf::Null };
    } else if prior.alb_pod_readiness_gate.value() == Some(true) {
        state.alb_pod_readiness_gate = Tf::Known(gate);
    }
    if importing {
        state.labels = adopt(&labels, |k| {
            !k.contains("kubernetes.io/") && k != READINESS_GATE_LABEL.0
        });
        state.annotations = adopt(&annotations, |k| {
            !k.contains("kubernetes.io/") && !k.contains("kubectl")
        });
    } else {
        state.labels = Tf::from_option(render::managed_subset(prior.labels.get(), Some(&labels)));
        state.annotations = Tf::from_option(render::managed_subset(
            prior.annotations.get(),
            ns.metadata.annotations.as_ref(),
        ));
    }
    state.id = Tf::Known(name.to_owned());
    state.uid = Tf::Known(ns.metadata.uid.clone().unwrap_or_default());
    if let Some(ps) = state.pod_security.get_mut() {
        let level = |kind: &str| labels.get(&pss_label(kind)).cloned();
        ps.enforce = level("enforce");
        ps.audit = level("audit");
        ps.warn = level("warn");
        ps.version = labels.get(&format!("{}-version", pss_label("enforce"))).cloned();
    }
    if importing || state.resource_quota.is_set() {
        let live = k8s::get(
            &Api::<ResourceQuota>::namespaced(client.clone(), name),
            QUOTA_NAME,
            "resource quota",
        )
        .await?;
        let hard = live.and_then(|q| q.spec?.hard);
        state.resource_quota = observe_quota(state.resource_quota, hard, importing);
    }
    if importing || state.limit_range.is_set() {
        let live = k8s::get(
            &Api::<LimitRange>::namespaced(client.clone(), name),
            LIMITS_NAME,
            "limit range",
        )
        .await?;
        let item = live.and_then(|l| l.spec?.limits.into_iter().find(|i| i.type_ == "Container"));
        state.limit_range = observe_limits(state.limit_range, item, importing);
    }
    let deny = k8s::get(
        &Api::<NetworkPolicy>::namespaced(client, name),
        DENY_NAME,
        "network policy",
    )
    .await?;
    state.default_deny = Tf::Known(deny.is_some());
    Ok(Some(state))
}

/// The labels or annotations found on an imported namespace that belong to its owner (not the system).
fn adopt(map: &BTreeMap<String, String>, keep: impl Fn(&str) -> bool) -> Tf<BTreeMap<String, String>> {
    let kept: BTreeMap<String, String> = map
        .iter()
        .filter(|(k, _)| keep(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if kept.is_empty() { Tf::Null } else { Tf::Known(kept) }
}

/// The quota as it is live: null when the ResourceQuota is gone. Attributes hub manages (all of them on
/// import) take the live amount, keeping their configured spelling when the amount is the same.
fn observe_quota(slot: Tf<Quota>, hard: Option<BTreeMap<String, Quantity>>, importing: bool) -> Tf<Quota> {
    let Some(hard) = hard else { return Tf::Null };
    let mut quota = slot.known().unwrap_or_default();
    for (key, field) in quota.fields_mut() {
        let live = hard.get(key).map(|q| q.0.clone());
        match field {
            QuotaField::Quantity(q) => observe(q, live, importing, Some),
            QuotaField::Count(n) => observe(n, live, importing, |l| l.parse().ok()),
        }
    }
    Tf::Known(quota)
}

/// The LimitRange's Container entry as it is live, like [`observe_quota`].
fn observe_limits(slot: Tf<Limits>, item: Option<LimitRangeItem>, importing: bool) -> Tf<Limits> {
    let Some(item) = item else { return Tf::Null };
    let mut limits = slot.known().unwrap_or_default();
    for ((section, resource), field) in limits.fields_mut() {
        let map = match section {
            "default" => item.default.as_ref(),
            "defaultRequest" => item.default_request.as_ref(),
            _ => item.max.as_ref(),
        };
        let live = map.and_then(|m| m.get(resource)).map(|q| q.0.clone());
        observe(field, live, importing, Some);
    }
    Tf::Known(limits)
}

/// One observed amount: unmanaged attributes stay null (unless importing); an equal amount keeps its
/// configured spelling ("0.5" vs "500m").
fn observe<T: ToString>(
    field: &mut Option<T>,
    live: Option<String>,
    importing: bool,
    parse: impl Fn(String) -> Option<T>,
) {
    if field.is_none() && !importing {
        return;
    }
    match live {
        None => *field = None,
        Some(live) if field.as_ref().is_some_and(|p| quantity::same(&p.to_string(), &live)) => {}
        Some(live) => *field = parse(live),
    }
}

pub(super) async fn delete(ctx: &ProviderContext, prior: &NamespaceModel) -> Diagnostics {
    let result = async {
        let name = prior.name();
        let api: Api<Namespace> = Api::all(ctx.kube()?);
        match api
            .delete(name, &DeleteParams::background())
            .await
            .map_err(k8s::Error::from)
        {
            Ok(_) => {}
            Err(k8s::Error::NotFound(_)) => return Ok(()),
            Err(e) => return Err(e.diagnostics(&format!("Deleting namespace {name:?}"))),
        }
        let timeout = parse_duration(prior.delete_timeout.as_deref().unwrap_or(DEFAULT_DELETE_TIMEOUT))
            .unwrap_or(Duration::from_secs(300));
        wait_gone(ctx, &api, name, timeout).await
    }
    .await;
    result.err().unwrap_or_default()
}

/// Polls until the namespace is gone; on timeout or Ctrl-C, reports what is still holding it.
async fn wait_gone(
    ctx: &ProviderContext,
    api: &Api<Namespace>,
    name: &str,
    timeout: Duration,
) -> Result<(), Diagnostics> {
    let gone = move || async move { Ok(k8s::get(api, name, "namespace").await?.is_none().then_some(())) };
    let why = match poll::until(&ctx.stop, timeout, gone).await {
        Ok(()) => return Ok(()),
        Err(Waited::Failed(d)) => return Err(d),
        Err(other) => other.reason("delete_timeout").unwrap_or_default(),
    };
    let Some(ns) = k8s::get(api, name, "namespace").await? else {
        return Ok(());
    };
    Err(Diagnostics::from_error(
        "Namespace Still Terminating",
        format!(
            "Namespace {name:?} was asked to delete but still exists because {why}. {} It stays in the \
             Terraform state; run destroy again once it can go, or raise delete_timeout.",
            holding(&ns)
        ),
    ))
}

/// What the namespace controller says is left (remaining resources, finalizers).
fn holding(ns: &Namespace) -> String {
    let conditions = ns.status.as_ref().and_then(|s| s.conditions.as_ref());
    let reasons: Vec<String> = conditions
        .into_iter()
        .flatten()
        .filter(|c| c.status == "True" && c.type_.contains("Remaining"))
        .filter_map(|c| c.message.clone())
        .collect();
    let finalizers = ns.spec.as_ref().and_then(|s| s.finalizers.clone()).unwrap_or_default();
    match (reasons.is_empty(), finalizers.is_empty()) {
        (false, _) => format!("Kubernetes reports: {}.", reasons.join("; ")),
        (true, false) => format!("Its finalizers are still pending: {}.", finalizers.join(", ")),
        (true, true) => "Kubernetes reports nothing remaining yet.".into(),
    }
}
