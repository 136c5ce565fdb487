//! `volumes` and `volume_mounts`: the pod's volumes and the container's mounts after hub's own (`tmp`, and
//! `config` for `config_mount_path`). A claim named `<app>-<volume>` that the app's objects include is one
//! hub created (`claim`); any other claim is an existing one (`persistent_volume_claim`).

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::super::model::{AppModel, Claim, EmptyDir, ExistingClaim, ObjectVolume, SecretsStore, Volume, VolumeMount};
use super::live::{self, Live};
use crate::value::Tf;

/// Volume names hub uses itself.
const HUB_VOLUMES: &[&str] = &["tmp", "config"];

/// A volume hub mounts itself: `tmp` is a user's volume without hub's pod defaults.
fn hubs(app: &AppModel, name: &str) -> bool {
    HUB_VOLUMES.contains(&name) && (name != "tmp" || app.hub_pod_defaults())
}

const CLAIM_KIND: &str = "PersistentVolumeClaim";

/// A Secret or ConfigMap volume; `field` is its field in the pod's volume (`secret`, `configMap`).
fn object_volume(live: &Live, volume: &str, v: &Json, field: &str, name_field: &str) -> Tf<ObjectVolume> {
    // The API server fills in the mode (0644) when none is set: only one someone set is a setting.
    let entry = format!("k:{}", serde_json::json!({"name": volume}));
    let path = [
        "spec",
        "template",
        "spec",
        "volumes",
        entry.as_str(),
        field,
        "defaultMode",
    ];
    let mode = if live.set_by_someone("Deployment", &path) {
        v.get("defaultMode").and_then(Json::as_i64)
    } else {
        None
    };
    let items: BTreeMap<String, Tf<String>> = v
        .get("items")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|i| Some((i.get("key")?.as_str()?.to_owned(), live::string(i.get("path")))))
        .collect();
    Tf::Known(ObjectVolume {
        name: live::string(v.get(name_field)),
        items: if items.is_empty() { Tf::Null } else { Tf::Known(items) },
        // The configuration writes modes as octal strings; the API holds the number.
        default_mode: Tf::from_option(mode.map(|m| format!("{m:04o}"))),
        optional: live::boolean(v.get("optional")),
    })
}

fn claim(live: &Live, object: &Json) -> Claim {
    let spec = object.get("spec");
    let field = |path: &str| spec.and_then(|s| s.pointer(path));
    Claim {
        // A class the cluster's default StorageClass filled in is not a setting.
        storage_class: if live.set_in(CLAIM_KIND, object, &["spec", "storageClassName"]) {
            live::string(field("/storageClassName"))
        } else {
            Tf::Null
        },
        size: live::string(field("/resources/requests/storage")),
        access_mode: live::string(field("/accessModes/0")),
        retain_on_destroy: Tf::Null,
    }
}

fn volume(live: &Live, name: &str, v: &Json) -> Option<Volume> {
    let mut out = Volume::default();
    if let Some(s) = v.get("secret") {
        out.secret = object_volume(live, name, s, "secret", "secretName");
    } else if let Some(c) = v.get("configMap") {
        out.config_map = object_volume(live, name, c, "configMap", "name");
    } else if let Some(e) = v.get("emptyDir") {
        out.empty_dir = Tf::Known(EmptyDir {
            size_limit: live::string(e.get("sizeLimit")),
            medium: Tf::from_option(live::string(e.get("medium")).known().filter(|m| !m.is_empty())),
        });
    } else if let Some(c) = v.get("persistentVolumeClaim") {
        let claim_name = c.get("claimName").and_then(Json::as_str).unwrap_or_default();
        match live.named(CLAIM_KIND, claim_name) {
            Some(object) if claim_name == format!("{}-{name}", live.name) => out.claim = Tf::Known(claim(live, object)),
            _ => {
                out.persistent_volume_claim = Tf::Known(ExistingClaim {
                    claim_name: Tf::Known(claim_name.to_owned()),
                    read_only: live::boolean(c.get("readOnly")),
                });
            }
        }
    } else if let Some(csi) = v.get("csi") {
        out.secrets_store = Tf::Known(SecretsStore {
            secret_provider_class: live::string(csi.pointer("/volumeAttributes/secretProviderClass")),
            driver: live::string(csi.get("driver")),
            read_only: live::boolean(csi.get("readOnly")),
        });
    } else {
        return None;
    }
    Some(out)
}

/// `volumes`, `volume_mounts`.
pub(super) fn volumes(live: &Live, app: &mut AppModel) {
    let (Some(pod), Some(c)) = (live.pod(), live.container()) else {
        return;
    };
    let volumes: BTreeMap<String, Tf<Volume>> = pod
        .get("volumes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let name = v.get("name")?.as_str()?;
            if hubs(app, name) {
                return None;
            }
            Some((name.to_owned(), Tf::Known(volume(live, name, v)?)))
        })
        .collect();
    app.volumes = if volumes.is_empty() {
        Tf::Null
    } else {
        Tf::Known(volumes)
    };
    let mounts: Vec<Tf<VolumeMount>> = c
        .get("volumeMounts")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter(|m| m.get("name").and_then(Json::as_str).is_some_and(|n| !hubs(app, n)))
        .map(|m| {
            Tf::Known(VolumeMount {
                volume: live::string(m.get("name")),
                mount_path: live::string(m.get("mountPath")),
                read_only: live::boolean(m.get("readOnly")),
                sub_path: live::string(m.get("subPath")),
            })
        })
        .collect();
    app.volume_mounts = if mounts.is_empty() { Tf::Null } else { Tf::Known(mounts) };
}

/// The pod's volumes the reverse render cannot read (a source `hub_app` has no attribute for), each with
/// its source (`hostPath`): what an import would silently drop, for `discover` to report.
pub(crate) fn unreadable_volumes(live: &Live) -> Vec<(String, String)> {
    live.pod()
        .and_then(|p| p.get("volumes"))
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let name = v.get("name")?.as_str()?;
            if HUB_VOLUMES.contains(&name) || volume(live, name, v).is_some() {
                return None;
            }
            let source = v
                .as_object()?
                .keys()
                .find(|k| *k != "name")
                .cloned()
                .unwrap_or_default();
            Some((name.to_owned(), source))
        })
        .collect()
}

/// The claims hub created for the app, as the Deployment names them (`<app>-<volume>`), for the import to
/// fetch.
pub(crate) fn claim_names(deployment: &Json, app: &str) -> Vec<String> {
    deployment
        .pointer("/spec/template/spec/volumes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let volume = v.get("name")?.as_str()?;
            let claim = v.pointer("/persistentVolumeClaim/claimName")?.as_str()?;
            (claim == format!("{app}-{volume}")).then(|| claim.to_owned())
        })
        .collect()
}
