//! `moved {}` from the hashicorp/kubernetes provider to `hub_app` (issue 21), under OpenTofu and Terraform
//! 1.13 (Terraform 1.5.7 predates MoveResourceState): an app made with the kubernetes provider's typed
//! resources (v3.2.1, built by `tests/tools/build.sh kubernetes-provider`, installed from the workspace's
//! filesystem mirror) becomes one `hub_app` with a `moved` block for its Deployment and `removed { lifecycle
//! { destroy = false } }` for its Service, ServiceAccount and PodDisruptionBudget. The plan destroys and
//! replaces nothing, the apply keeps every object's UID and the Deployment's ReplicaSet (no pod restarts),
//! and the plan after it is empty; the same from `kubernetes_deployment` and from a `kubernetes_manifest`
//! Deployment (under OpenTofu). A move from a type hub cannot take is refused, listing the supported ones.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{block_on, delete_namespace, err, expect, fixture, sandbox, with_kube};
use hub_acceptance::tf::{self, Action, Cli, Install, Peer, Workspace};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{ConfigMap, Service, ServiceAccount};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::Api;
use kube::api::ListParams;

/// The CLIs with MoveResourceState: OpenTofu (1.8+) and Terraform 1.13 (1.8+).
fn clis() -> tf::Result<Vec<&'static Cli>> {
    Ok(vec![Cli::opentofu()?, Cli::terraform_new()?])
}

/// hub's pod template checksum for an app without `config`, secrets or ServiceAccount annotations: the
/// first 8 bytes of SHA-256 over `[{},{},null,{}]`, hex (what hub writes as `hub.io/config-checksum`).
fn checksum() -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, b"[{},{},null,{}]");
    digest.as_ref()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// A workspace with hub and the kubernetes provider in its filesystem mirror, logging hub's RPCs.
fn workspace(cli: &Cli) -> tf::Result<Workspace> {
    let mut ws = Workspace::with_install(cli, Install::FilesystemMirror)?;
    Peer::kubernetes()?.install(&ws)?;
    // Core keeps provider log lines at TF_LOG_PROVIDER; hub filters its own at TF_LOG_PROVIDER_HUB.
    ws.set_env("TF_LOG_PROVIDER", "info");
    ws.set_env("TF_LOG_PROVIDER_HUB", "info");
    let log = ws.path().join("provider.log");
    ws.set_env("TF_LOG_PATH", log);
    Ok(ws)
}

fn vars<'a>(ns: &'a str, kubeconfig: &'a str, deployment_type: &'a str, checksum: &'a str) -> Vec<(&'a str, &'a str)> {
    let peer = Peer::kubernetes().expect("built above");
    vec![
        ("kubernetes_source", peer.source),
        ("kubernetes_version", peer.version),
        ("kubeconfig", kubeconfig),
        ("namespace", ns),
        ("deployment_type", deployment_type),
        ("checksum", checksum),
    ]
}

/// `main.tf` from the fixtures `moved/<part>.tf`, in order.
fn config(parts: &[&str], vars: &[(&str, &str)]) -> String {
    parts
        .iter()
        .map(|part| fixture(&format!("moved/{part}.tf"), vars))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The kubernetes provider's configuration of the app, with its Deployment as a typed resource.
const BEFORE: &[&str] = &["providers", "settings", "kubernetes", "deployment"];
/// The same, with its Deployment as a `kubernetes_manifest`.
const BEFORE_MANIFEST: &[&str] = &["providers", "settings", "kubernetes", "deployment_manifest"];
/// The same app under hub: the kubernetes provider stays for the ConfigMap (and the `removed` blocks).
const AFTER: &[&str] = &["providers", "settings", "hub"];

/// The UIDs of the app's objects, and the names of its ReplicaSets.
#[derive(Debug, PartialEq)]
struct Objects {
    uids: Vec<(String, Option<String>)>,
    replica_sets: Vec<String>,
}

fn objects(ns: &str) -> tf::Result<Objects> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let uid = |m: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| m.uid;
        let uids = vec![
            (
                "Deployment".to_owned(),
                uid(Api::<Deployment>::namespaced(c.clone(), &ns).get("api").await?.metadata),
            ),
            (
                "Service".to_owned(),
                uid(Api::<Service>::namespaced(c.clone(), &ns).get("api").await?.metadata),
            ),
            (
                "ServiceAccount".to_owned(),
                uid(Api::<ServiceAccount>::namespaced(c.clone(), &ns)
                    .get("api")
                    .await?
                    .metadata),
            ),
            (
                "PodDisruptionBudget".to_owned(),
                uid(Api::<PodDisruptionBudget>::namespaced(c.clone(), &ns)
                    .get("api")
                    .await?
                    .metadata),
            ),
            (
                "ConfigMap".to_owned(),
                uid(Api::<ConfigMap>::namespaced(c.clone(), &ns)
                    .get("api-settings")
                    .await?
                    .metadata),
            ),
        ];
        let mut replica_sets: Vec<String> = Api::<ReplicaSet>::namespaced(c, &ns)
            .list(&ListParams::default().labels("app.kubernetes.io/instance=api"))
            .await?
            .items
            .into_iter()
            .filter_map(|rs| rs.metadata.name)
            .collect();
        replica_sets.sort();
        Ok(Objects { uids, replica_sets })
    })
}

/// The source provider address hub logged for the move (each CLI spells its own registry host).
fn logged_source_address(ws: &Workspace) -> Option<String> {
    let log = ws.read("provider.log").ok()?;
    let line = log.lines().find(|l| l.contains("moving a resource across types"))?;
    let at = line.find("source_provider_address")?;
    let rest = &line[at..];
    let start = rest.find("registry.")?;
    let end = rest[start..].find(['"', ' ', ','])?;
    Some(rest[start..start + end].to_owned())
}

/// Makes the app with the kubernetes provider in `ns`, then moves it under hub; returns the workspace.
fn move_app(cli: &Cli, ns: &str, deployment_type: &str) -> tf::Result<Workspace> {
    let before = if deployment_type == "kubernetes_manifest" {
        BEFORE_MANIFEST
    } else {
        BEFORE
    };
    let kubeconfig = sandbox().kubeconfig_path().display().to_string();
    let checksum = checksum();
    let vars = vars(ns, &kubeconfig, deployment_type, &checksum);
    let ws = workspace(cli)?;
    ws.config(&config(before, &vars))?;
    ws.init()?.ok()?;
    ws.apply()?.ok()?;
    let before = objects(ns)?;
    expect(
        before.replica_sets.len() == 1,
        &format!("one ReplicaSet before the move: {before:?}"),
    )?;

    ws.config(&format!(
        "{}\nmoved {{\n  from = {deployment_type}.api\n  to   = hub_app.api\n}}\n",
        config(AFTER, &vars)
    ))?;
    ws.init()?.ok()?;
    let plan = ws.plan()?;
    for change in plan.resource_changes() {
        expect(
            !change
                .actions
                .iter()
                .any(|a| matches!(a, Action::Delete | Action::Create)),
            &format!(
                "{}: no destroy, create or replace, got {:?}",
                change.address, change.actions
            ),
        )?;
    }
    let rolls: Vec<&str> = plan
        .diagnostics
        .0
        .iter()
        .filter(|d| d.summary.contains("Pods Roll"))
        .map(|d| d.detail.as_str())
        .collect();
    expect(rolls.is_empty(), &format!("the move keeps the pod template: {rolls:?}"))?;
    let moved_from = plan.resource_change("hub_app.api")?.json()["previous_address"].clone();
    expect(
        moved_from == serde_json::json!(format!("{deployment_type}.api")),
        &format!("hub_app.api was moved from {deployment_type}.api, got {moved_from}"),
    )?;
    let address = logged_source_address(&ws);
    expect(
        address.as_deref() == Some(&format!("{}/hashicorp/kubernetes", cli.default_registry())),
        &format!("{cli} sends its own registry host as the source provider address, got {address:?}"),
    )?;
    ws.apply_plan()?.ok()?;
    let after = objects(ns)?;
    expect(
        after == before,
        &format!("every object kept its UID and the Deployment its ReplicaSet:\nbefore {before:?}\nafter  {after:?}"),
    )?;
    ws.plan()?.expect_empty()?;
    Ok(ws)
}

/// Runs `test` in a new namespace of the scope `name`, deleting the namespace whatever the outcome.
fn in_namespace(name: &str, test: impl FnOnce(&str) -> tf::Result<()>) -> tf::Result<()> {
    let scope = Scope::new(name);
    let ns = block_on(async {
        let c = sandbox().kube_client().await.map_err(err)?;
        scope.namespace(&c, "mv").await.map_err(err)
    })?;
    let result = test(&ns);
    delete_namespace(&ns)?;
    result
}

/// [`move_app`] in a namespace of its own, then destroys the app.
fn move_and_destroy(cli: &Cli, scope: &str, deployment_type: &str) -> tf::Result<()> {
    in_namespace(scope, |ns| {
        move_app(cli, ns, deployment_type)?.destroy()?.ok().map(drop)
    })
}

#[test]
fn acc_moved_from_kubernetes_deployment_v1_adopts_the_app_in_place() -> tf::Result<()> {
    tf::for_each_listed(clis()?, |cli| {
        move_and_destroy(cli, "moved", "kubernetes_deployment_v1")
    })
}

/// The provider's older name for the same resource, with the same state.
#[test]
fn acc_moved_from_kubernetes_deployment_adopts_the_app_in_place() -> tf::Result<()> {
    move_and_destroy(tf::opentofu()?, "moved-v0", "kubernetes_deployment")
}

/// A Deployment the kubernetes provider applied from a manifest.
#[test]
fn acc_moved_from_kubernetes_manifest_adopts_the_app_in_place() -> tf::Result<()> {
    move_and_destroy(tf::opentofu()?, "moved-manifest", "kubernetes_manifest")
}

#[test]
fn acc_moved_from_an_unsupported_type_lists_the_supported_ones() -> tf::Result<()> {
    tf::for_each_listed(clis()?, |cli| {
        in_namespace("moved-bad", |ns| {
            let kubeconfig = sandbox().kubeconfig_path().display().to_string();
            let vars = vars(ns, &kubeconfig, "kubernetes_deployment_v1", "x");
            let ws = workspace(cli)?;
            ws.config(&config(&["providers", "settings"], &vars))?;
            ws.init()?.ok()?;
            ws.apply()?.ok()?;
            ws.config(&config(&["providers", "unsupported_after"], &vars))?;
            ws.init()?.ok()?;
            let out = ws.plan_err()?;
            let text = format!("{}{}", out.stdout, out.stderr);
            for needed in [
                "Unsupported Move Source",
                "kubernetes_deployment_v1",
                "`kubernetes_deployment`",
                "kubernetes_manifest",
                "kubernetes_config_map_v1",
            ] {
                expect(text.contains(needed), &format!("the refusal names {needed}:\n{text}"))?;
            }
            expect(
                config_map_exists(ns)?,
                "the refused move touched nothing: the ConfigMap is still there",
            )
        })
    })
}

fn config_map_exists(ns: &str) -> tf::Result<bool> {
    let ns = ns.to_owned();
    with_kube(|c| async move { Api::<ConfigMap>::namespaced(c, &ns).get_opt("api-settings").await })
        .map(|cm| cm.is_some())
}
