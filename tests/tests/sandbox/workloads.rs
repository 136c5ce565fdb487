//! The plane runs workloads like EKS: it starts in under 30 s, a zone-spread Deployment becomes Available
//! on kwok nodes in three zones, and pods can be made to fail the way real pods fail.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use hub_acceptance::sandbox::kwok::{FAULT_CRASH_LOOP, FAULT_IMAGE_PULL_BACKOFF, FAULT_LABEL, FAULT_NOT_READY};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{Container, Node, Pod, PodSpec, PodTemplateSpec, TopologySpreadConstraint};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use kube::api::{Api, ListParams, PostParams};

use crate::support::{eventually, sandbox};

const ZONE: &str = "topology.kubernetes.io/zone";

fn labels(app: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("app".to_owned(), app.to_owned())])
}

fn deployment(name: &str, replicas: i32) -> Deployment {
    Deployment {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            ..Default::default()
        },
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector {
                match_labels: Some(labels(name)),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels(name)),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: "app".to_owned(),
                        image: Some("public.ecr.aws/nginx/nginx:1.27".to_owned()),
                        ..Default::default()
                    }],
                    topology_spread_constraints: Some(vec![TopologySpreadConstraint {
                        max_skew: 1,
                        topology_key: ZONE.to_owned(),
                        when_unsatisfiable: "DoNotSchedule".to_owned(),
                        label_selector: Some(LabelSelector {
                            match_labels: Some(labels(name)),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plane_is_ready_quickly_and_spreads_a_deployment_over_three_zones() {
    let Some(sb) = sandbox() else { return };
    let st = sb.state();
    if std::env::var_os("HUB_SANDBOX_DIR").is_none() {
        let secs = st.ready_after_secs.unwrap_or(f64::MAX);
        eprintln!("plane ready after {secs:.1} s");
        assert!(
            secs < 30.0,
            "plane took {secs:.1} s to become ready (limit 30 s with cached tools)"
        );
    }
    let client = sb.kube_client().await.expect("admin client");
    let scope = sb.scope("zone-spread");
    let ns = scope.namespace(&client, "apps").await.expect("namespace");
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), &ns);
    deployments
        .create(&PostParams::default(), &deployment("web", 3))
        .await
        .expect("create deployment");

    eventually(
        "deployment web Available with 3 ready replicas",
        Duration::from_secs(60),
        || async {
            let d = deployments.get("web").await.map_err(|e| e.to_string())?;
            let s = d.status.unwrap_or_default();
            let available = s
                .conditions
                .unwrap_or_default()
                .iter()
                .any(|c| c.type_ == "Available" && c.status == "True");
            if available && s.ready_replicas == Some(3) && s.available_replicas == Some(3) {
                Ok(())
            } else {
                Err(format!(
                    "ready {:?} available {:?} condition {available}",
                    s.ready_replicas, s.available_replicas
                ))
            }
        },
    )
    .await;

    let nodes: Api<Node> = Api::all(client.clone());
    let zone_of: BTreeMap<String, String> = nodes
        .list(&ListParams::default().labels("type=kwok"))
        .await
        .expect("nodes")
        .into_iter()
        .filter_map(|n| {
            let zone = n.metadata.labels.as_ref()?.get(ZONE)?.clone();
            Some((n.metadata.name?, zone))
        })
        .collect();
    assert_eq!(zone_of.len(), 3, "three kwok nodes: {zone_of:?}");
    let pods: Api<Pod> = Api::namespaced(client, &ns);
    let pods = pods.list(&ListParams::default().labels("app=web")).await.expect("pods");
    let mut zones = BTreeSet::new();
    for p in &pods {
        let node = p.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default();
        let ready = p
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        assert!(ready, "pod {:?} not Ready", p.metadata.name);
        zones.insert(
            zone_of
                .get(&node)
                .cloned()
                .unwrap_or_else(|| panic!("pod on unknown node {node:?}")),
        );
    }
    assert_eq!(pods.items.len(), 3);
    assert_eq!(zones.len(), 3, "pods spread over zones {zones:?}");
}

fn pod(name: &str, image: &str, fault_label: Option<&str>) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            labels: fault_label.map(|f| BTreeMap::from([(FAULT_LABEL.to_owned(), f.to_owned())])),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "app".to_owned(),
                image: Some(image.to_owned()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// (phase, waiting reason, ready, restart count) of a pod's first container.
async fn observe(pods: &Api<Pod>, name: &str) -> Result<(String, String, bool, i32), String> {
    let p = pods.get(name).await.map_err(|e| e.to_string())?;
    let s = p.status.unwrap_or_default();
    let cs = s.container_statuses.unwrap_or_default();
    let first = cs.first().ok_or("no container status yet")?;
    let waiting = first
        .state
        .as_ref()
        .and_then(|st| st.waiting.as_ref())
        .and_then(|w| w.reason.clone())
        .unwrap_or_default();
    Ok((s.phase.unwrap_or_default(), waiting, first.ready, first.restart_count))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_stages_make_pods_fail_like_real_pods() {
    let Some(sb) = sandbox() else { return };
    let client = sb.kube_client().await.expect("admin client");
    let ns = sb
        .scope("fault-stages")
        .namespace(&client, "pods")
        .await
        .expect("namespace");
    let pods: Api<Pod> = Api::namespaced(client, &ns);
    let pp = PostParams::default();
    let nginx = "public.ecr.aws/nginx/nginx:1.27";
    for p in [
        pod("pull", nginx, Some(FAULT_IMAGE_PULL_BACKOFF)),
        pod("pull-by-image", "fault.invalid/image-pull-backoff:v1", None),
        pod("crash", nginx, Some(FAULT_CRASH_LOOP)),
        pod("crash-by-image", "fault.invalid/crash-loop", None),
        pod("unready", nginx, Some(FAULT_NOT_READY)),
        pod("healthy", nginx, None),
    ] {
        pods.create(&pp, &p).await.expect("create pod");
    }
    for name in ["pull", "pull-by-image"] {
        eventually(
            &format!("{name} in ImagePullBackOff"),
            Duration::from_secs(30),
            || async {
                match observe(&pods, name).await? {
                    (phase, reason, false, 0) if phase == "Pending" && reason == "ImagePullBackOff" => Ok(()),
                    other => Err(format!("{other:?}")),
                }
            },
        )
        .await;
    }
    for name in ["crash", "crash-by-image"] {
        eventually(
            &format!("{name} in CrashLoopBackOff, restarting"),
            Duration::from_secs(30),
            || async {
                match observe(&pods, name).await? {
                    (phase, reason, false, n) if phase == "Running" && reason == "CrashLoopBackOff" && n >= 2 => Ok(()),
                    other => Err(format!("{other:?}")),
                }
            },
        )
        .await;
    }
    eventually("unready running but not Ready", Duration::from_secs(30), || async {
        match observe(&pods, "unready").await? {
            (phase, reason, false, 0) if phase == "Running" && reason.is_empty() => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    eventually("healthy Ready", Duration::from_secs(30), || async {
        match observe(&pods, "healthy").await? {
            (phase, _, true, 0) if phase == "Running" => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    // The faulty pods stay faulty (kwok's pod-ready Stage never wins over the fault Stages): checked once
    // kwok has provably acted again since, i.e. the crash-looping pod has restarted once more.
    let (_, _, _, restarts) = observe(&pods, "crash").await.expect("observe");
    eventually(
        "kwok acting again: crash restarts once more",
        Duration::from_secs(30),
        || async {
            match observe(&pods, "crash").await? {
                (_, _, _, n) if n > restarts => Ok(()),
                other => Err(format!("{other:?}")),
            }
        },
    )
    .await;
    for name in ["pull", "unready"] {
        let (_, _, ready, _) = observe(&pods, name).await.expect("observe");
        assert!(!ready, "{name} became Ready");
    }
}
