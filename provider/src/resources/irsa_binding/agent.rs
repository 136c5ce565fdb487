//! Whether an EKS cluster runs the Pod Identity agent: without the `eks-pod-identity-agent` add-on, ACTIVE,
//! an association is stored but pods never get credentials, so hub says so at plan time (a warning, or an
//! error when `pod_identity_agent_check = "error"`), as `hub_network_policy` does for enforcement.

use aws_sdk_eks::error::ProvideErrorMetadata;
use aws_sdk_eks::types::AddonStatus;

use crate::aws::{AwsClients, AwsErrorKind, classify, describe};
use crate::diag::Diagnostics;
use crate::value::AttributePath;

/// The add-on that runs the agent.
pub(super) const AGENT_ADDON: &str = "eks-pod-identity-agent";

/// What the cluster says about the agent.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Verdict {
    Running,
    /// Pods would get no credentials; the reason says why and how to fix it.
    Missing(String),
    /// The check could not decide; the reason says why.
    Undetermined(String),
}

/// Asks EKS (`DescribeAddon` of the agent) about `cluster`.
pub(super) async fn check(aws: &AwsClients, cluster: &str) -> Verdict {
    let out = aws
        .eks
        .describe_addon()
        .cluster_name(cluster)
        .addon_name(AGENT_ADDON)
        .send()
        .await;
    match out {
        Ok(out) => from_status(cluster, out.addon().and_then(|a| a.status())),
        Err(e) if classify(&e) == AwsErrorKind::NotFound && e.message().is_some_and(|m| m.contains("addon")) => {
            Verdict::Missing(format!(
                "cluster {cluster:?} has no `{AGENT_ADDON}` EKS add-on, so no pod would get credentials from the \
                 association. Install it (aws_eks_addon, or cluster_addons in terraform-aws-modules/eks)"
            ))
        }
        Err(e) => Verdict::Undetermined(format!(
            "DescribeAddon of {AGENT_ADDON} on {cluster:?} failed: {}",
            describe(&e)
        )),
    }
}

/// Decides from the add-on's status.
pub(super) fn from_status(cluster: &str, status: Option<&AddonStatus>) -> Verdict {
    match status {
        Some(AddonStatus::Active) => Verdict::Running,
        // Still installing or updating: it will run by the time pods start.
        Some(AddonStatus::Creating | AddonStatus::Updating) => Verdict::Running,
        other => Verdict::Missing(format!(
            "the `{AGENT_ADDON}` add-on of cluster {cluster:?} is {}, not ACTIVE, so pods may get no credentials",
            other.map_or("in an unknown state".to_owned(), |s| s.as_str().to_owned())
        )),
    }
}

/// Reports `verdict` at `pod_identity_agent_check`, by `mode` (`warn` or `error`).
pub(super) fn report(verdict: Verdict, cluster: &str, mode: &str, diags: &mut Diagnostics) {
    let path = AttributePath::attr("pod_identity_agent_check");
    match verdict {
        Verdict::Running => {}
        Verdict::Missing(why) if mode == "error" => diags.error_at(
            &path,
            "Pod Identity Agent Not Running",
            format!("EKS cluster {cluster:?}: {why}. (pod_identity_agent_check = \"error\")"),
        ),
        Verdict::Missing(why) => diags.warning_at(
            &path,
            "Pod Identity Agent Not Running",
            format!("EKS cluster {cluster:?}: {why}."),
        ),
        Verdict::Undetermined(why) => diags.warning_at(
            &path,
            "Pod Identity Agent Unknown",
            format!("hub could not tell whether EKS cluster {cluster:?} runs the Pod Identity agent: {why}."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_eks::types::AddonStatus;

    use super::{Verdict, from_status};

    #[test]
    fn only_a_running_or_starting_add_on_passes() {
        for ok in [AddonStatus::Active, AddonStatus::Creating, AddonStatus::Updating] {
            assert_eq!(from_status("c", Some(&ok)), Verdict::Running, "{ok:?}");
        }
        for bad in [Some(AddonStatus::Degraded), Some(AddonStatus::CreateFailed), None] {
            assert!(matches!(from_status("c", bad.as_ref()), Verdict::Missing(_)), "{bad:?}");
        }
    }
}
