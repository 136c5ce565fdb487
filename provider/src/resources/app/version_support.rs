//! Settings that need a minimum Kubernetes version, refused at plan on an older cluster (read from the API
//! server) instead of failing at apply or, worse, applying something that never works:
//! - native sidecars (`init_containers[*].sidecar`, 1.29): an older API server drops `restartPolicy`, and
//!   the "sidecar" runs as an init container that never finishes, so no pod would ever start;
//! - the kubelet's `sleep` preStop action (`ingress.graceful_shutdown.pre_stop = "sleep"`, the default; 1.30):
//!   an older API server drops the action and refuses the Deployment for a hook with no handler.
//!
//! While the cluster is unknown at plan, apply checks before it writes anything.

use crate::diag::Diagnostics;
use crate::k8s::Cluster;
use crate::value::AttributePath;

use super::init_containers::entries;
use super::model::AppModel;
use super::shutdown;

/// The first Kubernetes version that runs native sidecars by default.
const SIDECARS_SINCE: (u32, u32) = (1, 29);
/// The first Kubernetes version with the preStop `sleep` action on by default.
const SLEEP_ACTION_SINCE: (u32, u32) = (1, 30);

/// One setting of the app that needs [`Need::since`].
struct Need {
    path: AttributePath,
    since: (u32, u32),
    summary: &'static str,
    /// What the setting asks for, what an older cluster would do with it, and what to do instead.
    why: &'static str,
}

fn needs(app: &AppModel) -> Vec<Need> {
    let mut needs: Vec<Need> = entries(app)
        .filter(|(_, c)| c.sidecar.value() == Some(true))
        .map(|(i, _)| Need {
            path: AttributePath::attr("init_containers")
                .then_index(i)
                .then_attr("sidecar"),
            since: SIDECARS_SINCE,
            summary: "Sidecars Need Kubernetes 1.29",
            why: "asks for a native sidecar (an init container with restartPolicy: Always); on an older cluster \
                  it would be an init container that never finishes and no pod would start. Upgrade the \
                  cluster, or run the container another way (sidecar = false makes it an init container that \
                  must finish).",
        })
        .collect();
    if shutdown::uses_sleep_action(app) {
        needs.push(Need {
            path: AttributePath::attrs(&["ingress", "graceful_shutdown", "pre_stop"]),
            since: SLEEP_ACTION_SINCE,
            summary: "preStop Sleep Needs Kubernetes 1.30",
            why: "asks for the kubelet's own preStop sleep (\"sleep\", the default); an older API server drops \
                  it and refuses the Deployment (1.29 has it only behind the PodLifecycleSleepAction feature gate, \
                  which EKS does not turn on). Set ingress.graceful_shutdown.pre_stop = \"exec\" (runs `sleep` \
                  in the container, so the image needs a sleep binary), or upgrade the cluster.",
        });
    }
    needs
}

/// Refuses every setting the cluster is too old for. Asks the cluster only when the app has such a setting.
pub(super) async fn check(cluster: &Cluster, app: &AppModel) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let needs = needs(app);
    if needs.is_empty() {
        return diags;
    }
    let version = match cluster.server_version().await {
        Ok(v) => v,
        Err(d) => {
            diags.extend(d);
            let paths: Vec<String> = needs.iter().map(|n| n.path.to_string()).collect();
            diags.error(
                "Kubernetes Version Unknown",
                format!(
                    "{} need a minimum Kubernetes version, and the cluster's version could not be read (above); \
                     the plan stops here rather than roll out pods that may never start.",
                    paths.join(", ")
                ),
            );
            return diags;
        }
    };
    for need in needs {
        let (major, minor) = need.since;
        if version.at_least(major, minor) {
            continue;
        }
        diags.error_at(
            &need.path,
            need.summary,
            format!(
                "{} {} Kubernetes runs it from {major}.{minor} on; this cluster runs {} ({}.{}).",
                need.path, need.why, version.git_version, version.major, version.minor
            ),
        );
    }
    diags
}
