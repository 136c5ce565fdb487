//! Native sidecars need Kubernetes 1.29 or later (`restartPolicy` on an init container): an older API server
//! drops the field, and the "sidecar" would run as an init container that never finishes, so no pod would
//! ever start. The plan reads the cluster's version and refuses; while the cluster is unknown at plan, apply
//! checks before it writes anything.

use crate::diag::Diagnostics;
use crate::k8s::Cluster;
use crate::value::AttributePath;

use super::super::model::AppModel;
use super::entries;

/// The first Kubernetes version that runs native sidecars by default.
const SIDECARS_SINCE: (u32, u32) = (1, 29);

/// Refuses every `sidecar = true` when the cluster is older than [`SIDECARS_SINCE`]. Asks the cluster only
/// when the app has a sidecar.
pub(in super::super) async fn sidecar_support(cluster: &Cluster, app: &AppModel) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let sidecars: Vec<usize> = entries(app)
        .filter(|(_, c)| c.sidecar.value() == Some(true))
        .map(|(i, _)| i)
        .collect();
    if sidecars.is_empty() {
        return diags;
    }
    let version = match cluster.server_version().await {
        Ok(v) => v,
        Err(d) => {
            diags.extend(d);
            diags.error(
                "Sidecar Support Unknown",
                "hub_app's init_containers has a sidecar, which needs Kubernetes 1.29 or later, and the cluster's \
                 version could not be read (above); the plan stops here rather than roll out pods that may never start.",
            );
            return diags;
        }
    };
    let (major, minor) = SIDECARS_SINCE;
    if version.at_least(major, minor) {
        return diags;
    }
    for i in sidecars {
        let path = AttributePath::attr("init_containers")
            .then_index(i)
            .then_attr("sidecar");
        diags.error_at(
            &path,
            "Sidecars Need Kubernetes 1.29",
            format!(
                "{path} = true asks for a native sidecar (an init container with restartPolicy: Always), which \
                 Kubernetes runs from {major}.{minor} on; this cluster runs {} ({}.{}), where it would be an init \
                 container that never finishes and no pod would start. Upgrade the cluster, or run the container \
                 another way (sidecar = false makes it an init container that must finish).",
                version.git_version, version.major, version.minor
            ),
        );
    }
    diags
}
