//! The Pod Identity half of "converged": every association of the scenario's namespace on the sandbox
//! cluster is the one a binding in state records (none orphaned by an interrupted create, none twice), and
//! gives the role state says. Read straight from moto, not through the fault proxy.

use std::collections::{BTreeMap, BTreeSet};

use hub_acceptance::sandbox::{CLUSTER_NAME, Sandbox};
use hub_acceptance::support::{block_on, err};
use hub_acceptance::tf::{self, State};
use serde_json::Value;

use crate::checks::{Verdict, is_a, moto_config};
use crate::stack::Stack;

/// The associations of namespace `ns` on the sandbox cluster: id → (service account, role ARN).
pub(crate) async fn live(sb: &Sandbox, ns: &str) -> tf::Result<BTreeMap<String, (String, String)>> {
    let eks = aws_sdk_eks::Client::new(&moto_config(sb).await);
    let listed = eks
        .list_pod_identity_associations()
        .cluster_name(CLUSTER_NAME)
        .namespace(ns)
        .send()
        .await
        .map_err(err)?;
    let mut out = BTreeMap::new();
    for summary in listed.associations() {
        let Some(id) = summary.association_id() else { continue };
        let described = eks
            .describe_pod_identity_association()
            .cluster_name(CLUSTER_NAME)
            .association_id(id)
            .send()
            .await
            .map_err(err)?;
        let association = described.association();
        out.insert(
            id.to_owned(),
            (
                association
                    .and_then(|a| a.service_account())
                    .unwrap_or_default()
                    .to_owned(),
                association.and_then(|a| a.role_arn()).unwrap_or_default().to_owned(),
            ),
        );
    }
    Ok(out)
}

/// Adds to `v` every association of the stack's namespace that no binding in `state` records (an orphan),
/// every recorded one that is gone, and every one giving another role than its binding's.
pub(crate) fn match_state(sb: &Sandbox, state: &State, stack: &Stack, v: &mut Verdict) -> tf::Result<()> {
    let live = block_on(live(sb, &stack.namespace))?;
    let mut recorded: BTreeMap<String, String> = BTreeMap::new();
    for binding in state.resources().iter().filter(|r| is_a(r.address, "hub_irsa_binding")) {
        let id = binding.attr("association_ids").and_then(|m| m[CLUSTER_NAME].as_str());
        let role = binding.attr("role_arn").and_then(Value::as_str).unwrap_or_default();
        match id {
            Some(id) => {
                recorded.insert(id.to_owned(), role.to_owned());
            }
            None => v
                .problems
                .push(format!("{} records no association on {CLUSTER_NAME}", binding.address)),
        }
    }
    for (id, (account, role)) in &live {
        match recorded.get(id) {
            None => {
                v.orphans += 1;
                v.problems.push(format!(
                    "orphan: association {id} ({}/{account}) is in no state entry",
                    stack.namespace
                ));
            }
            Some(want) if want != role => v
                .problems
                .push(format!("association {id} gives {role}, its binding's role is {want}")),
            Some(_) => {}
        }
    }
    let ids: BTreeSet<&String> = live.keys().collect();
    for id in recorded.keys().filter(|id| !ids.contains(id)) {
        v.problems
            .push(format!("association {id} is in state but not on {CLUSTER_NAME}"));
    }
    Ok(())
}
