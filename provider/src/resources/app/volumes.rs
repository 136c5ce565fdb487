//! Pod volumes (`volumes`) and their mounts (`volume_mounts`): checks with attribute paths, pure rendering
//! into the pod spec and the PersistentVolumeClaims hub creates (`claim`), and the rules that keep a claim's
//! data: a claim is kept (released, not deleted) when the app is destroyed or the volume removed unless
//! `retain_on_destroy = false`, a plan that would delete one through a rename is refused, and immutable or
//! shrinking changes are refused at plan, never planned as a replacement.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json, json};

use crate::diag::Diagnostics;
use crate::k8s::quantity;
use crate::schema::validators::dns1123_label_problem;
use crate::value::{AttributePath, Tf};

use super::checks::{data_key_problem, subdomain_name};
use super::model::{AppModel, Claim, ObjectVolume, Volume, VolumeMount};

/// The kind of the claims hub creates.
pub(super) const CLAIM_KIND: &str = "PersistentVolumeClaim";

/// Volume names hub uses itself: `/tmp` and the mounted ConfigMap.
const HUB_VOLUMES: &[&str] = &["tmp", "config"];

/// The Secrets Store CSI driver, which mounts read-only only.
const SECRETS_STORE_DRIVER: &str = "secrets-store.csi.k8s.io";

/// The known entries of `volumes`.
fn entries(app: &AppModel) -> impl Iterator<Item = (&String, &Volume)> {
    app.volumes
        .get()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k, v.get()?)))
}

/// The name of the claim hub creates for volume `volume`.
pub(super) fn claim_name(app: &AppModel, volume: &str) -> String {
    format!("{}-{volume}", app.name())
}

/// The claims hub creates, by volume name.
pub(super) fn claims(app: &AppModel) -> impl Iterator<Item = (&String, &Claim)> {
    entries(app).filter_map(|(name, v)| Some((name, v.claim.get()?)))
}

/// `"0440"` as a mode, or `None` when it is not octal within 0..=0777.
fn mode(s: &str) -> Option<i64> {
    let digits = s.strip_prefix("0o").unwrap_or(s);
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    i64::from_str_radix(digits, 8).ok().filter(|m| (0..=0o777).contains(m))
}

/// `hub`: with hub's pod defaults, which write `optional: false` when it is null.
fn object_volume(field: &str, name_field: &str, v: &ObjectVolume, hub: bool) -> Json {
    let mut body = Map::new();
    body.insert(name_field.into(), json!(v.name.as_deref().unwrap_or_default()));
    // Empty lists and false flags that the API server drops (Go's `omitempty`) are left out, or every
    // refresh would find them missing.
    if let Some(items) = v.items.get().filter(|items| !items.is_empty()) {
        let items: Vec<Json> = items
            .iter()
            .filter_map(|(k, p)| Some(json!({"key": k, "path": p.get()?})))
            .collect();
        body.insert("items".into(), json!(items));
    }
    if let Some(m) = v.default_mode.as_deref().and_then(mode) {
        body.insert("defaultMode".into(), json!(m));
    }
    if let Some(optional) = v.optional.value().or(hub.then_some(false)) {
        body.insert("optional".into(), json!(optional));
    }
    json!({field: body})
}

/// The pod's volumes after hub's own, sorted by name.
pub(super) fn pod_volumes(app: &AppModel) -> Vec<Json> {
    entries(app)
        .filter_map(|(name, v)| {
            let mut source = if let Some(s) = v.secret.get() {
                object_volume("secret", "secretName", s, app.hub_pod_defaults())
            } else if let Some(c) = v.config_map.get() {
                object_volume("configMap", "name", c, app.hub_pod_defaults())
            } else if let Some(e) = v.empty_dir.get() {
                let mut body = Map::new();
                if let Some(limit) = e.size_limit.get() {
                    body.insert("sizeLimit".into(), json!(limit));
                }
                if let Some(medium) = e.medium.get() {
                    body.insert("medium".into(), json!(medium));
                }
                json!({"emptyDir": body})
            } else if let Some(c) = v.persistent_volume_claim.get() {
                let mut claim = json!({"claimName": c.claim_name.as_deref().unwrap_or_default()});
                if c.read_only.value() == Some(true) {
                    claim["readOnly"] = json!(true);
                }
                json!({"persistentVolumeClaim": claim})
            } else if let Some(s) = v.secrets_store.get() {
                json!({"csi": {
                    "driver": s.driver.as_deref().unwrap_or(SECRETS_STORE_DRIVER),
                    "readOnly": s.read_only.value().unwrap_or(true),
                    "volumeAttributes": {"secretProviderClass": s.secret_provider_class.as_deref().unwrap_or_default()},
                }})
            } else if v.claim.is_set() {
                json!({"persistentVolumeClaim": {"claimName": claim_name(app, name)}})
            } else {
                return None;
            };
            let mut volume = json!({"name": name});
            if let (Some(out), Some(src)) = (volume.as_object_mut(), source.as_object_mut()) {
                out.append(src);
            }
            Some(volume)
        })
        .collect()
}

/// The container's mounts after hub's own, in the order written.
pub(super) fn container_mounts(app: &AppModel) -> Vec<Json> {
    mounts_json(&app.volume_mounts)
}

/// `volume_mounts` (the app's or an init container's) as the container holds them, in the order written.
pub(super) fn mounts_json(mounts: &Tf<Vec<Tf<VolumeMount>>>) -> Vec<Json> {
    mounts
        .get()
        .into_iter()
        .flatten()
        .filter_map(Tf::get)
        .map(|m| {
            let mut mount = json!({
                "name": m.volume.as_deref().unwrap_or_default(),
                "mountPath": m.mount_path.as_deref().unwrap_or_default(),
            });
            // `readOnly: false` is what the API server drops (omitempty): only true is rendered.
            if m.read_only.value() == Some(true) {
                mount["readOnly"] = json!(true);
            }
            if let Some(sub) = m.sub_path.get() {
                mount["subPath"] = json!(sub);
            }
            mount
        })
        .collect()
}

/// The body of the claim for one `claim` volume (metadata is added by the caller).
pub(super) fn claim_body(c: &Claim) -> Json {
    let mut spec = json!({
        "accessModes": [c.access_mode.as_deref().unwrap_or("ReadWriteOnce")],
        "resources": {"requests": {"storage": c.size.as_deref().unwrap_or_default()}},
    });
    if let Some(class) = c.storage_class.get() {
        spec["storageClassName"] = json!(class);
    }
    json!({"spec": spec})
}

/// The claims of `state` that are kept when they leave it (`retain_on_destroy`, true by default and when
/// unknown), by `Kind/name` key.
pub(super) fn retained(state: &AppModel) -> BTreeSet<String> {
    let keys = |retain: bool| -> BTreeSet<String> {
        claims(state)
            .filter(|(_, c)| c.retain_on_destroy.value().unwrap_or(true) == retain)
            .map(|(name, _)| format!("{CLAIM_KIND}/{}", claim_name(state, name)))
            .collect()
    };
    // Claims in `rendered` whose volume is not known (an imported or partial state) are kept.
    let deleted = keys(false);
    state
        .rendered
        .get()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .filter(|k| k.starts_with(&format!("{CLAIM_KIND}/")) && !deleted.contains(*k))
        .cloned()
        .collect()
}

/// The names of `volumes`, known or not.
pub(super) fn declared(app: &AppModel) -> BTreeSet<&str> {
    app.volumes
        .get()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .collect()
}

pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    let declared = declared(app);
    for (name, v) in app.volumes.get().into_iter().flatten() {
        let here = AttributePath::attr("volumes").then_key(name);
        if let Some(p) = dns1123_label_problem(name, 63) {
            diags.error_at(
                &here,
                "Invalid Volume Name",
                format!("{here} is not a volume name (a DNS-1123 label): it {p}."),
            );
        } else if HUB_VOLUMES.contains(&name.as_str()) && (name != "tmp" || app.surely_hub_pod_defaults()) {
            diags.error_at(
                &here,
                "Volume Name Set By hub",
                format!("{here}: `{name}` is a volume hub mounts itself (`/tmp`, `config_mount_path`); name this volume differently."),
            );
        }
        if let Some(v) = v.get() {
            volume(app, &here, name, v, diags);
        }
    }
    mounts(app, &declared, diags);
}

fn volume(app: &AppModel, here: &AttributePath, name: &str, v: &Volume, diags: &mut Diagnostics) {
    let sources = [
        v.secret.is_set(),
        v.config_map.is_set(),
        v.empty_dir.is_set(),
        v.persistent_volume_claim.is_set(),
        v.secrets_store.is_set(),
        v.claim.is_set(),
    ];
    let unknown = [
        v.secret.is_unknown(),
        v.config_map.is_unknown(),
        v.empty_dir.is_unknown(),
        v.persistent_volume_claim.is_unknown(),
        v.secrets_store.is_unknown(),
        v.claim.is_unknown(),
    ];
    if !unknown.contains(&true) && sources.iter().filter(|s| **s).count() != 1 {
        diags.error_at(
            here,
            "Invalid Volume",
            format!(
                "{here} must set exactly one of secret, config_map, empty_dir, persistent_volume_claim, secrets_store \
                 and claim."
            ),
        );
    }
    for (field, kind, object) in [
        ("secret", "Secret", &v.secret),
        ("config_map", "ConfigMap", &v.config_map),
    ] {
        let Some(o) = object.get() else { continue };
        let at = here.then_attr(field);
        subdomain_name(&at.then_attr("name"), o.name.get(), kind, diags);
        for (key, path) in o.items.get().into_iter().flatten() {
            let item = at.then_attr("items").then_key(key);
            if let Some(p) = data_key_problem(key) {
                diags.error_at(
                    &item,
                    "Invalid Key",
                    format!("{item}: {key:?} is not a {kind} key: it {p}."),
                );
            }
            if let Some(path) = path.get()
                && let Some(p) = relative_path_problem(path)
            {
                diags.error_at(&item, "Invalid Item Path", format!("{item} = {path:?} {p}."));
            }
        }
        if let Some(m) = o.default_mode.get()
            && mode(m).is_none()
        {
            let path = at.then_attr("default_mode");
            diags.error_at(
                &path,
                "Invalid File Mode",
                format!(
                    "{path} = {m:?} is not a file mode: write it in octal from \"0000\" to \"0777\", e.g. \"0440\"."
                ),
            );
        }
    }
    if let Some(c) = v.persistent_volume_claim.get() {
        let path = here.then_attr("persistent_volume_claim").then_attr("claim_name");
        subdomain_name(&path, c.claim_name.get(), "PersistentVolumeClaim", diags);
        if let Some(claim) = c.claim_name.get()
            && claims(app).any(|(n, _)| claim_name(app, n) == *claim)
        {
            diags.error_at(
                &path,
                "Reference To A Claim hub Makes",
                format!("{path} = {claim:?} is the claim hub makes for another volume of this app; mount that volume instead."),
            );
        }
    }
    if let Some(s) = v.secrets_store.get() {
        let at = here.then_attr("secrets_store");
        subdomain_name(
            &at.then_attr("secret_provider_class"),
            s.secret_provider_class.get(),
            "SecretProviderClass",
            diags,
        );
        subdomain_name(&at.then_attr("driver"), s.driver.get(), "CSI driver", diags);
        let driver = s.driver.as_deref().unwrap_or(SECRETS_STORE_DRIVER);
        if driver == SECRETS_STORE_DRIVER && s.read_only.value() == Some(false) {
            let path = at.then_attr("read_only");
            diags.error_at(
                &path,
                "Secrets Store Mounts Read-only",
                format!("{path} = false: the Secrets Store CSI driver refuses to mount anything but read-only, and the pods would never start. Remove read_only."),
            );
        }
    }
    if let Some(c) = v.claim.get() {
        let at = here.then_attr("claim");
        subdomain_name(
            &at.then_attr("storage_class"),
            c.storage_class.get(),
            "StorageClass",
            diags,
        );
        if let Some(size) = c.size.get()
            && quantity::parse(size).is_some_and(|q| q <= quantity::parse("0").unwrap_or_default())
        {
            let path = at.then_attr("size");
            diags.error_at(
                &path,
                "Empty Claim",
                format!("{path} = {size:?}: a claim needs some storage, e.g. \"1Gi\"."),
            );
        }
        let replicas = match &app.autoscaling {
            Tf::Known(hpa) => hpa.max_replicas.value(),
            Tf::Unknown => None,
            Tf::Null => Some(
                app.replicas
                    .value()
                    .unwrap_or(if app.replicas.is_null() { 2 } else { 0 }),
            ),
        };
        if c.access_mode.as_deref() == Some("ReadWriteOncePod")
            && let Some(n) = replicas.filter(|n| *n > 1)
        {
            let path = at.then_attr("access_mode");
            diags.error_at(
                &path,
                "Claim For One Pod, App Of Many",
                format!(
                    "{path} = \"ReadWriteOncePod\" lets one pod use the claim, but the app runs up to {n} pods (all of \
                     them mount volume {name:?}): the others would stay Pending. Use \"ReadWriteOnce\" or \"ReadWriteMany\", or one replica."
                ),
            );
        }
    }
}

/// Why `path` is not a relative path inside a volume, or `None`.
fn relative_path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        Some("is empty")
    } else if path.starts_with('/') {
        Some("must be relative (no leading '/')")
    } else if path.split('/').any(|part| part == "..") {
        Some("must not contain '..'")
    } else {
        None
    }
}

fn mounts(app: &AppModel, declared: &BTreeSet<&str>, diags: &mut Diagnostics) {
    // Paths already taken, with what takes them.
    let mut taken = BTreeMap::new();
    if app.surely_hub_pod_defaults() {
        taken.insert("/tmp".to_owned(), "hub's /tmp volume".to_owned());
    }
    if let Some(p) = app.config_mount_path.get() {
        taken.insert(p.trim_end_matches('/').to_owned(), "config_mount_path".into());
    }
    let known = (!app.volumes.is_unknown()).then_some(declared);
    let mut mounted = check_mounts(
        &app.volume_mounts,
        &AttributePath::attr("volume_mounts"),
        known,
        taken,
        diags,
    );
    if app.volume_mounts.is_unknown() || app.init_containers.is_unknown() {
        return;
    }
    mounted.extend(super::init_containers::mounted_volumes(app));
    for name in declared.iter().filter(|n| !mounted.contains(**n)) {
        let here = AttributePath::attr("volumes").then_key(*name);
        diags.warning_at(
            &here,
            "Volume Not Mounted",
            format!("{here} is not in volume_mounts (nor in an init container's): the pods get the volume but no container sees it."),
        );
    }
}

/// Checks one container's `volume_mounts` (at `at`): each names a volume of `declared` (not judged while
/// `volumes` is unknown), at an absolute path none of `taken` holds, with a relative `sub_path`. Returns the
/// volumes it mounts.
pub(super) fn check_mounts<'a>(
    mounts: &'a Tf<Vec<Tf<VolumeMount>>>,
    at: &AttributePath,
    declared: Option<&BTreeSet<&str>>,
    mut taken: BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> BTreeSet<&'a str> {
    let mut mounted = BTreeSet::new();
    for (i, m) in mounts.get().into_iter().flatten().enumerate() {
        let Some(m) = m.get() else { continue };
        let here = at.then_index(i);
        if let Some(v) = m.volume.get() {
            mounted.insert(v.as_str());
            if declared.is_some_and(|d| !d.contains(v.as_str())) {
                let path = here.then_attr("volume");
                diags.error_at(
                    &path,
                    "Unknown Volume",
                    format!("{path} = {v:?} is not a key of `volumes`; declare the volume there first."),
                );
            }
        }
        if let Some(p) = m.mount_path.get() {
            let path = here.then_attr("mount_path");
            if !p.starts_with('/') {
                diags.error_at(
                    &path,
                    "Invalid Mount Path",
                    format!("{path} = {p:?} must be an absolute path, e.g. \"/var/lib/app\"."),
                );
            } else if let Some(other) = taken.insert(p.trim_end_matches('/').to_owned(), path.to_string()) {
                diags.error_at(
                    &path,
                    "Duplicate Mount Path",
                    format!("{path} = {p:?} is already mounted by {other}; each path can hold one mount."),
                );
            }
        }
        if let Some(sub) = m.sub_path.get()
            && let Some(p) = relative_path_problem(sub)
        {
            let path = here.then_attr("sub_path");
            diags.error_at(&path, "Invalid Sub Path", format!("{path} = {sub:?} {p}."));
        }
    }
    mounted
}

/// What a destroy of the app does to its claims: each kept one (and its data) is said, and so is each one
/// deleted with its data.
pub(super) fn plan_destroy(prior: &AppModel, diags: &mut Diagnostics) {
    let kept = retained(prior);
    let claims: BTreeSet<&String> = prior
        .rendered
        .get()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .filter(|k| k.starts_with(&format!("{CLAIM_KIND}/")))
        .collect();
    for key in claims {
        let name = key.split_once('/').map_or(key.as_str(), |(_, n)| n);
        if kept.contains(key) {
            diags.warning(
                "Claim Kept",
                format!(
                    "Destroying the app keeps PersistentVolumeClaim {}/{name} and its data (retain_on_destroy): hub \
                     stops managing it and removes its hub.io/instance mark. Delete it yourself when the data is no \
                     longer needed, or take it over in a new app with adopt_existing = true.",
                    prior.namespace()
                ),
            );
        } else {
            diags.warning(
                "Claim Deleted With Its Data",
                format!(
                    "Destroying the app deletes PersistentVolumeClaim {}/{name} and its data (retain_on_destroy = false).",
                    prior.namespace()
                ),
            );
        }
    }
}

/// What a plan does to the claims of `prior`, checked where both are known: shrinking or immutable changes
/// are refused, claims that leave the app are kept or deleted as `retain_on_destroy` says (warned), and a
/// rename (of the app, or of a volume) never deletes one.
pub(super) fn check_claim_changes(prior: &AppModel, planned: &AppModel, diags: &mut Diagnostics) {
    // Claims whose volume is not known yet are judged when it is (the plan during apply).
    let unknown = |v: &Tf<Volume>| v.is_unknown() || v.get().is_some_and(|v| v.claim.is_unknown());
    if planned.volumes.is_unknown() || planned.volumes.get().is_some_and(|m| m.values().any(unknown)) {
        return;
    }
    // By `namespace/name`: an app moved to another namespace leaves its claims behind, as a rename does.
    let keyed = |app: &AppModel| -> BTreeMap<String, (String, Claim)> {
        claims(app)
            .map(|(v, c)| {
                (
                    format!("{}/{}", app.namespace(), claim_name(app, v)),
                    (v.clone(), c.clone()),
                )
            })
            .collect()
    };
    let (before, after) = (keyed(prior), keyed(planned));
    let renamed_app = prior.name() != planned.name() || prior.namespace() != planned.namespace();
    let added = after.keys().any(|k| !before.contains_key(k));
    for (claim, (volume, old)) in &before {
        let here = AttributePath::attr("volumes").then_key(volume.as_str());
        match after.get(claim) {
            Some((_, new)) => changed_claim(&here.then_attr("claim"), claim, old, new, diags),
            None if old.retain_on_destroy.value() == Some(false) && (renamed_app || added) => {
                let what = if renamed_app {
                    format!(
                        "renaming or moving the app ({}/{} to {}/{})",
                        prior.namespace(),
                        prior.name(),
                        planned.namespace(),
                        planned.name()
                    )
                } else {
                    "this plan, which removes it while adding another claim (a rename of the volume)".to_owned()
                };
                diags.error_at(
                    &here.then_attr("claim").then_attr("retain_on_destroy"),
                    "Rename Would Delete Data",
                    format!(
                        "PersistentVolumeClaim {claim} has retain_on_destroy = false, so {what} would delete it and its \
                         data, and the new claim would start empty. hub never deletes data through a rename: first \
                         apply retain_on_destroy = true (the old claim is then kept and released), or copy the data \
                         and remove the volume in its own apply."
                    ),
                );
            }
            None if old.retain_on_destroy.value() == Some(false) => diags.warning(
                "Claim Deleted With Its Data",
                format!(
                    "Volume {volume:?} leaves the app and its claim has retain_on_destroy = false: this apply deletes \
                     PersistentVolumeClaim {claim} and its data."
                ),
            ),
            None => diags.warning(
                "Claim Kept",
                format!(
                    "Volume {volume:?} leaves the app: PersistentVolumeClaim {claim} and its data are kept \
                     (retain_on_destroy), and hub stops managing it (its hub.io/instance mark is removed)."
                ),
            ),
        }
    }
}

fn changed_claim(here: &AttributePath, claim: &str, old: &Claim, new: &Claim, diags: &mut Diagnostics) {
    for (field, a, b) in [
        ("storage_class", &old.storage_class, &new.storage_class),
        ("access_mode", &old.access_mode, &new.access_mode),
    ] {
        if !b.is_unknown() && a != b {
            let path = here.then_attr(field);
            diags.error_at(
                &path,
                "Claim Setting Cannot Change",
                format!(
                    "{path} of PersistentVolumeClaim {claim} cannot change once it exists, and replacing the claim would \
                     delete its data. Keep {field} as it was; to move the data, add a volume under a new name (its \
                     claim starts empty), copy the data, then remove the old volume (its claim is kept unless \
                     retain_on_destroy = false)."
                ),
            );
        }
    }
    if let (Some(a), Some(b)) = (old.size.get(), new.size.get())
        && let (Some(qa), Some(qb)) = (quantity::parse(a), quantity::parse(b))
        && qb < qa
    {
        let path = here.then_attr("size");
        diags.error_at(
            &path,
            "Claim Cannot Shrink",
            format!(
                "{path} = {b:?} is below the claim's {a:?}: Kubernetes never shrinks a volume. Keep {a:?} or more."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{app_with, get, planned, render, summaries, validate};
    use super::*;

    fn every_kind() -> serde_json::Value {
        app_with(json!({
            "volumes": {
                "certs": {"secret": {"name": "tls", "items": {"tls.crt": "certs/tls.crt"}, "default_mode": "0440"}},
                "flags": {"config_map": {"name": "flags", "optional": true}},
                "cache": {"empty_dir": {"size_limit": "1Gi", "medium": "Memory"}},
                "shared": {"persistent_volume_claim": {"claim_name": "shared-data", "read_only": true}},
                "vault": {"secrets_store": {"secret_provider_class": "api-secrets"}},
                "data": {"claim": {"size": "10Gi", "storage_class": "gp3"}},
            },
            "volume_mounts": [
                {"volume": "certs", "mount_path": "/etc/tls"},
                {"volume": "flags", "mount_path": "/etc/flags"},
                {"volume": "cache", "mount_path": "/var/cache/app"},
                {"volume": "shared", "mount_path": "/srv/shared", "read_only": true},
                {"volume": "vault", "mount_path": "/mnt/secrets"},
                {"volume": "data", "mount_path": "/var/lib/app", "sub_path": "db"},
                {"volume": "data", "mount_path": "/var/log/app", "sub_path": "logs"},
            ],
        }))
    }

    #[test]
    fn every_source_renders_into_the_pod_and_a_claim_into_its_own_object() {
        let objs = render(every_kind());
        let keys: Vec<&str> = objs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "ServiceAccount/api",
                "Service/api",
                "PersistentVolumeClaim/api-data",
                "Deployment/api"
            ]
        );
        let claim = get(&objs, "PersistentVolumeClaim/api-data");
        assert_eq!(
            claim["spec"],
            json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}, "storageClassName": "gp3"})
        );
        assert_eq!(claim["metadata"]["labels"]["app.kubernetes.io/name"], "api");
        let pod = &get(&objs, "Deployment/api")["spec"]["template"]["spec"];
        assert_eq!(
            pod["volumes"],
            json!([
                {"name": "tmp", "emptyDir": {}},
                {"name": "cache", "emptyDir": {"sizeLimit": "1Gi", "medium": "Memory"}},
                {"name": "certs", "secret": {"secretName": "tls", "items": [{"key": "tls.crt", "path": "certs/tls.crt"}], "defaultMode": 0o440, "optional": false}},
                {"name": "data", "persistentVolumeClaim": {"claimName": "api-data"}},
                {"name": "flags", "configMap": {"name": "flags", "optional": true}},
                {"name": "shared", "persistentVolumeClaim": {"claimName": "shared-data", "readOnly": true}},
                {"name": "vault", "csi": {"driver": "secrets-store.csi.k8s.io", "readOnly": true, "volumeAttributes": {"secretProviderClass": "api-secrets"}}},
            ])
        );
        let mounts = &pod["containers"][0]["volumeMounts"];
        assert_eq!(mounts[0], json!({"name": "tmp", "mountPath": "/tmp"}));
        assert_eq!(
            mounts[6],
            json!({"name": "data", "mountPath": "/var/lib/app", "subPath": "db"})
        );
        assert_eq!(
            mounts[4],
            json!({"name": "shared", "mountPath": "/srv/shared", "readOnly": true})
        );
        assert_eq!(mounts.as_array().unwrap().len(), 8);
    }

    #[test]
    fn a_destroy_plan_says_what_happens_to_each_claim() {
        let mut config = every_kind();
        config["volumes"]["scratch"] = json!({"claim": {"size": "1Gi", "retain_on_destroy": false}});
        let mut state = planned(config);
        state.rendered = Tf::Known(BTreeMap::from([
            ("PersistentVolumeClaim/api-data".to_owned(), String::new()),
            ("PersistentVolumeClaim/api-scratch".to_owned(), String::new()),
            ("Deployment/api".to_owned(), String::new()),
        ]));
        let mut d = Diagnostics::new();
        plan_destroy(&state, &mut d);
        let said: Vec<(&str, bool)> = d
            .iter()
            .map(|d| (d.summary.as_str(), d.detail.contains("prod/api-")))
            .collect();
        assert_eq!(said, [("Claim Kept", true), ("Claim Deleted With Its Data", true)]);
    }

    #[test]
    fn modes_are_octal_strings() {
        assert_eq!(mode("0440"), Some(0o440));
        assert_eq!(mode("777"), Some(0o777));
        assert_eq!(mode("0o600"), Some(0o600));
        assert_eq!(mode("0800"), None);
        assert_eq!(mode("1777"), None);
        assert_eq!(mode("420"), Some(0o420));
        assert_eq!(mode(""), None);
    }

    #[test]
    fn claims_are_kept_unless_told_otherwise() {
        let mut state = planned(every_kind());
        state.rendered = Tf::Known(BTreeMap::from([
            ("PersistentVolumeClaim/api-data".to_owned(), String::new()),
            ("PersistentVolumeClaim/api-old".to_owned(), String::new()),
        ]));
        // The schema's default keeps; a claim whose volume the state no longer knows is kept too.
        assert_eq!(
            retained(&state),
            BTreeSet::from([
                "PersistentVolumeClaim/api-data".to_owned(),
                "PersistentVolumeClaim/api-old".to_owned()
            ])
        );
        let mut config = every_kind();
        config["volumes"]["data"]["claim"]["retain_on_destroy"] = json!(false);
        let mut state = planned(config);
        state.rendered = Tf::Known(BTreeMap::from([(
            "PersistentVolumeClaim/api-data".to_owned(),
            String::new(),
        )]));
        assert!(retained(&state).is_empty());
    }

    fn changes(prior: serde_json::Value, next: serde_json::Value) -> Vec<String> {
        let mut d = Diagnostics::new();
        check_claim_changes(&planned(prior), &planned(next), &mut d);
        summaries(&d)
    }

    #[test]
    fn claim_changes_that_would_lose_data_are_refused() {
        let with = |claim: serde_json::Value| app_with(json!({"volumes": {"data": {"claim": claim}}}));
        let at = "volumes[\"data\"].claim";
        assert!(changes(with(json!({"size": "1Gi"})), with(json!({"size": "2Gi"}))).is_empty());
        assert_eq!(
            changes(with(json!({"size": "2Gi"})), with(json!({"size": "1500Mi"}))),
            [format!("{at}.size: Claim Cannot Shrink")]
        );
        assert_eq!(
            changes(
                with(json!({"size": "1Gi"})),
                with(json!({"size": "1Gi", "storage_class": "gp3"}))
            ),
            [format!("{at}.storage_class: Claim Setting Cannot Change")]
        );
        assert_eq!(
            changes(
                with(json!({"size": "1Gi"})),
                with(json!({"size": "1Gi", "access_mode": "ReadWriteMany"}))
            ),
            [format!("{at}.access_mode: Claim Setting Cannot Change")]
        );
        // Removing a volume keeps its claim, or deletes it when told: both are said in the plan.
        assert_eq!(
            changes(with(json!({"size": "1Gi"})), app_with(json!({}))),
            [": Claim Kept"]
        );
        let deleting = with(json!({"size": "1Gi", "retain_on_destroy": false}));
        assert_eq!(
            changes(deleting.clone(), app_with(json!({}))),
            [": Claim Deleted With Its Data"]
        );
        // A rename of the volume or of the app never deletes it.
        let renamed = app_with(json!({"volumes": {"db": {"claim": {"size": "1Gi", "retain_on_destroy": false}}}}));
        assert_eq!(
            changes(deleting.clone(), renamed),
            [format!("{at}.retain_on_destroy: Rename Would Delete Data")]
        );
        let mut moved = deleting.clone();
        moved["namespace"] = json!("other");
        assert_eq!(
            changes(deleting.clone(), moved),
            [format!("{at}.retain_on_destroy: Rename Would Delete Data")]
        );
        let mut unknown = deleting.clone();
        unknown["volumes"] = json!(null);
        let mut d = Diagnostics::new();
        let mut planned_unknown = planned(unknown);
        planned_unknown.volumes = Tf::Unknown;
        check_claim_changes(&planned(deleting.clone()), &planned_unknown, &mut d);
        assert!(d.is_empty(), "an unknown volumes map is judged later");
        let mut other_app = deleting.clone();
        other_app["name"] = json!("api2");
        assert_eq!(
            changes(deleting, other_app),
            [format!("{at}.retain_on_destroy: Rename Would Delete Data")]
        );
        let mut kept_app = with(json!({"size": "1Gi"}));
        kept_app["name"] = json!("api2");
        assert_eq!(changes(with(json!({"size": "1Gi"})), kept_app), [": Claim Kept"]);
    }

    #[test]
    fn bad_volumes_are_refused_naming_the_attribute() {
        let refused = |extra| validate(app_with(extra));
        let mount = |v: &str| json!([{"volume": v, "mount_path": "/data"}]);
        assert!(refused(json!({"volumes": {"data": {"empty_dir": {}}}, "volume_mounts": mount("data")})).is_empty());
        assert_eq!(
            refused(json!({"volumes": {"tmp": {"empty_dir": {}}}, "volume_mounts": mount("tmp")})),
            ["volumes[\"tmp\"]: Volume Name Set By hub"]
        );
        assert_eq!(
            refused(json!({"volumes": {"Data": {"empty_dir": {}}}, "volume_mounts": mount("Data")})),
            ["volumes[\"Data\"]: Invalid Volume Name"]
        );
        assert_eq!(
            refused(
                json!({"volumes": {"data": {"empty_dir": {}, "secret": {"name": "s"}}}, "volume_mounts": mount("data")})
            ),
            ["volumes[\"data\"]: Invalid Volume"]
        );
        assert_eq!(
            refused(json!({"volumes": {"data": {}}, "volume_mounts": mount("data")})),
            ["volumes[\"data\"]: Invalid Volume"]
        );
        assert_eq!(
            refused(
                json!({"volumes": {"c": {"secret": {"name": "s", "default_mode": "0999"}}}, "volume_mounts": mount("c")})
            ),
            ["volumes[\"c\"].secret.default_mode: Invalid File Mode"]
        );
        assert_eq!(
            refused(
                json!({"volumes": {"c": {"config_map": {"name": "s", "items": {"a": "/etc/a"}}}}, "volume_mounts": mount("c")})
            ),
            ["volumes[\"c\"].config_map.items[\"a\"]: Invalid Item Path"]
        );
        assert_eq!(
            refused(
                json!({"volumes": {"c": {"secrets_store": {"secret_provider_class": "x", "read_only": false}}}, "volume_mounts": mount("c")})
            ),
            ["volumes[\"c\"].secrets_store.read_only: Secrets Store Mounts Read-only"]
        );
        assert_eq!(
            refused(
                json!({"volumes": {"d": {"claim": {"size": "1Gi", "access_mode": "ReadWriteOncePod"}}}, "volume_mounts": mount("d")})
            ),
            ["volumes[\"d\"].claim.access_mode: Claim For One Pod, App Of Many"]
        );
        assert_eq!(
            refused(json!({"volumes": {"d": {"claim": {"size": "0"}}}, "volume_mounts": mount("d")})),
            ["volumes[\"d\"].claim.size: Empty Claim"]
        );
        assert_eq!(
            refused(json!({"volumes": {"d": {"claim": {"size": "lots"}}}, "volume_mounts": mount("d")})),
            ["volumes[\"d\"].claim.size: Invalid Quantity"]
        );
        assert_eq!(
            refused(json!({"volume_mounts": mount("data")})),
            ["volume_mounts[0].volume: Unknown Volume"]
        );
        assert_eq!(
            refused(
                json!({"volumes": {"d": {"empty_dir": {}}}, "volume_mounts": [{"volume": "d", "mount_path": "/tmp"}]})
            ),
            ["volume_mounts[0].mount_path: Duplicate Mount Path"]
        );
        assert_eq!(
            refused(
                json!({"volumes": {"d": {"empty_dir": {}}}, "volume_mounts": [{"volume": "d", "mount_path": "data"}]})
            ),
            ["volume_mounts[0].mount_path: Invalid Mount Path"]
        );
        assert_eq!(
            refused(
                json!({"volumes": {"d": {"empty_dir": {}}}, "volume_mounts": [{"volume": "d", "mount_path": "/d", "sub_path": "../x"}]})
            ),
            ["volume_mounts[0].sub_path: Invalid Sub Path"]
        );
        assert_eq!(
            refused(json!({"volumes": {"d": {"empty_dir": {}}}})),
            ["volumes[\"d\"]: Volume Not Mounted"]
        );
    }
}
