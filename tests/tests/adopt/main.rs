//! Adoption of apps other tools made (issue 21), imported with generated configuration: seed 001's chart
//! as `helm install` leaves it (`helm`), seed 003's manifests as `kubectl apply` leaves them (`kubectl`).
//! What the first apply does to the running app (replace the Deployment, roll its pods, take another
//! tool's fields, remove Helm's marks) is said by the plan before anything is written, and done exactly.

mod helm;
mod kubectl;

use hub_acceptance::support::{err, expect, fixture, provider_block, sandbox, with_kube};
use hub_acceptance::tf::{self, Plan, Workspace};
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, ListParams, PostParams};
use serde_json::{Value as Json, json};

/// The `objects` and `outside` lists of fixture `adopt/<file>`, with `{{labels}}`, `{{annotations}}` and
/// `{{selector}}` filled in.
fn manifests(file: &str, labels: &Json, annotations: &Json, selector: &Json) -> (Vec<Json>, Vec<Json>) {
    let vars = [
        ("labels", labels.to_string()),
        ("annotations", annotations.to_string()),
        ("selector", selector.to_string()),
    ];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let doc: Json = serde_json::from_str(&fixture(&format!("adopt/{file}"), &vars)).expect("fixture is JSON");
    let list = |key: &str| doc[key].as_array().cloned().unwrap_or_default();
    (list("objects"), list("outside"))
}

/// How another tool wrote the objects.
#[derive(Clone, Copy)]
enum Tool {
    /// `helm install`: created by field manager `helm`.
    Helm,
    /// `kubectl apply` (client-side): the last-applied annotation, field manager `kubectl-client-side-apply`.
    Kubectl,
}

fn resource(object: &Json) -> ApiResource {
    let (group, version) = match object["apiVersion"].as_str().unwrap_or("v1").split_once('/') {
        Some((g, v)) => (g.to_owned(), v.to_owned()),
        None => (String::new(), object["apiVersion"].as_str().unwrap_or("v1").to_owned()),
    };
    let kind = object["kind"].as_str().unwrap_or_default();
    ApiResource::from_gvk(&GroupVersionKind::gvk(&group, &version, kind))
}

/// Creates the namespace and `objects` in it as `tool` would. Returns every object's `Kind/name` and UID.
fn create(ns: &str, tool: Tool, objects: Vec<Json>) -> tf::Result<Vec<(String, String)>> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let namespace: Namespace = serde_json::from_value(json!({"metadata": {"name": ns}})).expect("namespace");
        Api::<Namespace>::all(c.clone())
            .create(&PostParams::default(), &namespace)
            .await?;
        let params = PostParams {
            field_manager: Some(
                match tool {
                    Tool::Helm => "helm",
                    Tool::Kubectl => "kubectl-client-side-apply",
                }
                .to_owned(),
            ),
            ..PostParams::default()
        };
        let mut uids = Vec::new();
        for mut object in objects {
            if let Tool::Kubectl = tool {
                let applied = object.to_string();
                object["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = json!(applied);
            }
            let api: Api<DynamicObject> = Api::namespaced_with(c.clone(), &ns, &resource(&object));
            let made = api
                .create(&params, &serde_json::from_value(object).expect("object"))
                .await?;
            let kind = made.types.as_ref().map(|t| t.kind.clone()).unwrap_or_default();
            uids.push((
                format!("{kind}/{}", made.metadata.name.unwrap_or_default()),
                made.metadata.uid.unwrap_or_default(),
            ));
        }
        Ok(uids)
    })
}

/// The UIDs of `before`'s objects now.
fn uids_now(ns: &str, before: &[(String, String)], objects: &[Json]) -> tf::Result<Vec<(String, String)>> {
    let ns = ns.to_owned();
    let keys: Vec<(String, ApiResource)> = before
        .iter()
        .zip(objects)
        .map(|((key, _), o)| (key.clone(), resource(o)))
        .collect();
    with_kube(|c| async move {
        let mut out = Vec::new();
        for (key, ar) in keys {
            let name = key.split_once('/').map(|(_, n)| n).unwrap_or_default();
            let api: Api<DynamicObject> = Api::namespaced_with(c.clone(), &ns, &ar);
            out.push((key.clone(), api.get(name).await?.metadata.uid.unwrap_or_default()));
        }
        Ok(out)
    })
}

/// The names of the namespace's ReplicaSets.
fn replica_sets(ns: &str) -> tf::Result<Vec<String>> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let mut names: Vec<String> = Api::<ReplicaSet>::namespaced(c, &ns)
            .list(&ListParams::default())
            .await?
            .items
            .into_iter()
            .filter_map(|rs| rs.metadata.name)
            .collect();
        names.sort();
        Ok(names)
    })
}

/// The `Kind/name` keys whose UIDs changed between `before` and `after`.
fn changed(before: &[(String, String)], after: &[(String, String)]) -> Vec<String> {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0.clone())
        .collect()
}

/// A workspace importing `hub_app.<address>` by id `ns/name`, and the result of `plan
/// -generate-config-out=generated.tf` with the file it wrote. `secrets` (values only the cluster holds) are
/// named to the secrets sweep through the workspace's environment, so every command's trace log is searched
/// for them too.
fn generate(cli: &tf::Cli, address: &str, id: &str, secrets: &[&str]) -> tf::Result<(Workspace, tf::Output, String)> {
    let mut ws = Workspace::new(cli)?;
    for (i, secret) in secrets.iter().enumerate() {
        ws.set_env(format!("HUB_ADOPT_SECRET_{i}"), secret);
    }
    ws.config(&format!(
        "{}\nimport {{\n  to = hub_app.{address}\n  id = \"{id}\"\n}}\n",
        provider_block("")
    ))?;
    let out = ws.run(&["plan", "-input=false", "-no-color", "-generate-config-out=generated.tf"])?;
    let generated = ws.read("generated.tf")?;
    Ok((ws, out, generated))
}

/// What `terraform-provider-hub discover` writes for namespace `ns` (read with the sandbox's admin
/// kubeconfig), failing unless it exits 0.
fn discovered(ns: &str) -> tf::Result<String> {
    let bin = &tf::ProviderBinary::get()?.path;
    let kubeconfig = sandbox().kubeconfig_path();
    let out = std::process::Command::new(bin)
        .args(["discover", "--namespace", ns, "--kubeconfig"])
        .arg(kubeconfig)
        .output()
        .map_err(err)?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    expect(out.status.success(), &format!("discover exits 0: {stderr}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `generated` with the line of `setting`'s attribute (`name = value`) replaced by `setting`.
fn with_setting(generated: &str, setting: &str) -> String {
    let name = setting.split(' ').next().unwrap_or_default();
    let lines: Vec<String> = generated
        .lines()
        .map(|l| match l.trim_start().strip_prefix(name) {
            Some(rest) if rest.trim_start().starts_with('=') => format!("  {setting}"),
            _ => l.to_owned(),
        })
        .collect();
    lines.join("\n")
}

/// `generated` without attribute `name` (a one-line value, or a block up to its closing brace).
fn without(generated: &str, name: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in generated.lines() {
        let trimmed = line.trim_start();
        if skipping {
            skipping = trimmed != "}";
            continue;
        }
        match trimmed.strip_prefix(name) {
            Some(rest) if rest.trim_start().starts_with('=') => skipping = rest.trim_end().ends_with('{'),
            _ => out.push(line),
        }
    }
    out.join("\n")
}

/// The detail of the plan's warning `summary`, or "" when it has none.
fn warning(plan: &Plan, summary: &str) -> String {
    plan.diagnostics
        .0
        .iter()
        .find(|d| d.summary == summary)
        .map(|d| d.detail.clone())
        .unwrap_or_default()
}

/// Whether generated configuration sets `replicas = null` (an HPA owns the count).
fn replicas_null(generated: &str) -> tf::Result<()> {
    expect(
        sets(generated, "replicas", "null"),
        &format!("replicas is null beside autoscaling:\n{generated}"),
    )
}

/// Import read the pods as they are: the generated configuration has `pod_defaults = "none"`.
fn bare_pods(generated: &str) -> tf::Result<()> {
    expect(
        sets(generated, "pod_defaults", "\"none\""),
        &format!("import reads the pods as they are, without hub's defaults:\n{generated}"),
    )
}

/// Whether a generated file has the line `attribute = value` (however it is aligned).
fn sets(generated: &str, attribute: &str, value: &str) -> bool {
    generated
        .lines()
        .any(|l| l.split_whitespace().collect::<Vec<_>>() == [attribute, "=", value])
}
