//! Init containers and native sidecars (`init_containers`): containers that run before the app's, in the
//! order written, each with the app container's restricted security context unless told otherwise and
//! hub's `/tmp`. A sidecar (`sidecar = true`) is an init container with `restartPolicy: Always`: it starts
//! before the app's container and keeps running beside it. Kubernetes runs those from 1.29 on; older
//! clusters would run them as plain init containers that never finish, so a plan that asks for one is
//! refused on them (`../version_support.rs`).

mod check;
mod schema;

use serde_json::{Value as Json, json};

use super::model::{AppModel, ContainerSecurity, InitContainer, known};
use super::render::{container_security, resources, security_context};
use super::{pod_defaults, volumes};
use crate::value::Tf;

pub(super) use check::check;
pub(super) use schema::attribute;

/// The volume hub mounts at `/tmp` in every container, which init containers may also mount elsewhere.
pub(super) const TMP_VOLUME: &str = "tmp";

/// The known elements of `init_containers`, with their index.
pub(super) fn entries(app: &AppModel) -> impl Iterator<Item = (usize, &InitContainer)> {
    app.init_containers
        .get()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.get()?)))
}

/// The volumes the init containers mount (known names only).
pub(super) fn mounted_volumes(app: &AppModel) -> impl Iterator<Item = &str> {
    entries(app)
        .flat_map(|(_, c)| c.volume_mounts.get().into_iter().flatten())
        .filter_map(|m| m.get()?.volume.as_deref())
}

/// The init container's security settings: its own where set, the app container's elsewhere.
pub(super) fn security(app: &AppModel, c: &InitContainer) -> ContainerSecurity {
    let base = container_security(app);
    let Some(own) = c.security.get() else { return base };
    ContainerSecurity {
        run_as_user: own.run_as_user.value().map_or(base.run_as_user, Tf::Known),
        run_as_group: own.run_as_group.value().map_or(base.run_as_group, Tf::Known),
        read_only_root_filesystem: own
            .read_only_root_filesystem
            .value()
            .map_or(base.read_only_root_filesystem, Tf::Known),
        allow_privilege_escalation: own
            .allow_privilege_escalation
            .value()
            .map_or(base.allow_privilege_escalation, Tf::Known),
    }
}

/// The init container's `securityContext`: the app container's with its own settings over it, or (without
/// hub's pod defaults) its own settings only.
fn security_json(app: &AppModel, c: &InitContainer) -> Option<Json> {
    if app.hub_pod_defaults() {
        let main = pod_defaults::container_security_context(app);
        let mut out = security_context(&security(app, c));
        // `security`'s settings hub's context has no defaults for in `ContainerSecurity`.
        for field in ["capabilities", "seccompProfile"] {
            if let Some(v) = main.as_ref().and_then(|m| m.get(field)) {
                out[field] = v.clone();
            }
        }
        return Some(out);
    }
    // Without hub's defaults an init container's context is its own: one without any stays without.
    let mut out = json!({});
    if let Some(own) = c.security.get() {
        for (field, value) in [
            ("runAsUser", own.run_as_user.value().map(Json::from)),
            ("runAsGroup", own.run_as_group.value().map(Json::from)),
            (
                "readOnlyRootFilesystem",
                own.read_only_root_filesystem.value().map(Json::from),
            ),
            (
                "allowPrivilegeEscalation",
                own.allow_privilege_escalation.value().map(Json::from),
            ),
        ] {
            if let Some(v) = value {
                out[field] = v;
            }
        }
    }
    out.as_object().is_some_and(|o| !o.is_empty()).then_some(out)
}

/// One init container as the pod spec holds it.
fn container(app: &AppModel, c: &InitContainer) -> Json {
    let mut mounts = if app.hub_pod_defaults() {
        vec![json!({"name": TMP_VOLUME, "mountPath": "/tmp"})]
    } else {
        Vec::new()
    };
    mounts.extend(volumes::mounts_json(&c.volume_mounts));
    let mut out = json!({
        "name": c.name.as_deref().unwrap_or_default(),
        "image": c.image.as_deref().unwrap_or_default(),
        "resources": resources(c.resources.get()),
    });
    if let Some(context) = security_json(app, c) {
        out["securityContext"] = context;
    }
    if !mounts.is_empty() {
        out["volumeMounts"] = json!(mounts);
    }
    for (list, field) in [(&c.command, "command"), (&c.args, "args")] {
        if let Some(items) = list.get().filter(|l| !l.is_empty()) {
            out[field] = json!(items);
        }
    }
    let env: Vec<Json> = known(&c.env)
        .into_iter()
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    if !env.is_empty() {
        out["env"] = json!(env);
    }
    if c.sidecar.value() == Some(true) {
        out["restartPolicy"] = json!("Always");
    }
    out
}

/// Adds `initContainers` to the pod spec, in the order written (nothing when there are none).
pub(super) fn render(app: &AppModel, pod_spec: &mut Json) {
    let containers: Vec<Json> = entries(app).map(|(_, c)| container(app, c)).collect();
    if !containers.is_empty() {
        pod_spec["initContainers"] = json!(containers);
    }
}

#[cfg(test)]
mod tests;
