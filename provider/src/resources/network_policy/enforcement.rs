//! Whether NetworkPolicies are enforced on an EKS cluster: the VPC CNI enforces them only when its
//! network-policy agent is on (`enableNetworkPolicy: "true"` in the `vpc-cni` add-on's configuration).
//! Otherwise policies are stored and silently ignored (peers.md section 15), so hub says so at plan time.

use std::collections::HashMap;
use std::sync::LazyLock;

use aws_sdk_eks::error::ProvideErrorMetadata;
use serde_json::Value as Json;
use tokio::sync::Mutex;

use crate::aws::{AwsErrorKind, classify, describe};
use crate::framework::ProviderContext;

/// What the cluster says about enforcement.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Verdict {
    Enforced,
    /// Policies would be stored but not enforced; the reason says why and how to fix it.
    NotEnforced(String),
    /// The check could not decide (API error, no add-on); the reason says why.
    Undetermined(String),
}

/// One answer per cluster and provider process: a plan of many policies asks AWS once.
static VERDICTS: LazyLock<Mutex<HashMap<String, Verdict>>> = LazyLock::new(Default::default);

/// Clusters remembered at most. A real configuration names a handful; a long-lived process fed arbitrary
/// names (the fuzzer) would otherwise grow the map without bound, so past this it starts afresh.
const MAX_CLUSTERS: usize = 64;

/// Asks EKS (`DescribeAddon` of `vpc-cni`) whether `cluster` enforces NetworkPolicies.
pub(super) async fn check(ctx: &ProviderContext, cluster: &str) -> Verdict {
    let mut verdicts = VERDICTS.lock().await;
    if let Some(v) = verdicts.get(cluster) {
        return v.clone();
    }
    let verdict = ask(ctx, cluster).await;
    remember(&mut verdicts, cluster, verdict.clone());
    verdict
}

/// Keeps `verdict` for `cluster`, starting afresh once [`MAX_CLUSTERS`] are remembered.
fn remember(verdicts: &mut HashMap<String, Verdict>, cluster: &str, verdict: Verdict) {
    if verdicts.len() >= MAX_CLUSTERS && !verdicts.contains_key(cluster) {
        verdicts.clear();
    }
    verdicts.insert(cluster.to_owned(), verdict);
}

async fn ask(ctx: &ProviderContext, cluster: &str) -> Verdict {
    let aws = match ctx.aws().await {
        Ok(aws) => aws,
        Err(d) => {
            let why = d.iter().map(|d| d.summary.clone()).collect::<Vec<_>>().join("; ");
            return Verdict::Undetermined(format!("AWS is not usable here ({why})"));
        }
    };
    let out = aws
        .eks
        .describe_addon()
        .cluster_name(cluster)
        .addon_name("vpc-cni")
        .send()
        .await;
    match out {
        Ok(out) => from_configuration(out.addon().and_then(|a| a.configuration_values())),
        Err(e) if classify(&e) == AwsErrorKind::NotFound && e.message().is_some_and(|m| m.contains("addon")) => {
            Verdict::Undetermined(format!(
                "cluster {cluster:?} has no `vpc-cni` EKS add-on. If it runs the self-managed aws-node \
                 DaemonSet, start its network policy agent with --enable-network-policy=true; Calico or Cilium \
                 enforce policies themselves"
            ))
        }
        Err(e) => Verdict::Undetermined(format!(
            "DescribeAddon of vpc-cni on {cluster:?} failed: {}",
            describe(&e)
        )),
    }
}

/// Decides from the add-on's configuration values (JSON or YAML, as EKS accepts both).
pub(super) fn from_configuration(values: Option<&str>) -> Verdict {
    let fix = "set `enableNetworkPolicy = \"true\"` in the vpc-cni add-on's configuration_values (in \
               terraform-aws-modules/eks: cluster_addons.vpc-cni.configuration_values)";
    let text = values.unwrap_or_default();
    let enabled = match serde_json::from_str::<Json>(text) {
        Ok(json) => matches!(&json["enableNetworkPolicy"], Json::Bool(true)) || json["enableNetworkPolicy"] == "true",
        Err(_) => text.lines().any(|line| {
            let line = line.trim().replace(['"', '\''], "");
            line.strip_prefix("enableNetworkPolicy:")
                .is_some_and(|v| v.trim() == "true")
        }),
    };
    if enabled {
        Verdict::Enforced
    } else {
        Verdict::NotEnforced(format!(
            "the vpc-cni add-on runs without its network policy agent, so this policy would be stored but not \
             enforced: {fix}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::{MAX_CLUSTERS, Verdict, from_configuration, remember};

    #[test]
    fn remembered_clusters_stay_bounded() {
        let mut verdicts = HashMap::new();
        for i in 0..MAX_CLUSTERS * 3 {
            remember(&mut verdicts, &format!("cluster-{i}"), Verdict::Enforced);
            assert!(verdicts.len() <= MAX_CLUSTERS, "{} remembered", verdicts.len());
            assert_eq!(verdicts.get(&format!("cluster-{i}")), Some(&Verdict::Enforced));
        }
        remember(&mut verdicts, "cluster-0", Verdict::Undetermined("x".into()));
        let before = verdicts.len();
        remember(&mut verdicts, "cluster-0", Verdict::Enforced);
        assert_eq!(
            verdicts.len(),
            before,
            "a known cluster replaces its verdict, nothing is dropped"
        );
    }

    #[test]
    fn reads_json_and_yaml_configuration() {
        assert_eq!(
            from_configuration(Some(r#"{"enableNetworkPolicy":"true"}"#)),
            Verdict::Enforced
        );
        assert_eq!(
            from_configuration(Some(r#"{"enableNetworkPolicy":true}"#)),
            Verdict::Enforced
        );
        assert_eq!(
            from_configuration(Some("env:\n  X: y\nenableNetworkPolicy: \"true\"\n")),
            Verdict::Enforced
        );
        for off in [
            None,
            Some(""),
            Some(r#"{"enableNetworkPolicy":"false"}"#),
            Some("enableNetworkPolicy: false"),
        ] {
            assert!(matches!(from_configuration(off), Verdict::NotEnforced(_)), "{off:?}");
        }
    }
}
