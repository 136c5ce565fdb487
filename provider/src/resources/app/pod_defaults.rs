//! `pod_defaults`: whether hub adds its own settings to the pod template (`"hub"`, null) or renders only
//! what the configuration sets (`"none"`). The second is how a Deployment another tool made is adopted
//! without rolling its pods: every field hub adds on its own (a security context, `/tmp`, a probe, the
//! config checksum) changes the template, and a changed template is a new ReplicaSet.
//!
//! With `"none"` no schema default of a pod-template attribute is planned either (`security`, `resources`,
//! `zone_spread`, `optional` of references, an init container's `resources`, ...): what the configuration
//! leaves null stays null, so the plan shows exactly what the pods get.

use serde_json::{Map, Value as Json, json};

use super::model::{AppModel, known};
use super::schema;
use crate::diag::Diagnostics;
use crate::schema::{Attribute, AttributeKind, Nesting};
use crate::value::model::{from_value, to_value};
use crate::value::{Tf, Value};

/// The attributes that render the pod template: their schema defaults are hub's pod defaults too.
const POD_TEMPLATE: &[&str] = &[
    "security",
    "resources",
    "zone_spread",
    "env_from",
    "env_from_secret",
    "env_from_config_map",
    "volumes",
    "volume_mounts",
    "init_containers",
    "tolerations",
];

/// Takes back the schema defaults of pod-template attributes, at any depth, where the configuration leaves
/// them null, under `pod_defaults = "none"` (unknown while `pod_defaults` is).
pub(super) fn plan(planned: &mut AppModel, config: &AppModel) {
    let instead = if planned.pod_defaults.is_unknown() {
        Value::unknown()
    } else if planned.hub_pod_defaults() {
        return;
    } else {
        Value::Null
    };
    let schema = schema::schema();
    let ty = schema.implied_type();
    let (Ok(mut value), Ok(configured)) = (to_value(planned, &ty), to_value(config, &ty)) else {
        return;
    };
    for a in schema
        .block
        .attributes
        .iter()
        .filter(|a| POD_TEMPLATE.contains(&a.name.as_str()))
    {
        if let (Some(p), Some(c)) = (value.attr_mut(&a.name), configured.attr(&a.name)) {
            take_back(a, p, c, &instead);
        }
    }
    if let Ok(taken) = from_value(&value) {
        *planned = taken;
    }
}

/// `planned` (of attribute `a`) with `instead` where `config` is null and the schema filled in a default.
fn take_back(a: &Attribute, planned: &mut Value, config: &Value, instead: &Value) {
    if *config == Value::Null {
        if a.default.is_some() {
            *planned = instead.clone();
        }
        return;
    }
    let AttributeKind::Nested(nesting, children) = &a.kind else {
        return;
    };
    let pairs: Vec<(&mut Value, &Value)> = match (nesting, planned, config) {
        (Nesting::Single, p @ Value::Object(_), c) => vec![(p, c)],
        (Nesting::List, Value::List(p), Value::List(c)) => p.iter_mut().zip(c).collect(),
        (Nesting::Map, Value::Map(p), Value::Map(c)) => {
            p.iter_mut().filter_map(|(k, v)| Some((v, c.get(k)?))).collect()
        }
        _ => return,
    };
    for (p, c) in pairs {
        // A claim is an object of its own, and a Secrets Store volume needs its driver read-only.
        for child in children
            .iter()
            .filter(|c| !matches!(c.name.as_str(), "claim" | "secrets_store"))
        {
            if let (Some(pv), Some(cv)) = (p.attr_mut(&child.name), c.attr(&child.name)) {
                take_back(child, pv, cv, instead);
            }
        }
    }
}

/// The app container's `securityContext`: hub's restricted one with `security`'s values, or (`"none"`)
/// only the fields `security` sets; `None` when that is nothing.
pub(super) fn container_security_context(app: &AppModel) -> Option<Json> {
    let s = app.security.get();
    let drop = s
        .and_then(|s| s.capabilities_drop.get())
        .map(|l| l.iter().filter_map(Tf::get).cloned().collect::<Vec<_>>());
    let seccomp = s.and_then(|s| s.seccomp_profile.get()).cloned();
    let non_root = s.and_then(|s| s.run_as_non_root.value());
    if app.hub_pod_defaults() {
        let mut out = super::render::security_context(&super::render::container_security(app));
        if let Some(non_root) = non_root {
            out["runAsNonRoot"] = json!(non_root);
        }
        if let Some(drop) = drop {
            out["capabilities"] = capabilities(drop);
        }
        if let Some(seccomp) = seccomp {
            out["seccompProfile"] = json!({"type": seccomp});
        }
        return Some(out);
    }
    let mut out = Map::new();
    if let Some(s) = s {
        set(&mut out, "runAsUser", s.run_as_user.value().map(Json::from));
        set(&mut out, "runAsGroup", s.run_as_group.value().map(Json::from));
        set(&mut out, "runAsNonRoot", non_root.map(Json::from));
        set(
            &mut out,
            "readOnlyRootFilesystem",
            s.read_only_root_filesystem.value().map(Json::from),
        );
        set(
            &mut out,
            "allowPrivilegeEscalation",
            s.allow_privilege_escalation.value().map(Json::from),
        );
    }
    set(&mut out, "capabilities", drop.map(capabilities));
    set(&mut out, "seccompProfile", seccomp.map(|t| json!({"type": t})));
    (!out.is_empty()).then_some(Json::Object(out))
}

/// The pod's `securityContext`: `pod_security` as written, else hub's restricted one (`"hub"`) or none.
pub(super) fn pod_security_context(app: &AppModel) -> Option<Json> {
    if let Some(p) = app.pod_security.get() {
        let mut out = Map::new();
        set(&mut out, "runAsUser", p.run_as_user.value().map(Json::from));
        set(&mut out, "runAsGroup", p.run_as_group.value().map(Json::from));
        set(&mut out, "runAsNonRoot", p.run_as_non_root.value().map(Json::from));
        set(&mut out, "fsGroup", p.fs_group.value().map(Json::from));
        set(
            &mut out,
            "seccompProfile",
            p.seccomp_profile.get().map(|t| json!({"type": t})),
        );
        return Some(Json::Object(out));
    }
    app.hub_pod_defaults().then(|| hub_pod_security_context(app))
}

/// hub's restricted pod security context, from `security`'s user and group.
pub(super) fn hub_pod_security_context(app: &AppModel) -> Json {
    let sec = app.security.get();
    let user = sec.and_then(|s| s.run_as_user.value()).unwrap_or(10001);
    let group = sec.and_then(|s| s.run_as_group.value()).unwrap_or(10001);
    json!({"runAsNonRoot": user != 0, "runAsUser": user, "runAsGroup": group, "fsGroup": group, "seccompProfile": {"type": "RuntimeDefault"}})
}

/// `capabilities` dropping `drop`: an empty list is left out, as the API server leaves it out.
fn capabilities(drop: Vec<String>) -> Json {
    if drop.is_empty() {
        json!({})
    } else {
        json!({"drop": drop})
    }
}

fn set(out: &mut Map<String, Json>, key: &str, value: Option<Json>) {
    if let Some(v) = value {
        out.insert(key.to_owned(), v);
    }
}

/// Under `pod_defaults = "none"` no checksum rolls the pods: a plan that changes what they read from
/// outside their template (`config`, the Secret, the service account's annotations) says so.
pub(super) fn warn_unrolled(prior: Option<&AppModel>, planned: &AppModel, diags: &mut Diagnostics) {
    let Some(prior) = prior.filter(|_| !planned.hub_pod_defaults()) else {
        return;
    };
    let changed: Vec<&str> = [
        ("config", known(&prior.config) != known(&planned.config)),
        (
            "secret_env",
            known(&prior.secret_env) != known(&planned.secret_env)
                || prior.secret_env_wo_version != planned.secret_env_wo_version,
        ),
        (
            "service_account",
            prior.service_account_annotations() != planned.service_account_annotations(),
        ),
    ]
    .into_iter()
    .filter_map(|(attr, changed)| changed.then_some(attr))
    .collect();
    if changed.is_empty() {
        return;
    }
    diags.warning(
        "Running Pods Keep Their Configuration",
        format!(
            "hub_app {name}: this plan changes {list}, but with pod_defaults = \"none\" the pod template has no \
             checksum of them, so the running pods keep the environment they started with until they restart. \
             To roll them with such changes, add a checksum to pod_annotations (e.g. {{ \"checksum/config\" = \
             sha256(jsonencode(local.config)) }}), or run `kubectl rollout restart deployment/{name} -n {ns}` \
             after the apply.",
            name = planned.name(),
            ns = planned.namespace(),
            list = changed.join(", "),
        ),
    );
}

/// Without hub's pod defaults the app's own ConfigMap and Secret reach the pods only where the
/// configuration says: a warning when one is made but nothing reads it.
pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    if app.hub_pod_defaults() || app.pod_defaults.is_unknown() || app.env_from.is_unknown() {
        return;
    }
    let listed = |secret: bool, name: &str| {
        app.env_from.get().into_iter().flatten().filter_map(Tf::get).any(|e| {
            let entry = if secret { &e.secret } else { &e.config_map };
            entry.as_deref() == Some(name)
        })
    };
    let config =
        !known(&app.config).is_empty() && app.config_mount_path.is_null() && !listed(false, &app.config_map_name());
    let secret = (!known(&app.secret_env).is_empty() || !app.secret_env_wo_version.is_null())
        && !listed(true, &app.secret_name());
    for (unread, attr, kind, name) in [
        (config, "config", "ConfigMap", app.config_map_name()),
        (secret, "secret_env", "Secret", app.secret_name()),
    ] {
        if unread {
            diags.warning_at(
                &crate::value::AttributePath::attr(attr),
                "Pods Do Not Read It",
                format!(
                    "With pod_defaults = \"none\" hub adds nothing to the pods: the {kind} {name:?} is made, but no \
                     env_from entry reads it. Add {{ {field} = \"{name}\" }} to env_from.",
                    field = if kind == "Secret" { "secret" } else { "config_map" },
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests;
