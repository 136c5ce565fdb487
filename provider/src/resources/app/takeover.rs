//! Adoption with `force_conflicts`: the fields the previous configuration tool set (client-side
//! `kubectl apply`, `kubectl create`/`edit`, the kubernetes provider) become hub's before hub first
//! applies, so hub's configuration replaces theirs whole: a Service selector key or a label the old
//! manifest had and hub's does not is removed, as the plan shows, instead of lingering under the old
//! manager (a stale selector key would leave the Service without endpoints). Fields of controllers and
//! injectors (an autoscaler's replicas, a sidecar) are not a tool's configuration and stay theirs.
//! `kubectl` migrates client-side-applied objects to server-side apply the same way.

use kube::Api;
use kube::api::{DynamicObject, Patch, PatchParams};
use serde_json::{Map, Value as Json, json};

use crate::diag::Diagnostics;
use crate::k8s;
use crate::k8s::labels::FIELD_MANAGER;

/// Field managers that write an app's configuration rather than run it. Helm is not among them: its
/// labels and annotations tie the objects to its release records, and stay until the user lets go of them
/// (`adopt_from_helm`).
fn configuration_tool(manager: &str) -> bool {
    manager.starts_with("kubectl") || matches!(manager, "before-first-apply" | "Terraform" | "HashiCorp")
}

/// How many times a takeover is tried against an object that keeps changing.
const MAX_ATTEMPTS: u32 = 5;

/// Helm's field manager.
pub(super) const HELM: &str = "helm";

/// Whose fields an apply takes over.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Takers {
    /// The configuration tools (`force_conflicts` on an adoption).
    pub tools: bool,
    /// Helm (`adopt_from_helm`).
    pub helm: bool,
}

impl Takers {
    pub(super) fn any(self) -> bool {
        self.tools || self.helm
    }

    pub(super) fn takes(self, manager: &str) -> bool {
        (self.tools && configuration_tool(manager)) || (self.helm && manager == HELM)
    }
}

/// Union of two `fieldsV1` trees.
fn union(a: &mut Json, b: &Json) {
    if let (Some(a), Some(b)) = (a.as_object_mut(), b.as_object()) {
        for (key, value) in b {
            match a.get_mut(key) {
                Some(mine) => union(mine, value),
                None => {
                    a.insert(key.clone(), value.clone());
                }
            }
        }
    }
}

/// `managed` (an object's `metadata.managedFields`) with the entries of `takers` for `api_version` merged
/// into hub's `Apply` entry, and the managers taken over; `None` when there is none. With `keep_replicas`
/// (hub does not apply `spec.replicas`: an HPA owns the count) that field stays with its manager: taken
/// over and left out of hub's apply, it would be removed and the Deployment would fall to one pod.
pub(super) fn taken_over(
    managed: &[Json],
    api_version: &str,
    takers: Takers,
    keep_replicas: bool,
) -> Option<(Vec<Json>, Vec<String>)> {
    // What hub takes of a manager's entry: all of it, but the count when it is kept.
    let taken_of = |e: &Json| {
        let mut taken = e["fieldsV1"].clone();
        let replicas = match taken.pointer_mut("/f:spec").and_then(Json::as_object_mut) {
            Some(spec) if keep_replicas => spec.remove("f:replicas"),
            _ => None,
        };
        if replicas.is_some() && taken["f:spec"].as_object().is_some_and(Map::is_empty) {
            taken.as_object_mut().map(|t| t.remove("f:spec"));
        }
        (taken, replicas)
    };
    let tool = |e: &Json| {
        e["apiVersion"] == api_version
            && e.get("subresource")
                .is_none_or(|s| s.as_str().is_none_or(str::is_empty))
            && e["manager"].as_str().is_some_and(|m| takers.takes(m))
            // An entry left with only the count it keeps (an earlier takeover) has nothing more to give.
            && !matches!(taken_of(e), (rest, Some(_)) if rest.as_object().is_some_and(Map::is_empty))
    };
    let from: Vec<String> = managed
        .iter()
        .filter(|e| tool(e))
        .filter_map(|e| e["manager"].as_str().map(str::to_owned))
        .collect();
    if from.is_empty() {
        return None;
    }
    let hub = |e: &Json| e["manager"] == FIELD_MANAGER && e["operation"] == "Apply" && e["apiVersion"] == api_version;
    let mut fields = managed
        .iter()
        .find(|e| hub(e))
        .map_or(json!({}), |e| e["fieldsV1"].clone());
    let mut out: Vec<Json> = managed.iter().filter(|e| !tool(e) && !hub(e)).cloned().collect();
    for entry in managed.iter().filter(|e| tool(e)) {
        let (taken, replicas) = taken_of(entry);
        if let Some(replicas) = replicas {
            let mut kept = entry.clone();
            kept["fieldsV1"] = json!({"f:spec": {"f:replicas": replicas}});
            out.push(kept);
        }
        union(&mut fields, &taken);
    }
    out.push(json!({
        "manager": FIELD_MANAGER,
        "operation": "Apply",
        "apiVersion": api_version,
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
    }));
    Some((out, from))
}

/// Hands the fields `takers` set on `kind/name` to hub (with the object's resource version as a
/// precondition), before hub applies `manifest`; a warning names the managers. Nothing happens when the
/// object does not exist yet.
pub(super) async fn take_over(
    api: &Api<DynamicObject>,
    (kind, name): (&str, &str),
    manifest: &Json,
    takers: Takers,
) -> Result<Diagnostics, Diagnostics> {
    let mut diags = Diagnostics::new();
    // Controllers write status meanwhile (a disruption budget's, during a rollout): the precondition then
    // fails, and the entries are merged again from the object as it is now.
    let mut attempts = 0;
    let (from, ns) = loop {
        let Some(live) = k8s::get(api, name, kind).await? else {
            return Ok(diags);
        };
        let managed: Vec<Json> = live
            .metadata
            .managed_fields
            .iter()
            .flatten()
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect();
        let api_version = manifest["apiVersion"].as_str().unwrap_or("v1");
        let keep_replicas = kind == "Deployment" && manifest.pointer("/spec/replicas").is_none();
        let Some((entries, from)) = taken_over(&managed, api_version, takers, keep_replicas) else {
            return Ok(diags);
        };
        let patch = json!({"metadata": {"resourceVersion": live.metadata.resource_version, "managedFields": entries}});
        let ns = live.metadata.namespace.unwrap_or_default();
        attempts += 1;
        match api.patch(name, &PatchParams::default(), &Patch::Merge(&patch)).await {
            Ok(_) => break (from, ns),
            Err(kube::Error::Api(status)) if status.code == 409 && attempts < MAX_ATTEMPTS => continue,
            Err(e) => return Err(k8s::report(&format!("Taking over the fields of {kind} {ns}/{name}"), e)),
        }
    };
    let why = match (takers.tools, takers.helm) {
        (true, true) => "force_conflicts, adopt_from_helm",
        (false, true) => "adopt_from_helm",
        _ => "force_conflicts",
    };
    diags.warning(
        "Fields Taken Over",
        format!(
            "{kind} {ns}/{name}: the fields {} set are hub's now ({why}); those hub's configuration does not set \
             were removed.",
            from.join(", ")
        ),
    );
    Ok(diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_tools_fields_join_hubs_entry() {
        let managed = vec![
            json!({"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "v1",
                "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:selector": {"f:app": {}}}}}),
            json!({"manager": "hub", "operation": "Apply", "apiVersion": "v1",
                "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:type": {}}}}),
            json!({"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1",
                "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:replicas": {}}}, "subresource": "scale"}),
        ];
        let tools = Takers {
            tools: true,
            helm: false,
        };
        let (entries, from) = taken_over(&managed, "v1", tools, false).unwrap();
        assert_eq!(from, vec!["kubectl-client-side-apply".to_owned()]);
        assert_eq!(entries.len(), 2, "the controller's entry stays, the tool's joins hub's");
        assert_eq!(entries[0]["manager"], "kube-controller-manager");
        assert_eq!(
            entries[1]["fieldsV1"],
            json!({"f:spec": {"f:selector": {"f:app": {}}, "f:type": {}}})
        );
    }

    #[test]
    fn nothing_to_take_over_from_controllers_or_other_versions() {
        let managed = vec![
            json!({"manager": "sidecar-injector", "operation": "Apply", "apiVersion": "v1", "fieldsV1": {}}),
            json!({"manager": "kubectl", "operation": "Update", "apiVersion": "v2", "fieldsV1": {}}),
            json!({"manager": "helm", "operation": "Update", "apiVersion": "v1", "fieldsV1": {}}),
        ];
        let tools = Takers {
            tools: true,
            helm: false,
        };
        assert!(taken_over(&managed, "v1", tools, false).is_none());
    }

    #[test]
    fn helm_is_taken_only_when_asked_and_an_hpas_count_stays_with_its_manager() {
        let managed = vec![
            json!({"manager": "helm", "operation": "Update", "apiVersion": "apps/v1",
            "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {"f:helm.sh/chart": {}}},
            "f:spec": {"f:replicas": {}, "f:template": {}}}}),
        ];
        let helm = Takers {
            tools: true,
            helm: true,
        };
        assert!(
            taken_over(
                &managed,
                "apps/v1",
                Takers {
                    tools: true,
                    helm: false
                },
                true
            )
            .is_none()
        );
        let (entries, from) = taken_over(&managed, "apps/v1", helm, true).unwrap();
        assert_eq!(from, ["helm"]);
        assert_eq!(entries[0]["manager"], "helm");
        assert_eq!(
            entries[0]["fieldsV1"],
            json!({"f:spec": {"f:replicas": {}}}),
            "the count stays Helm's"
        );
        assert_eq!(
            entries[1]["fieldsV1"],
            json!({"f:metadata": {"f:labels": {"f:helm.sh/chart": {}}}, "f:spec": {"f:template": {}}})
        );
        let (again, _) = taken_over(&managed, "apps/v1", helm, false).unwrap();
        assert_eq!(again.len(), 1, "hub applies the count: it is taken with the rest");
        assert!(
            taken_over(&entries, "apps/v1", helm, true).is_none(),
            "the count Helm keeps is not taken again at the next apply"
        );
    }
}
