//! `pod_defaults`: whether hub adds its own settings to the pod template (`"hub"`, null) or renders only
//! what the configuration sets (`"none"`). The second is how a Deployment another tool made is adopted
//! without rolling its pods: every field hub adds on its own (a security context, `/tmp`, a probe, the
//! config checksum) changes the template, and a changed template is a new ReplicaSet.
//!
//! With `"none"` no schema default of a pod-template attribute is planned either (`security`, `resources`,
//! `zone_spread`, the init containers' `resources`): what the configuration leaves null stays null, so the
//! plan shows exactly what the pods get.

use serde_json::{Map, Value as Json, json};

use super::model::{AppModel, Resources, Security, known};
use crate::diag::Diagnostics;
use crate::value::Tf;

/// Takes back the schema defaults of pod-template attributes that the configuration leaves null, under
/// `pod_defaults = "none"` (unknown while `pod_defaults` is).
pub(super) fn plan(planned: &mut AppModel, config: &AppModel) {
    if planned.pod_defaults.is_unknown() {
        unknown_where_null(planned, config);
        return;
    }
    if planned.hub_pod_defaults() {
        return;
    }
    keep_set(&mut planned.security, &config.security, security_fields);
    keep_set(&mut planned.resources, &config.resources, resources_fields);
    if config.zone_spread.is_null() {
        planned.zone_spread = Tf::Null;
    }
    let configured = config.init_containers.get().cloned().unwrap_or_default();
    for (planned, config) in planned
        .init_containers
        .get_mut()
        .into_iter()
        .flatten()
        .zip(configured.iter())
    {
        if let (Some(p), Some(c)) = (planned.get_mut(), config.get()) {
            keep_set(&mut p.resources, &c.resources, resources_fields);
        }
    }
}

/// The defaulted attributes the configuration leaves null, unknown: whether they stay is not known yet.
fn unknown_where_null(planned: &mut AppModel, config: &AppModel) {
    if config.security.is_null() {
        planned.security = Tf::Unknown;
    }
    if config.resources.is_null() {
        planned.resources = Tf::Unknown;
    }
    if config.zone_spread.is_null() {
        planned.zone_spread = Tf::Unknown;
    }
}

/// `planned` null where `config` is, field by field (`fields` pairs them up).
fn keep_set<T>(planned: &mut Tf<T>, config: &Tf<T>, fields: fn(&mut T, &T)) {
    match (planned.get_mut(), config) {
        (_, Tf::Null) => *planned = Tf::Null,
        (Some(p), Tf::Known(c)) => fields(p, c),
        _ => {}
    }
}

fn null_if<T>(planned: &mut Tf<T>, config: &Tf<T>) {
    if config.is_null() {
        *planned = Tf::Null;
    }
}

fn security_fields(p: &mut Security, c: &Security) {
    null_if(&mut p.run_as_user, &c.run_as_user);
    null_if(&mut p.run_as_group, &c.run_as_group);
    null_if(&mut p.read_only_root_filesystem, &c.read_only_root_filesystem);
    null_if(&mut p.allow_privilege_escalation, &c.allow_privilege_escalation);
    null_if(
        &mut p.automount_service_account_token,
        &c.automount_service_account_token,
    );
}

fn resources_fields(p: &mut Resources, c: &Resources) {
    null_if(&mut p.cpu_request, &c.cpu_request);
    null_if(&mut p.memory_request, &c.memory_request);
    null_if(&mut p.cpu_limit, &c.cpu_limit);
    null_if(&mut p.memory_limit, &c.memory_limit);
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
            out["capabilities"] = json!({"drop": drop});
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
    set(&mut out, "capabilities", drop.map(|d| json!({"drop": d})));
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

#[cfg(test)]
mod tests;
