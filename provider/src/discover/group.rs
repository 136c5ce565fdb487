//! Grouping a namespace's objects into apps, as pure functions of the [`Inventory`]: a Deployment is an
//! app; a Service joins it by selecting its pods, an Ingress by routing to one of its Services, an HPA by
//! scaling it, a PDB by selecting its pods, ConfigMaps, Secrets and the ServiceAccount by the pod template's
//! references; what is left joins by the `app.kubernetes.io/name` + `instance` labels (Helm's charts set
//! both) when exactly one app carries the same pair. Each object joins one app at most: the first that
//! claims it, strongest evidence first.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value as Json;

use super::inventory::{Inventory, json};
use super::refs::{ingress_services, pod_refs};

const NAME: &str = "app.kubernetes.io/name";
const INSTANCE: &str = "app.kubernetes.io/instance";
const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
const HELM_RELEASE: &str = "meta.helm.sh/release-name";

/// An object grouped into an app, with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Its kind (`Service`).
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// Why it belongs to the app (`selects the pods`).
    pub why: String,
    /// The object, as `hub_app`'s discovery functions read it (a Secret's metadata only).
    pub object: Json,
}

/// One app: a Deployment and the objects grouped with it.
#[derive(Debug, Clone, PartialEq)]
pub struct App {
    /// The Deployment's name, which is the app's `name`.
    pub name: String,
    /// The Deployment, as JSON.
    pub deployment: Json,
    /// The Helm release that made it, from its labels and annotations.
    pub helm_release: Option<String>,
    /// The objects grouped with it.
    pub members: Vec<Member>,
}

/// An object no hub resource takes, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// Its kind.
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// Why hub does not map it.
    pub why: String,
}

/// The namespace, grouped.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups {
    /// The apps, in the order the Deployments were listed.
    pub apps: Vec<App>,
    /// NetworkPolicy names, each a `hub_network_policy`.
    pub network_policies: Vec<String>,
    /// Workloads hub does not map (StatefulSets, DaemonSets, Jobs, CronJobs of no app).
    pub unmapped: Vec<Unmapped>,
    /// Objects of kinds `hub_app` renders that joined no app.
    pub ungrouped: Vec<Unmapped>,
}

/// One candidate object of a kind an app can take in.
struct Candidate {
    kind: &'static str,
    meta: ObjectMeta,
    object: Json,
    /// Whether it joined an app.
    taken: bool,
}

fn name(meta: &ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

fn labels(meta: &ObjectMeta) -> BTreeMap<String, String> {
    meta.labels.clone().unwrap_or_default()
}

/// Whether the non-empty `selector` selects pods labelled `labels`.
fn selects(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// The Helm release of an object: Helm's annotation, on an object labelled as Helm's.
pub fn helm_release(meta: &ObjectMeta) -> Option<String> {
    let helm = labels(meta).get(MANAGED_BY).is_some_and(|m| m == "Helm");
    let annotations = meta.annotations.clone().unwrap_or_default();
    annotations.get(HELM_RELEASE).filter(|_| helm).cloned()
}

fn candidates(inv: &Inventory) -> Vec<Candidate> {
    fn each<'a, K: k8s_openapi::Resource + k8s_openapi::Metadata<Ty = ObjectMeta> + serde::Serialize>(
        kind: &'static str,
        list: &'a [K],
    ) -> impl Iterator<Item = Candidate> + 'a {
        list.iter().map(move |o| Candidate {
            kind,
            meta: o.metadata().clone(),
            object: json(o),
            taken: false,
        })
    }
    let secrets = inv.secrets.iter().map(|meta| Candidate {
        kind: "Secret",
        meta: meta.clone(),
        object: serde_json::json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta}),
        taken: false,
    });
    each("Service", &inv.services)
        .chain(each("Ingress", &inv.ingresses))
        .chain(each("HorizontalPodAutoscaler", &inv.hpas))
        .chain(each("PodDisruptionBudget", &inv.pdbs))
        .chain(each("ConfigMap", &inv.config_maps))
        .chain(secrets)
        .chain(each("ServiceAccount", &inv.service_accounts))
        .chain(each("CronJob", &inv.cron_jobs))
        .collect()
}

/// Why `c` belongs to the Deployment `d` (named `app`, its Services `services`), or `None`.
fn evidence(app: &str, d: &Deployment, services: &BTreeSet<String>, c: &Candidate) -> Option<String> {
    let spec = d.spec.as_ref()?;
    let pod_labels = spec.template.metadata.as_ref().map(labels).unwrap_or_default();
    let refs = spec.template.spec.as_ref().map(pod_refs).unwrap_or_default();
    let n = name(&c.meta);
    let o = &c.object;
    let map = |v: Option<&Json>| -> BTreeMap<String, String> {
        v.and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    };
    match c.kind {
        "Service" => selects(&map(o.pointer("/spec/selector")), &pod_labels).then(|| "selects its pods".into()),
        "Ingress" => {
            let ingress = serde_json::from_value(o.clone()).ok()?;
            let to = ingress_services(&ingress).into_iter().find(|s| services.contains(s))?;
            Some(format!("routes to Service {to}"))
        }
        "HorizontalPodAutoscaler" => {
            let target = o.pointer("/spec/scaleTargetRef")?;
            (target.get("kind")? == "Deployment" && target.get("name")? == app).then(|| "scales it".into())
        }
        "PodDisruptionBudget" => {
            selects(&map(o.pointer("/spec/selector/matchLabels")), &pod_labels).then(|| "selects its pods".into())
        }
        "ConfigMap" => refs
            .config_maps
            .contains(&n)
            .then(|| "referenced by the pod template".into()),
        "Secret" => refs
            .secrets
            .contains(&n)
            .then(|| "referenced by the pod template".into()),
        "ServiceAccount" => (refs.service_account.as_deref() == Some(&n)).then(|| "the pods run as it".into()),
        "CronJob" => (labels(&c.meta).get(INSTANCE).map(String::as_str) == Some(app))
            .then(|| format!("labelled {INSTANCE}={app}")),
        _ => None,
    }
}

/// The `(name, instance)` label pair of an object, when it has both.
fn pair(meta: &ObjectMeta) -> Option<(String, String)> {
    let l = labels(meta);
    Some((l.get(NAME)?.clone(), l.get(INSTANCE)?.clone()))
}

/// Objects hub never offers to import: the cluster's own and Helm's bookkeeping.
fn bookkeeping(c: &Candidate) -> bool {
    let n = name(&c.meta);
    let annotations = c.meta.annotations.clone().unwrap_or_default();
    match c.kind {
        "ConfigMap" => n == "kube-root-ca.crt",
        "ServiceAccount" => n == "default",
        "Secret" => annotations.contains_key("kubernetes.io/service-account.name") || n.starts_with("sh.helm.release."),
        _ => false,
    }
}

/// Groups the namespace's objects into apps.
pub fn group(inv: &Inventory) -> Groups {
    let mut pool = candidates(inv);
    pool.retain(|c| !bookkeeping(c));
    let mut apps: Vec<App> = Vec::new();
    // Strongest evidence first: every app claims by selectors and references before any claims by labels.
    for d in &inv.deployments {
        let app = name(&d.metadata);
        let mut members = Vec::new();
        let mut services = BTreeSet::new();
        // Services first: an Ingress joins through them.
        for pass in [
            &["Service"][..],
            &[
                "Ingress",
                "HorizontalPodAutoscaler",
                "PodDisruptionBudget",
                "ConfigMap",
                "Secret",
                "ServiceAccount",
                "CronJob",
            ],
        ] {
            for c in pool.iter_mut().filter(|c| !c.taken && pass.contains(&c.kind)) {
                if let Some(why) = evidence(&app, d, &services, c) {
                    c.taken = true;
                    if c.kind == "Service" {
                        services.insert(name(&c.meta));
                    }
                    members.push(Member {
                        kind: c.kind,
                        name: name(&c.meta),
                        why,
                        object: c.object.clone(),
                    });
                }
            }
        }
        apps.push(App {
            name: app,
            deployment: json(d),
            helm_release: helm_release(&d.metadata),
            members,
        });
    }
    for (i, d) in inv.deployments.iter().enumerate() {
        let Some(own) = pair(&d.metadata) else { continue };
        let same = inv
            .deployments
            .iter()
            .filter(|o| pair(&o.metadata).as_ref() == Some(&own))
            .count();
        if same != 1 {
            continue;
        }
        for c in pool
            .iter_mut()
            .filter(|c| !c.taken && pair(&c.meta).as_ref() == Some(&own))
        {
            c.taken = true;
            apps[i].members.push(Member {
                kind: c.kind,
                name: name(&c.meta),
                why: format!("labelled {NAME}={}, {INSTANCE}={}", own.0, own.1),
                object: c.object.clone(),
            });
        }
    }
    Groups {
        apps,
        network_policies: inv.network_policies.iter().map(|p| name(&p.metadata)).collect(),
        unmapped: unmapped(inv, &pool),
        ungrouped: pool
            .iter()
            .filter(|c| !c.taken && c.kind != "CronJob")
            .map(|c| Unmapped {
                kind: c.kind,
                name: name(&c.meta),
                why: "belongs to no Deployment found here".into(),
            })
            .collect(),
    }
}

fn unmapped(inv: &Inventory, pool: &[Candidate]) -> Vec<Unmapped> {
    let workload = |kind: &'static str, why: &str| {
        let why = why.to_owned();
        move |meta: &ObjectMeta| Unmapped {
            kind,
            name: name(meta),
            why: why.clone(),
        }
    };
    let deployments_only = "hub_app renders a Deployment; keep this one under the tool that manages it";
    let mut out: Vec<Unmapped> = inv
        .stateful_sets
        .iter()
        .map(|s| &s.metadata)
        .map(workload(
            "StatefulSet",
            &format!("{deployments_only} (hub_app has claims, not per-replica volumes or stable pod names)"),
        ))
        .collect();
    out.extend(
        inv.daemon_sets
            .iter()
            .map(|s| &s.metadata)
            .map(workload("DaemonSet", deployments_only)),
    );
    out.extend(
        pool.iter()
            .filter(|c| c.kind == "CronJob" && !c.taken)
            .map(|c| &c.meta)
            .map(workload("CronJob", "hub renders CronJobs only as an app's `cron_jobs` (labelled app.kubernetes.io/instance=<app>); this one belongs to no app here")),
    );
    let from_cron = |meta: &ObjectMeta| meta.owner_references.iter().flatten().any(|r| r.kind == "CronJob");
    out.extend(
        inv.jobs
            .iter()
            .map(|j| &j.metadata)
            .filter(|m| !from_cron(m))
            .map(workload(
                "Job",
                "a one-off Job; hub runs Jobs only as an app's `migration`",
            )),
    );
    out
}
