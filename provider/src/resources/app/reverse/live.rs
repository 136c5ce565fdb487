//! The live objects an import found, as the reverse render reads them: one object per kind (several
//! PersistentVolumeClaims), Secrets already reduced to their masked keys, and no object's last-applied
//! annotation. Field ownership (`managedFields`) is kept aside only to tell fields someone set from the API
//! server's defaults.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::super::imported::imported;
use super::super::model::{Strings, UserMap};
use crate::k8s::labels::FIELD_MANAGER;
use crate::value::Tf;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// One app's live objects, by kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct Live {
    /// The app's name (from the import ID).
    pub name: String,
    /// The app's namespace (from the import ID).
    pub namespace: String,
    /// `(kind, object)`, in the order found.
    objects: Vec<(String, Json)>,
    /// Per `Kind/name`: the `fieldsV1` of every field manager, when the object records any.
    owners: BTreeMap<String, Vec<Json>>,
    /// `Kind/name` of the objects whose content another tool manages (see [`Live::foreign`]).
    foreign: Vec<String>,
}

/// `Kind/name`, the key of an object in `rendered`.
fn key(kind: &str, object: &Json) -> String {
    let name = object
        .pointer("/metadata/name")
        .and_then(Json::as_str)
        .unwrap_or_default();
    format!("{kind}/{name}")
}

impl Live {
    /// `objects` as the API server returned them (`Kind` → object). Secret values never get past this.
    pub(crate) fn new(name: &str, namespace: &str, objects: impl IntoIterator<Item = (String, Json)>) -> Self {
        let mut live = Live {
            name: name.to_owned(),
            namespace: namespace.to_owned(),
            ..Live::default()
        };
        for (kind, mut object) in objects {
            let owners: Vec<Json> = object
                .pointer("/metadata/managedFields")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter_map(|m| m.get("fieldsV1").cloned())
                .collect();
            let key = key(&kind, &object);
            if foreign_content(&object) {
                live.foreign.push(key.clone());
            }
            if kind == "Secret" {
                object = imported(&kind, object);
            } else if let Some(meta) = object.get_mut("metadata").and_then(Json::as_object_mut) {
                meta.remove("managedFields");
                if let Some(annotations) = meta.get_mut("annotations").and_then(Json::as_object_mut) {
                    annotations.remove(LAST_APPLIED);
                }
            }
            if !owners.is_empty() {
                live.owners.insert(key, owners);
            }
            live.objects.push((kind, object));
        }
        live
    }

    /// The (first) object of `kind`, if the app has one.
    pub(crate) fn object(&self, kind: &str) -> Option<&Json> {
        self.objects.iter().find(|(k, _)| k == kind).map(|(_, o)| o)
    }

    /// The object of `kind` named `name`.
    pub(crate) fn named(&self, kind: &str, name: &str) -> Option<&Json> {
        self.objects
            .iter()
            .find(|(k, o)| k == kind && o.pointer("/metadata/name").and_then(Json::as_str) == Some(name))
            .map(|(_, o)| o)
    }

    /// Every object, with its kind.
    pub(crate) fn objects(&self) -> impl Iterator<Item = (&String, &Json)> {
        self.objects.iter().map(|(k, o)| (k, o))
    }

    /// Whether someone set the field at `path` of the (first) `kind` object (`f:` names; `*` matches any
    /// list entry, `k:{…}` one by its key), rather than the API server filling it in. An object without field ownership (rendered,
    /// not read from a cluster) counts as set everywhere.
    pub(crate) fn set_by_someone(&self, kind: &str, path: &[&str]) -> bool {
        self.object(kind).is_none_or(|o| self.set_in(kind, o, path))
    }

    /// [`Live::set_by_someone`] for one object of `kind`.
    pub(crate) fn set_in(&self, kind: &str, object: &Json, path: &[&str]) -> bool {
        let Some(owners) = self.owners.get(&key(kind, object)) else {
            return true;
        };
        owners.iter().any(|fields| owned(fields, path))
    }

    /// Whether a field manager other than hub owns content of the object `Kind/name` (not only metadata or
    /// status, which controllers write): an object another tool made, whose next apply takes fields over.
    pub(crate) fn foreign(&self, key: &str) -> bool {
        self.foreign.iter().any(|k| k == key)
    }

    /// The Deployment's pod spec.
    pub(crate) fn pod(&self) -> Option<&Json> {
        self.object("Deployment")?.pointer("/spec/template/spec")
    }

    /// The app's container: the one named after the app, else the first.
    pub(crate) fn container(&self) -> Option<&Json> {
        let containers = self.pod()?.get("containers")?.as_array()?;
        containers
            .iter()
            .find(|c| c.get("name").and_then(Json::as_str) == Some(self.name.as_str()))
            .or_else(|| containers.first())
    }
}

/// Field managers of the cluster itself, never another tool.
const CLUSTER_MANAGERS: &[&str] = &["kube-controller-manager", "kube-scheduler"];

fn foreign_content(object: &Json) -> bool {
    object
        .pointer("/metadata/managedFields")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        // hub's own managers: `hub`, and `hub-replicas-seed` (the first replica count under an HPA); and the
        // cluster's controllers, which fill in fields of any object (the volume a claim is bound to).
        .filter(|m| {
            m.get("manager").and_then(Json::as_str).is_none_or(|name| {
                name != FIELD_MANAGER && !name.starts_with("hub-") && !CLUSTER_MANAGERS.contains(&name)
            })
        })
        .filter(|m| m.get("subresource").and_then(Json::as_str).is_none_or(str::is_empty))
        .filter_map(|m| m.get("fieldsV1")?.as_object())
        .any(|fields| fields.keys().any(|k| k != "f:metadata" && k != "f:status"))
}

fn owned(fields: &Json, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return true;
    };
    let Some(map) = fields.as_object() else {
        return false;
    };
    // A list entry by its key, as the API server writes it (`k:{"name":"data"}`).
    if first.starts_with("k:") {
        return map.get(*first).is_some_and(|v| owned(v, rest));
    }
    if *first == "*" {
        return map
            .iter()
            .filter(|(k, _)| k.starts_with("k:") || k.starts_with("i:") || k.starts_with("v:"))
            .any(|(_, v)| owned(v, rest));
    }
    map.get(&format!("f:{first}")).is_some_and(|v| owned(v, rest))
}

/// A string field.
pub(crate) fn string(v: Option<&Json>) -> Tf<String> {
    Tf::from_option(v.and_then(Json::as_str).map(str::to_owned))
}

/// An integer field.
pub(crate) fn int(v: Option<&Json>) -> Tf<i64> {
    Tf::from_option(v.and_then(Json::as_i64))
}

/// A boolean field.
pub(crate) fn boolean(v: Option<&Json>) -> Tf<bool> {
    Tf::from_option(v.and_then(Json::as_bool))
}

/// An int-or-string field, as the string the configuration holds.
pub(crate) fn int_or_string(v: Option<&Json>) -> Tf<String> {
    Tf::from_option(v.and_then(|v| match v {
        Json::Number(n) => Some(n.to_string()),
        Json::String(s) => Some(s.clone()),
        _ => None,
    }))
}

/// A list of strings; null when absent or empty.
pub(crate) fn strings(v: Option<&Json>) -> Tf<Vec<String>> {
    let list: Vec<String> = v
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_owned)
        .collect();
    if list.is_empty() { Tf::Null } else { Tf::Known(list) }
}

/// A user list; null when absent or empty.
pub(crate) fn user_list(v: Option<&Json>) -> Tf<Vec<Tf<String>>> {
    strings(v).map(|l| l.into_iter().map(Tf::Known).collect())
}

/// A string map as a plain map (empty when absent).
pub(crate) fn string_map(v: Option<&Json>) -> Strings {
    v.and_then(Json::as_object)
        .map(|m: &Map<String, Json>| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// A user map; null when empty.
pub(crate) fn user_map(map: Strings) -> Tf<UserMap> {
    if map.is_empty() {
        Tf::Null
    } else {
        Tf::Known(map.into_iter().map(|(k, v)| (k, Tf::Known(v))).collect())
    }
}

/// Annotations someone wrote, without those Kubernetes, kubectl and hub keep for themselves.
pub(crate) fn user_annotations(v: Option<&Json>) -> Strings {
    let mut map = string_map(v);
    map.retain(|k, _| !SYSTEM_PREFIXES.iter().any(|p| k.starts_with(p)));
    map
}

/// Annotation prefixes that are bookkeeping, never settings: hub's own (instance, checksum, revision),
/// kubectl's (last-applied, restartedAt), the Deployment controller's (revision) and Helm's release marks
/// (they stay Helm's unless `adopt_from_helm`; see `helm.rs`).
const SYSTEM_PREFIXES: &[&str] = &[
    "hub.io/",
    "kubectl.kubernetes.io/",
    "deployment.kubernetes.io/",
    "meta.helm.sh/",
];
