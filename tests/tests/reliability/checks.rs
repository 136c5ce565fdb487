//! What "converged" means, checked against the live plane: the objects hub manages in the namespace are
//! exactly those state accounts for (orphans: live but not in state; duplicates: claimed twice, or more
//! than one Deployment for one app), every IAM role under the prefix is in state once and carries its
//! trust policy and inline policy, every Pod Identity association of the namespace is in state once
//! (`associations`), and a following plan is empty.

use std::collections::{BTreeMap, BTreeSet};

use aws_credential_types::Credentials;
use hub_acceptance::app_kinds::{APP_KINDS, Kind};
use hub_acceptance::sandbox::{ACCESS_KEY_ID, SECRET_ACCESS_KEY, Sandbox};
use hub_acceptance::support::{block_on, err};
use hub_acceptance::tf::{self, State, Workspace};
use kube::Api;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind, ListParams};
use serde_json::Value;

use crate::stack::Stack;

/// Kinds hub's other resources create in a namespace (`hub_network_policy`, and `hub_namespace`'s
/// default-deny policy, quota and limits); `hub_app`'s come from the provider's own list.
const OTHER_KINDS: &[Kind] = &[
    Kind {
        kind: "NetworkPolicy",
        api_version: "networking.k8s.io/v1",
        plural: "networkpolicies",
    },
    Kind {
        kind: "ResourceQuota",
        api_version: "v1",
        plural: "resourcequotas",
    },
    Kind {
        kind: "LimitRange",
        api_version: "v1",
        plural: "limitranges",
    },
];

const MANAGED_BY: &str = "app.kubernetes.io/managed-by=hub";
const INLINE_POLICY: &str = "hub-irsa";

/// The outcome of the checks.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    pub orphans: usize,
    pub duplicates: usize,
    /// Everything that is wrong, one line each (empty = converged).
    pub problems: Vec<String>,
}

/// Whether a state address (`hub_app.x[1]`, `module.apps.module.services["api"].hub_app.this`) is of
/// resource type `ty`.
pub(crate) fn is_a(address: &str, ty: &str) -> bool {
    address.starts_with(&format!("{ty}.")) || address.contains(&format!(".{ty}."))
}

/// `Kind/name` of every object state accounts for, and how many state entries claim each.
fn expected_objects(state: &State, problems: &mut Vec<String>) -> BTreeMap<String, usize> {
    let mut claimed = BTreeMap::new();
    for r in state.resources() {
        if is_a(r.address, "hub_app") {
            let rendered = r.attr("rendered").and_then(Value::as_object);
            if rendered.is_none() {
                problems.push(format!("{} has no rendered objects in state", r.address));
            }
            for key in rendered.into_iter().flat_map(|m| m.keys()) {
                *claimed.entry(key.clone()).or_insert(0) += 1;
            }
        } else if is_a(r.address, "hub_network_policy") {
            if let Some(name) = r.attr("name").and_then(Value::as_str) {
                *claimed.entry(format!("NetworkPolicy/{name}")).or_insert(0) += 1;
            }
        } else if is_a(r.address, "hub_namespace") {
            let companions = [
                ("default_deny", "NetworkPolicy/hub-default-deny"),
                ("resource_quota", "ResourceQuota/hub-quota"),
                ("limit_range", "LimitRange/hub-limits"),
            ];
            for (attr, key) in companions {
                let on = match r.attr(attr) {
                    Some(Value::Bool(b)) => *b,
                    Some(Value::Null) | None => false,
                    Some(_) => true,
                };
                if on {
                    *claimed.entry(key.to_owned()).or_insert(0) += 1;
                }
            }
        }
    }
    claimed
}

/// `Kind/name` → app label of the live objects labelled as hub's with `hub` among their field managers.
async fn live_objects(sb: &Sandbox, ns: &str) -> tf::Result<BTreeMap<String, String>> {
    let client = sb.kube_client().await.map_err(err)?;
    let mut out = BTreeMap::new();
    for k in APP_KINDS.iter().chain(OTHER_KINDS) {
        let kind = k.kind;
        let ar = ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(k.group(), k.version(), kind), k.plural);
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &ar);
        let list = api.list(&ListParams::default().labels(MANAGED_BY)).await.map_err(err)?;
        for o in list.items {
            let ours = o
                .metadata
                .managed_fields
                .iter()
                .flatten()
                .any(|m| m.manager.as_deref() == Some("hub"));
            if ours {
                let app = o
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get("app.kubernetes.io/name"))
                    .cloned()
                    .unwrap_or_default();
                out.insert(format!("{kind}/{}", o.metadata.name.unwrap_or_default()), app);
            }
        }
    }
    Ok(out)
}

/// IAM client straight to moto (not through the fault proxy).
async fn iam(sb: &Sandbox) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&moto_config(sb).await)
}

/// AWS configuration straight to moto (not through the fault proxy), with the sandbox's own key.
pub(crate) async fn moto_config(sb: &Sandbox) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(sb.moto_url())
        .region(aws_config::Region::new(sb.state().region))
        .credentials_provider(Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            "reliability",
        ))
        .load()
        .await
}

fn decode(doc: &str) -> String {
    percent_encoding::percent_decode_str(doc)
        .decode_utf8_lossy()
        .into_owned()
}

/// Every role under `prefix`: name → (trust policy, inline policy), either empty when absent.
pub(crate) async fn roles(sb: &Sandbox, prefix: &str) -> tf::Result<BTreeMap<String, (String, String)>> {
    let iam = iam(sb).await;
    let mut names = Vec::new();
    let mut pages = iam.list_roles().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(err)?;
        names.extend(
            page.roles()
                .iter()
                .map(|r| r.role_name().to_owned())
                .filter(|n| n.starts_with(prefix)),
        );
    }
    let mut out = BTreeMap::new();
    for name in names {
        let role = iam.get_role().role_name(&name).send().await.map_err(err)?;
        let trust = decode(
            role.role()
                .and_then(|r| r.assume_role_policy_document())
                .unwrap_or_default(),
        );
        let inline = match iam
            .get_role_policy()
            .role_name(&name)
            .policy_name(INLINE_POLICY)
            .send()
            .await
        {
            Ok(p) => decode(p.policy_document()),
            Err(_) => String::new(),
        };
        out.insert(name, (trust, inline));
    }
    Ok(out)
}

/// Whether a trust policy admits pods: IRSA's web identity, or EKS Pod Identity's service principal.
pub(crate) fn trusts_pods(trust: &str) -> bool {
    trust.contains("sts:AssumeRoleWithWebIdentity") || trust.contains("pods.eks.amazonaws.com")
}

/// Roles that miss their trust or inline policy (a half-written role), as problem lines.
pub(crate) fn half_written(roles: &BTreeMap<String, (String, String)>) -> Vec<String> {
    roles
        .iter()
        .filter(|(_, (trust, inline))| !trusts_pods(trust) || !inline.contains("Statement"))
        .map(|(name, (trust, inline))| {
            format!("IAM role {name} is half-written: trust policy {trust:?}, inline policy {inline:?}")
        })
        .collect()
}

/// Checks the plane against state (no plan).
pub(crate) fn live_matches_state(sb: &Sandbox, ws: &Workspace, stack: &Stack) -> tf::Result<Verdict> {
    let state = ws.state()?;
    let mut v = Verdict::default();
    let expected = expected_objects(&state, &mut v.problems);
    let live = block_on(live_objects(sb, &stack.namespace))?;
    for (key, n) in &expected {
        if *n > 1 {
            v.duplicates += n - 1;
            v.problems.push(format!("{key} is claimed by {n} state entries"));
        }
        if !live.contains_key(key) {
            v.problems.push(format!("{key} is in state but not on the cluster"));
        }
    }
    for key in live.keys().filter(|k| !expected.contains_key(*k)) {
        v.orphans += 1;
        v.problems
            .push(format!("orphan: {key} is on the cluster but in no state entry"));
    }
    let mut deployments: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, app) in &live {
        if key.starts_with("Deployment/") {
            *deployments.entry(app.as_str()).or_insert(0) += 1;
        }
    }
    for (app, n) in deployments.into_iter().filter(|(_, n)| *n > 1) {
        v.duplicates += n - 1;
        v.problems.push(format!("{n} Deployments for app {app}"));
    }
    let apps = state.resources().iter().filter(|r| is_a(r.address, "hub_app")).count();
    if apps != stack.apps {
        v.problems.push(format!("{apps} hub_app in state, want {}", stack.apps));
    }
    if state.resources().iter().all(|r| !is_a(r.address, "hub_namespace")) {
        v.problems.push("hub_namespace missing from state".to_owned());
    }

    let roles = block_on(roles(sb, &stack.role_prefix()))?;
    v.problems.extend(half_written(&roles));
    let in_state: BTreeSet<String> = state
        .resources()
        .iter()
        .filter(|r| is_a(r.address, "hub_irsa_binding"))
        .filter_map(|r| r.attr("role_name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    if in_state.len() != stack.bindings {
        v.problems
            .push(format!("{} roles in state, want {}", in_state.len(), stack.bindings));
    }
    for name in roles.keys().filter(|n| !in_state.contains(*n)) {
        v.orphans += 1;
        v.problems.push(format!("orphan: IAM role {name} is in no state entry"));
    }
    for name in in_state.iter().filter(|n| !roles.contains_key(*n)) {
        v.problems.push(format!("IAM role {name} is in state but not in IAM"));
    }
    let mut subjects: BTreeMap<String, usize> = BTreeMap::new();
    for (trust, _) in roles.values() {
        for sub in trust.split('"').filter(|s| s.starts_with("system:serviceaccount:")) {
            *subjects.entry(sub.to_owned()).or_insert(0) += 1;
        }
    }
    for (sub, n) in subjects.into_iter().filter(|(_, n)| *n > 1) {
        v.duplicates += n - 1;
        v.problems.push(format!("{n} roles trust {sub}"));
    }
    if stack.pod_identity {
        crate::associations::match_state(sb, &state, stack, &mut v)?;
    }
    Ok(v)
}

/// [`live_matches_state`] plus an empty plan.
pub(crate) fn converged(sb: &Sandbox, ws: &Workspace, stack: &Stack) -> tf::Result<Verdict> {
    let mut v = live_matches_state(sb, ws, stack)?;
    if let Err(e) = ws.plan().and_then(|p| p.expect_empty()) {
        v.problems.push(format!("the plan after recovery is not empty: {e}"));
    }
    Ok(v)
}

/// Destroys the stack and checks nothing of it is left (no object labelled as hub's, no role).
pub(crate) fn destroy_clean(sb: &Sandbox, ws: &Workspace, stack: &Stack) -> tf::Result<()> {
    ws.run(&["destroy", "-json", "-input=false", "-auto-approve", "-parallelism=20"])?
        .ok()?;
    let roles = block_on(roles(sb, &stack.role_prefix()))?;
    if !roles.is_empty() {
        return Err(tf::Error::assertion(format!(
            "roles left after destroy: {:?}",
            roles.keys()
        )));
    }
    let associations = block_on(crate::associations::live(sb, &stack.namespace))?;
    if !associations.is_empty() {
        return Err(tf::Error::assertion(format!(
            "Pod Identity associations left after destroy: {:?}",
            associations.keys()
        )));
    }
    let ns = block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        Api::<k8s_openapi::api::core::v1::Namespace>::all(c)
            .get_opt(&stack.namespace)
            .await
            .map_err(err)
    })?;
    if ns.is_some() {
        return Err(tf::Error::assertion(format!(
            "namespace {} left after destroy",
            stack.namespace
        )));
    }
    Ok(())
}
