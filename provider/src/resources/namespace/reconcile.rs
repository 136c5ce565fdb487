//! All I/O of `hub_namespace`: server-side apply of the namespace and its companions (quota, limits,
//! default-deny policy) with hub's field manager; read with drift limited to what hub manages; a delete
//! that waits until the namespace is gone or explains what holds it.

use std::time::Duration;

use k8s_openapi::api::core::v1::{LimitRange, Namespace, ResourceQuota};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::DeleteParams;
use kube::{Api, Client};

use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, ProviderContext};
use crate::k8s::poll::{self, Waited};
use crate::k8s::{self, quantity};
use crate::schema::duration::parse_duration;
use crate::value::{Number, Value};

use super::render::{self, DENY_NAME, LIMITS_NAME, QUOTA_NAME, pss_label};
use super::schema::{LIMIT_KEYS, NamespaceModel, QUOTA_KEYS};

pub(super) async fn create(ctx: &ProviderContext, planned: &Value) -> ApplyOutcome {
    let (client, model) = match ctx.kube().and_then(|c| Ok((c, NamespaceModel::from_value(planned)?))) {
        Ok(v) => v,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let namespaces: Api<Namespace> = Api::all(client.clone());
    match k8s::get(&namespaces, &model.name, "namespace").await {
        Ok(None) => {}
        Ok(Some(_)) => {
            return ApplyOutcome::failed(Diagnostics::from_error(
                "Namespace Already Exists",
                format!(
                    "Namespace {:?} already exists and is not in this Terraform state. Import it with \
                     `terraform import <address> {}` to manage it with hub.",
                    model.name, model.name
                ),
            ));
        }
        Err(d) => return ApplyOutcome::failed(d),
    }
    apply_all(&client, planned, &model).await
}

pub(super) async fn update(ctx: &ProviderContext, planned: &Value) -> ApplyOutcome {
    match ctx.kube().and_then(|c| Ok((c, NamespaceModel::from_value(planned)?))) {
        Ok((client, model)) => apply_all(&client, planned, &model).await,
        Err(d) => ApplyOutcome::failed(d),
    }
}

/// Applies the namespace, then each companion (or deletes it when no longer configured). Once the
/// namespace exists, any later failure still returns it as state, so it is never forgotten.
async fn apply_all(client: &Client, planned: &Value, model: &NamespaceModel) -> ApplyOutcome {
    let ns = match k8s::apply(
        &Api::<Namespace>::all(client.clone()),
        &model.name,
        &render::namespace(model),
        "namespace",
    )
    .await
    {
        Ok(ns) => ns,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let mut state = planned.clone();
    set(&mut state, "id", Value::string(&model.name));
    set(&mut state, "uid", Value::string(ns.metadata.uid.unwrap_or_default()));
    let name = &model.name;
    let mut diags = Diagnostics::new();
    let quotas: Api<ResourceQuota> = Api::namespaced(client.clone(), name);
    let limits: Api<LimitRange> = Api::namespaced(client.clone(), name);
    let policies: Api<NetworkPolicy> = Api::namespaced(client.clone(), name);
    let results = [
        match render::quota(model) {
            Some(q) => k8s::apply(&quotas, QUOTA_NAME, &q, "resource quota").await.map(drop),
            None => k8s::delete(&quotas, QUOTA_NAME, "resource quota").await,
        },
        match render::limit_range(model) {
            Some(l) => k8s::apply(&limits, LIMITS_NAME, &l, "limit range").await.map(drop),
            None => k8s::delete(&limits, LIMITS_NAME, "limit range").await,
        },
        match render::default_deny(model) {
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
    ApplyOutcome {
        state: Some(state),
        diags,
    }
}

fn set(state: &mut Value, name: &str, value: Value) {
    if let Some(slot) = state.attr_mut(name) {
        *slot = value;
    }
}

pub(super) async fn read(ctx: &ProviderContext, prior: &Value) -> Result<Option<Value>, Diagnostics> {
    let client = ctx.kube()?;
    let model = NamespaceModel::from_value(prior)?;
    let Some(ns) = k8s::get(&Api::<Namespace>::all(client.clone()), &model.name, "namespace").await? else {
        return Ok(None);
    };
    let mut state = prior.clone();
    let labels = ns.metadata.labels.clone().unwrap_or_default();
    let as_map = |m: Option<std::collections::BTreeMap<String, String>>| match m {
        Some(m) => Value::Map(m.into_iter().map(|(k, v)| (k, Value::String(v))).collect()),
        None => Value::Null,
    };
    set(
        &mut state,
        "labels",
        as_map(render::managed_subset(&model.labels, Some(&labels))),
    );
    set(
        &mut state,
        "annotations",
        as_map(render::managed_subset(
            &model.annotations,
            ns.metadata.annotations.as_ref(),
        )),
    );
    set(&mut state, "id", Value::string(&model.name));
    set(
        &mut state,
        "uid",
        Value::string(ns.metadata.uid.clone().unwrap_or_default()),
    );
    if let Some(ps) = state.attr_mut("pod_security").filter(|v| !v.is_null()) {
        for kind in ["enforce", "audit", "warn"] {
            set(
                ps,
                kind,
                labels.get(&pss_label(kind)).map_or(Value::Null, Value::string),
            );
        }
        set(
            ps,
            "version",
            labels
                .get(&format!("{}-version", pss_label("enforce")))
                .map_or(Value::Null, Value::string),
        );
    }
    let name = &model.name;
    // A state with no uid never came from apply: it is an import, so adopt what exists.
    let importing = prior.attr("uid").and_then(Value::as_str) == Some("");
    if importing {
        set(&mut state, "labels", adopt(&labels, |k| !k.contains("kubernetes.io/")));
        let annotations = ns.metadata.annotations.clone().unwrap_or_default();
        set(
            &mut state,
            "annotations",
            adopt(&annotations, |k| {
                !k.contains("kubernetes.io/") && !k.contains("kubectl")
            }),
        );
        set(&mut state, "resource_quota", empty_object("resource_quota"));
        set(&mut state, "limit_range", empty_object("limit_range"));
        if let Some(slot) = state.attr_mut("resource_quota") {
            for (attr, key) in QUOTA_KEYS {
                let quantity = key.contains("cpu") || key.contains("memory");
                set(
                    slot,
                    attr,
                    if quantity {
                        Value::string("")
                    } else {
                        Value::Number(Number::from(0i64))
                    },
                );
            }
        }
        if let Some(slot) = state.attr_mut("limit_range") {
            for (attr, ..) in LIMIT_KEYS {
                set(slot, attr, Value::string(""));
            }
        }
    }
    if state.attr("resource_quota").is_some_and(|v| !v.is_null()) {
        let live = k8s::get(
            &Api::<ResourceQuota>::namespaced(client.clone(), name),
            QUOTA_NAME,
            "resource quota",
        )
        .await?;
        let hard = live.and_then(|q| q.spec?.hard);
        let observed = hard.map(|hard| {
            QUOTA_KEYS
                .iter()
                .map(|(attr, key)| (*attr, hard.get(*key).map(|q| q.0.clone())))
                .collect::<Vec<_>>()
        });
        observe(&mut state, "resource_quota", observed);
    }
    if state.attr("limit_range").is_some_and(|v| !v.is_null()) {
        let live = k8s::get(
            &Api::<LimitRange>::namespaced(client.clone(), name),
            LIMITS_NAME,
            "limit range",
        )
        .await?;
        let item = live.and_then(|l| l.spec?.limits.into_iter().find(|i| i.type_ == "Container"));
        let observed = item.map(|item| {
            LIMIT_KEYS
                .iter()
                .map(|(attr, section, resource)| {
                    let map = match *section {
                        "default" => item.default.as_ref(),
                        "defaultRequest" => item.default_request.as_ref(),
                        _ => item.max.as_ref(),
                    };
                    (*attr, map.and_then(|m| m.get(*resource)).map(|q| q.0.clone()))
                })
                .collect::<Vec<_>>()
        });
        observe(&mut state, "limit_range", observed);
    }
    if importing {
        for attr in ["resource_quota", "limit_range"] {
            if let Some(slot) = state.attr_mut(attr).filter(|v| !v.is_null()) {
                clear_placeholders(slot);
            }
        }
    }
    let deny = k8s::get(
        &Api::<NetworkPolicy>::namespaced(client, name),
        DENY_NAME,
        "network policy",
    )
    .await?;
    set(&mut state, "default_deny", Value::Bool(deny.is_some()));
    Ok(Some(state))
}

/// The labels or annotations found on an imported namespace that belong to its owner (not the system).
fn adopt(map: &std::collections::BTreeMap<String, String>, keep: impl Fn(&str) -> bool) -> Value {
    let kept: std::collections::BTreeMap<String, Value> = map
        .iter()
        .filter(|(k, _)| keep(k))
        .map(|(k, v)| (k.clone(), Value::string(v)))
        .collect();
    if kept.is_empty() { Value::Null } else { Value::Map(kept) }
}

/// An object of the nested attribute's type with every attribute null.
fn empty_object(attr: &str) -> Value {
    let ty = super::schema::schema().implied_type();
    match ty {
        crate::value::Type::Object(attrs) => match attrs.get(attr) {
            Some(crate::value::Type::Object(inner)) => {
                Value::Object(inner.keys().map(|k| (k.clone(), Value::Null)).collect())
            }
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

/// After an import, attributes the live object did not have are null, not placeholders.
fn clear_placeholders(slot: &mut Value) {
    if let Value::Object(fields) = slot {
        for v in fields.values_mut() {
            if v.as_str() == Some("") {
                *v = Value::Null;
            }
        }
    }
}

/// Records observed quantities in a nested object: the object becomes null when the companion is gone;
/// attributes hub manages keep their configured spelling when the amount is the same ("0.5" vs "500m").
fn observe(state: &mut Value, attr: &str, observed: Option<Vec<(&str, Option<String>)>>) {
    let Some(slot) = state.attr_mut(attr) else { return };
    let Some(observed) = observed else {
        *slot = Value::Null;
        return;
    };
    for (name, live) in observed {
        let Some(field) = slot.attr_mut(name) else { continue };
        let prior = match &*field {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        *field = match live {
            None => Value::Null,
            Some(live) if quantity::same(&prior, &live) => continue,
            Some(live) => match &*field {
                Value::Number(_) => Number::parse(&live).map_or(Value::String(live), Value::Number),
                _ => Value::String(live),
            },
        };
    }
}

pub(super) async fn delete(ctx: &ProviderContext, prior: &Value) -> Diagnostics {
    let result = async {
        let model = NamespaceModel::from_value(prior)?;
        let api: Api<Namespace> = Api::all(ctx.kube()?);
        match api
            .delete(&model.name, &DeleteParams::background())
            .await
            .map_err(k8s::Error::from)
        {
            Ok(_) => {}
            Err(k8s::Error::NotFound(_)) => return Ok(()),
            Err(e) => return Err(e.diagnostics(&format!("Deleting namespace {:?}", model.name))),
        }
        let timeout = parse_duration(&model.delete_timeout).unwrap_or(Duration::from_secs(300));
        wait_gone(ctx, &api, &model.name, timeout).await
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
