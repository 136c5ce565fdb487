//! Whether an EKS cluster can serve Pod Identity at all, decided at plan from what EKS reports: Kubernetes
//! 1.24 or later (AWS's minimum for Pod Identity and its agent add-on; refused otherwise), and nodes the
//! agent can run on (it is a DaemonSet, and Fargate runs no DaemonSets; a cluster with Fargate profiles and
//! no managed node group is reported by `pod_identity_agent_check`'s rules).

use crate::aws::{AwsClients, describe};

use super::agent::Verdict;

/// The first Kubernetes minor version (1.x) with EKS Pod Identity.
pub(super) const MIN_MINOR: u32 = 24;

/// Why a cluster on Kubernetes `version` ("1.23") cannot use Pod Identity, or `None` (also when the version
/// cannot be read: EKS decides then).
pub(super) fn version_problem(cluster: &str, version: &str) -> Option<String> {
    let mut parts = version.trim().split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = parts.next()?.parse().ok()?;
    (major == 1 && minor < MIN_MINOR).then(|| {
        format!(
            "EKS cluster {cluster:?} runs Kubernetes {version}; EKS Pod Identity needs 1.{MIN_MINOR} or later. \
             Upgrade the cluster, or keep this binding on IRSA (`mechanism = \"irsa\"`)"
        )
    })
}

/// Asks EKS whether `cluster` has nodes the agent can run on (`auto_mode`: EKS Auto Mode runs the agent
/// itself, so there is nothing to ask).
pub(super) async fn nodes_check(aws: &AwsClients, cluster: &str, auto_mode: bool) -> Verdict {
    if auto_mode {
        return Verdict::Running;
    }
    let groups = aws
        .eks
        .list_nodegroups()
        .cluster_name(cluster)
        .max_results(1)
        .send()
        .await;
    let groups = match groups {
        Ok(out) => out.nodegroups().len(),
        Err(e) => {
            return Verdict::Undetermined(format!("ListNodegroups of {cluster:?} failed: {}", describe(&e)));
        }
    };
    if groups > 0 {
        return Verdict::Running;
    }
    let profiles = aws
        .eks
        .list_fargate_profiles()
        .cluster_name(cluster)
        .max_results(1)
        .send()
        .await;
    match profiles {
        Ok(out) => nodes_verdict(cluster, groups, out.fargate_profile_names().len()),
        Err(e) => Verdict::Undetermined(format!("ListFargateProfiles of {cluster:?} failed: {}", describe(&e))),
    }
}

/// The verdict from the counts of managed node groups and Fargate profiles. A cluster with neither is not
/// judged: its nodes are self-managed or come from Karpenter, which EKS does not list.
pub(super) fn nodes_verdict(cluster: &str, node_groups: usize, fargate_profiles: usize) -> Verdict {
    if node_groups > 0 || fargate_profiles == 0 {
        return Verdict::Running;
    }
    Verdict::Missing(format!(
        "cluster {cluster:?} has Fargate profiles and no managed node group, and the Pod Identity agent is a \
         DaemonSet, which Fargate does not run: pods on Fargate get no credentials from an association. Run the \
         pods on EC2 nodes, or use IRSA on this cluster. If its nodes come from outside EKS's node groups \
         (self-managed, Karpenter), set pod_identity_agent_check = \"off\""
    ))
}

#[cfg(test)]
mod tests {
    use super::{Verdict, nodes_verdict, version_problem};

    #[test]
    fn clusters_before_1_24_are_refused() {
        for old in ["1.23", "1.21", " 1.10 "] {
            assert!(
                version_problem("c", old).is_some_and(|p| p.contains("1.24 or later")),
                "{old}"
            );
        }
        for ok in ["1.24", "1.29", "1.35", "2.0", "", "latest", "1"] {
            assert_eq!(version_problem("c", ok), None, "{ok}");
        }
    }

    #[test]
    fn only_fargate_without_node_groups_is_reported() {
        assert!(matches!(nodes_verdict("c", 0, 2), Verdict::Missing(m) if m.contains("Fargate")));
        assert_eq!(nodes_verdict("c", 1, 2), Verdict::Running);
        assert_eq!(
            nodes_verdict("c", 0, 0),
            Verdict::Running,
            "self-managed or Karpenter nodes: not judged"
        );
        assert_eq!(nodes_verdict("c", 3, 0), Verdict::Running);
    }
}
