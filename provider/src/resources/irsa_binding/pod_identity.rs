//! Plan-time work of a Pod Identity binding: the clusters described (a missing one, or one on Kubernetes
//! before 1.24, is an error naming the attribute, before any write), the agent add-on and nodes it can run
//! on (not Fargate alone) checked on each, the associations the apply will make
//! or keep, and, when the mechanism changes, a warning that says in words how the switch avoids a gap.

use std::collections::BTreeMap;

use crate::aws::eks_client::diag_text;
use crate::diag::Diagnostics;
use crate::framework::{PlanChange, ProviderContext};
use crate::value::{AttributePath, Tf};

use super::agent;
use super::associations::{self, Associations};
use super::cluster_support;
use super::model::IrsaBindingModel;
use super::trustee::Trustee;

/// The clusters of a Pod Identity plan, described; `None` (with diagnostics when something is wrong) when
/// they cannot be known yet.
pub(super) async fn trustee(ctx: &ProviderContext, change: &mut PlanChange<'_, IrsaBindingModel>) -> Option<Trustee> {
    let config = change.config;
    let clusters = config.association_clusters()?;
    if clusters.is_empty() || ctx.config_unknown() {
        return None;
    }
    let aws = match ctx.aws().await {
        Ok(aws) => aws,
        Err(d) => {
            change.diags.extend(d);
            return None;
        }
    };
    let mode = config.pod_identity_agent_check.as_deref().unwrap_or("warn");
    let mut arns = Vec::new();
    for cluster in &clusters {
        let named_in_list = config.cluster_names.get().is_some_and(|l| l.contains(cluster));
        let attr = AttributePath::attr(if named_in_list { "cluster_names" } else { "cluster_name" });
        match associations::describe_cluster(&aws, cluster).await {
            Ok(found) => {
                if let Some(why) = found
                    .version
                    .as_deref()
                    .and_then(|v| cluster_support::version_problem(cluster, v))
                {
                    change.diags.error_at(&attr, "Cluster Too Old For Pod Identity", why);
                }
                if mode != "off" {
                    let nodes = cluster_support::nodes_check(&aws, cluster, found.auto_mode).await;
                    agent::report(nodes, cluster, mode, &mut change.diags);
                }
                arns.push(found.arn);
            }
            Err(d) => change.diags.error_at(
                &attr,
                "EKS Cluster Not Usable",
                format!(
                    "hub could not describe EKS cluster {cluster:?} for its Pod Identity association: {}",
                    diag_text(&d)
                ),
            ),
        }
    }
    if mode != "off" {
        for cluster in &clusters {
            agent::report(agent::check(&aws, cluster).await, cluster, mode, &mut change.diags);
        }
    }
    (arns.len() == clusters.len()).then_some(Trustee::Clusters(arns))
}

/// The associations a plan promises: every cluster's role is the binding's, and the IDs stay known when
/// every cluster already has one (an update keeps the ID; a new association's ID is known after apply).
pub(super) fn plan_associations(planned: &mut IrsaBindingModel, prior: Option<&IrsaBindingModel>) {
    if !planned.pod_identity() {
        planned.association_ids = Tf::Null;
        planned.association_role_arns = Tf::Null;
        return;
    }
    let (Some(clusters), Some(arn)) = (planned.association_clusters(), planned.role_arn.get().cloned()) else {
        planned.association_ids = Tf::Unknown;
        planned.association_role_arns = Tf::Unknown;
        return;
    };
    planned.association_role_arns = Tf::Known(clusters.iter().map(|c| (c.clone(), arn.clone())).collect());
    let had = prior.map(Associations::of).unwrap_or_default();
    let kept: BTreeMap<String, String> = had.ids.into_iter().filter(|(c, _)| clusters.contains(c)).collect();
    planned.association_ids = if kept.len() == clusters.len() {
        Tf::Known(kept)
    } else {
        Tf::Unknown
    };
}

/// The warning a plan that switches mechanism carries: what happens, in the order it happens.
pub(super) fn switch_warning(prior: Option<&IrsaBindingModel>, planned: &IrsaBindingModel, diags: &mut Diagnostics) {
    let Some(prior) = prior else { return };
    if prior.pod_identity() == planned.pod_identity() || prior.mechanism.is_null() && !planned.pod_identity() {
        return;
    }
    let role = planned.role_name.as_deref().unwrap_or("?");
    let (ns, sa) = (planned.namespace(), planned.service_account());
    let clusters = planned
        .association_clusters()
        .or_else(|| prior.association_clusters())
        .unwrap_or_default()
        .into_iter()
        .collect::<Vec<_>>()
        .join(", ");
    let detail = if planned.pod_identity() {
        format!(
            "IAM role {role:?} is kept (same ARN, same grants) and moves from IRSA to EKS Pod Identity in place: \
             1. its trust policy admits both the OIDC provider and pods.eks.amazonaws.com; 2. a Pod Identity \
             association for {ns}/{sa} is created on each cluster ({clusters}); 3. the eks.amazonaws.com/role-arn \
             annotation hub put on the service account is removed; 4. the trust policy then admits only Pod \
             Identity. Pods started before the switch keep the IRSA credentials they hold (valid for the role's session \
             duration, but not renewable after step 4) until they restart: a hub_app on this binding rolls them in \
             the same apply; restart other workloads of {ns}/{sa} promptly."
        )
    } else {
        format!(
            "IAM role {role:?} is kept (same ARN, same grants) and moves from EKS Pod Identity to IRSA in place: \
             1. its trust policy admits both pods.eks.amazonaws.com and the OIDC provider; 2. the \
             eks.amazonaws.com/role-arn annotation is set when `annotate_service_account` is on; 3. the Pod \
             Identity associations of {ns}/{sa} are deleted ({clusters}); 4. the trust policy then admits only \
             IRSA."
        )
    };
    diags.warning_at(&AttributePath::attr("mechanism"), "Mechanism Switch In Place", detail);
}
