//! kwok, the fake kubelet: its Stage configuration and the three fake nodes.
//!
//! kwok refuses to start without Stages. We feed it kwok's own "fast" Stages (copied next to the binary
//! by build.sh: node-initialize, node heartbeat with lease, pod-ready, pod-complete, pod-delete) plus our
//! fault Stages (`kwok/fault-stages.yaml`). The nodes look like an EKS managed node group spread over three
//! zones, so topology spreading and zone-aware scheduling behave as on EKS.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use k8s_openapi::api::core::v1::{Node, NodeAddress, NodeSpec, NodeStatus};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, PostParams};

use super::error::{IoContext, Result, SandboxError};
use super::layout::RunDir;

/// Label a pod sets to fail on purpose (values: [`FAULT_IMAGE_PULL_BACKOFF`], [`FAULT_CRASH_LOOP`],
/// [`FAULT_NOT_READY`]). Alternatively use the image `fault.invalid/<fault>[:tag]`.
pub const FAULT_LABEL: &str = "sandbox.hub/fault";
/// Image registry that selects a fault by image name: `fault.invalid/<fault>`.
pub const FAULT_IMAGE_REGISTRY: &str = "fault.invalid";
/// Pod stays Pending with containers in `ImagePullBackOff`.
pub const FAULT_IMAGE_PULL_BACKOFF: &str = "image-pull-backoff";
/// Pod runs, containers wait in `CrashLoopBackOff` with a climbing restart count.
pub const FAULT_CRASH_LOOP: &str = "crash-loop";
/// Pod runs, containers started but never Ready (failing readiness probe).
pub const FAULT_NOT_READY: &str = "not-ready";
/// Pod stays Pending, the init container with image `fault.invalid/init-fail` in `CrashLoopBackOff`
/// (`Init:CrashLoopBackOff`); chosen by an init container's image only.
pub const FAULT_INIT_FAIL: &str = "init-fail";

/// Annotation kwok uses to pick the nodes it manages.
const MANAGED_ANNOTATION: (&str, &str) = ("kwok.x-k8s.io/node", "fake");

/// kwok's upstream Stage files we use, relative to `<kwok tool dir>/stages/`.
const UPSTREAM_STAGES: [&str; 5] = [
    "node/fast/node-initialize.yaml",
    "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    "pod/fast/pod-ready.yaml",
    "pod/fast/pod-complete.yaml",
    "pod/fast/pod-delete.yaml",
];

/// Writes the Stage configuration and returns its path.
pub fn write_stages(run: &RunDir, kwok_dir: &Path) -> Result<PathBuf> {
    let mut text = String::new();
    for rel in UPSTREAM_STAGES {
        let path = kwok_dir.join("stages").join(rel);
        let stage = std::fs::read_to_string(&path).ctx(|| {
            format!(
                "reading kwok stage {} (build.sh copies kwok's stages next to the binary)",
                path.display()
            )
        })?;
        text.push_str(stage.trim_end());
        text.push_str("\n---\n");
    }
    text.push_str(include_str!("kwok/fault-stages.yaml"));
    let out = run.config("kwok-stages.yaml");
    std::fs::write(&out, text).ctx(|| format!("writing {}", out.display()))?;
    Ok(out)
}

/// Command-line flags for kwok.
pub fn args(kubeconfig: &Path, stages: &Path, server_port: u16) -> Vec<String> {
    vec![
        format!("--kubeconfig={}", kubeconfig.display()),
        format!("--config={}", stages.display()),
        "--manage-all-nodes=false".to_owned(),
        format!(
            "--manage-nodes-with-annotation-selector={}={}",
            MANAGED_ANNOTATION.0, MANAGED_ANNOTATION.1
        ),
        "--node-lease-duration-seconds=40".to_owned(),
        "--cidr=10.244.0.0/16".to_owned(),
        "--node-ip=10.0.0.10".to_owned(),
        format!("--server-address=127.0.0.1:{server_port}"),
    ]
}

/// One fake node per availability zone.
#[derive(Debug, Clone)]
pub struct FakeNode {
    /// Node name, EC2-style.
    pub name: String,
    /// `topology.kubernetes.io/zone`.
    pub zone: String,
    /// InternalIP.
    pub ip: String,
    /// EC2 instance ID (for `spec.providerID`).
    pub instance_id: String,
}

/// The three nodes: `ip-10-0-{1,2,3}-10.ec2.internal` in zones `<region>a/b/c`.
pub fn fake_nodes(region: &str) -> Vec<FakeNode> {
    ["a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(i, z)| FakeNode {
            name: format!("ip-10-0-{}-10.ec2.internal", i + 1),
            zone: format!("{region}{z}"),
            ip: format!("10.0.{}.10", i + 1),
            instance_id: format!("i-0a1b2c3d4e5f6000{}", i + 1),
        })
        .collect()
}

fn node_object(n: &FakeNode, region: &str, cluster: &str) -> Node {
    let labels: BTreeMap<String, String> = [
        ("kubernetes.io/hostname", n.name.as_str()),
        ("kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("topology.kubernetes.io/region", region),
        ("topology.kubernetes.io/zone", n.zone.as_str()),
        ("node.kubernetes.io/instance-type", "m5.4xlarge"),
        ("eks.amazonaws.com/nodegroup", &format!("{cluster}-default")),
        ("eks.amazonaws.com/capacityType", "ON_DEMAND"),
        ("type", "kwok"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let annotations: BTreeMap<String, String> = [
        (MANAGED_ANNOTATION.0, MANAGED_ANNOTATION.1),
        ("node.alpha.kubernetes.io/ttl", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    // m5.4xlarge: 16 vCPU, 64 GiB, 234 pods (the EKS max-pods value) – room for parallel tests.
    let resources: BTreeMap<String, Quantity> = [("cpu", "16"), ("memory", "64Gi"), ("pods", "234")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Quantity(v.to_owned())))
        .collect();
    Node {
        metadata: ObjectMeta {
            name: Some(n.name.clone()),
            labels: Some(labels),
            annotations: Some(annotations),
            ..Default::default()
        },
        spec: Some(NodeSpec {
            provider_id: Some(format!("aws:///{}/{}", n.zone, n.instance_id)),
            ..Default::default()
        }),
        status: Some(NodeStatus {
            allocatable: Some(resources.clone()),
            capacity: Some(resources),
            addresses: Some(vec![
                NodeAddress {
                    type_: "InternalIP".to_owned(),
                    address: n.ip.clone(),
                },
                NodeAddress {
                    type_: "Hostname".to_owned(),
                    address: n.name.clone(),
                },
            ]),
            ..Default::default()
        }),
    }
}

/// Creates the fake nodes (idempotent: existing nodes are kept).
pub async fn create_nodes(client: &kube::Client, region: &str, cluster: &str) -> Result<Vec<FakeNode>> {
    let api: Api<Node> = Api::all(client.clone());
    let nodes = fake_nodes(region);
    for n in &nodes {
        match api
            .create(&PostParams::default(), &node_object(n, region, cluster))
            .await
        {
            Ok(_) => {}
            Err(kube::Error::Api(s)) if s.code == 409 => {}
            Err(e) => return Err(SandboxError::Kube(e)),
        }
    }
    Ok(nodes)
}

/// Whether every fake node reports `Ready=True` (kwok's node-initialize Stage has run).
pub async fn nodes_ready(client: &kube::Client, region: &str) -> Result<(), String> {
    let api: Api<Node> = Api::all(client.clone());
    for n in fake_nodes(region) {
        let node = api.get(&n.name).await.map_err(|e| format!("node {}: {e}", n.name))?;
        let ready = node
            .status
            .and_then(|s| s.conditions)
            .unwrap_or_default()
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True");
        if !ready {
            return Err(format!("node {} is not Ready yet", n.name));
        }
    }
    Ok(())
}
