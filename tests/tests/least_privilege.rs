//! The least Kubernetes RBAC hub needs: the ClusterRole users are given in
//! `examples/permissions/kubernetes-clusterrole.json` (documented in `docs/permissions.md`) is enough for a
//! namespace with quota, limits and default deny, an app with every optional object (its migration Job
//! too), a network policy and an IRSA binding's service-account annotation: apply, an empty plan, an
//! update and destroy all work with exactly that role; the app's Role may grant what hub's identity does
//! not hold (`escalate`, `bind`). Take one verb away and the apply stops at the refused call, with a message
//! that names the verb and the resource and says to grant it.

use std::path::Path;

use hub_acceptance::identity::Identity;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_workspace, block_on, err, expect, sandbox};
use hub_acceptance::tf::{self, Workspace};
use k8s_openapi::api::rbac::v1::ClusterRole;
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use serde_json::{Value, json};

/// The documented role, renamed for this run.
fn documented_role(name: &str) -> tf::Result<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/permissions/kubernetes-clusterrole.json");
    let text = std::fs::read_to_string(&path).map_err(err)?;
    let mut role: Value = serde_json::from_str(&text).map_err(err)?;
    role["metadata"]["name"] = json!(name);
    Ok(role)
}

/// `role` without `verb` on `resource`.
fn without(mut role: Value, resource: &str, verb: &str) -> Value {
    for rule in role["rules"].as_array_mut().into_iter().flatten() {
        if rule["resources"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x == resource))
            && let Some(verbs) = rule["verbs"].as_array_mut()
        {
            verbs.retain(|v| v != verb);
        }
    }
    role
}

fn config(identity: &Identity, ns: &str, image: &str) -> tf::Result<String> {
    config_with_role_verbs(identity, ns, image, r#""get", "list", "watch""#)
}

/// [`config`] with the app's Role granting `verbs` on ConfigMaps and Secrets.
fn config_with_role_verbs(identity: &Identity, ns: &str, image: &str, verbs: &str) -> tf::Result<String> {
    let oidc = format!(
        "arn:aws:iam::123456789012:oidc-provider/{}",
        sandbox().oidc_issuer().trim_start_matches("https://")
    );
    Ok(format!(
        r#"terraform {{
  required_providers {{
    hub = {{ source = "hub/hub" }}
  }}
}}

provider "hub" {{
{lines}  region                 = "us-east-1"
}}

resource "hub_namespace" "ns" {{
  name           = {ns:?}
  default_deny   = true
  resource_quota = {{ pods = 20, requests_cpu = "4", requests_memory = "8Gi" }}
  limit_range    = {{ default_request_cpu = "100m", default_request_memory = "128Mi" }}
}}

resource "hub_irsa_binding" "api" {{
  oidc_provider_arn = {oidc:?}
  namespace         = hub_namespace.ns.name
  service_account   = "api"
  s3_buckets        = [{{ bucket = "least-privilege" }}]
}}

resource "hub_app" "api" {{
  name              = "api"
  namespace         = hub_namespace.ns.name
  image             = {image:?}
  config            = {{ LOG_LEVEL = "info" }}
  secret_env        = {{ API_KEY = "least-privilege-secret" }}
  ingress           = {{ hosts = ["api.example.test"] }}
  autoscaling       = {{ min_replicas = 2, max_replicas = 4, cpu_percent = 70 }}
  disruption_budget = {{ max_unavailable = "1" }}
  service_account   = {{ irsa = hub_irsa_binding.api }}
  rbac = {{
    rules = [{{ api_groups = [""], resources = ["configmaps", "secrets"], verbs = [{verbs}] }}]
  }}
  rollout = {{ timeout = "120s" }}
  migration = {{ command = ["/hub-workload", "migrate"] }}
}}

resource "hub_network_policy" "api" {{
  namespace         = hub_namespace.ns.name
  name              = "api"
  pod_selector      = hub_app.api.selector
  deny_all_egress   = true
  allow_dns         = true
  enforcement_check = "off"
}}
"#,
        lines = identity.provider_lines()?,
    ))
}

async fn put_role(role: &Value) -> tf::Result<()> {
    let c = sandbox().kube_client().await.map_err(err)?;
    let roles = Api::<ClusterRole>::all(c);
    let role: ClusterRole = serde_json::from_value(role.clone()).map_err(err)?;
    let name = role.metadata.name.clone().unwrap_or_default();
    if roles.get_opt(&name).await.map_err(err)?.is_none() {
        roles.create(&PostParams::default(), &role).await.map_err(err)?;
    } else {
        let params = PatchParams::apply("least-privilege-test").force();
        roles.patch(&name, &params, &Patch::Apply(&role)).await.map_err(err)?;
    }
    Ok(())
}

#[test]
fn acc_documented_rbac_is_enough_and_a_missing_verb_is_named() -> tf::Result<()> {
    let scope = Scope::new("least");
    let role_name = scope.name("hub-deployer");
    let (id_ns, identity) = block_on(async {
        let c = sandbox().kube_client().await.map_err(err)?;
        let id_ns = scope.namespace(&c, "id").await.map_err(err)?;
        put_role(&documented_role(&role_name)?).await?;
        let identity = Identity::create(&id_ns, "hub-deployer", &role_name).await?;
        Ok::<_, tf::Error>((id_ns, identity))
    })?;
    let ns = scope.name("apps");
    let ws: Workspace = aws_workspace(tf::opentofu()?, &scope)?;
    let result = (|| {
        ws.config(&config(&identity, &ns, "hub-workload:1.0")?)?;
        ws.apply()?.ok()?;
        ws.plan()?.expect_empty()?;

        // Without `patch` on Deployments, an image change fails naming the verb and the resource.
        block_on(put_role(&without(documented_role(&role_name)?, "deployments", "patch")))?;
        ws.config(&config(&identity, &ns, "hub-workload:1.1")?)?;
        let failed = ws.apply_err()?;
        let diags = failed.diagnostics();
        let text: String = diags
            .errors()
            .map(|d| format!("{}: {}\n", d.summary, d.detail))
            .collect();
        expect(
            text.contains(r#"cannot patch resource "deployments""#) && text.contains("RBAC"),
            &format!("the error names the missing verb and resource and says to grant it: {text}"),
        )?;

        block_on(put_role(&documented_role(&role_name)?))?;
        ws.apply()?.ok()?;
        ws.plan()?.expect_empty()?;

        // The app's Role grants `update`, which hub's identity does not hold: without `escalate` on roles
        // the API server refuses the Role; with it (the documented role), the same configuration applies.
        let escalating = config_with_role_verbs(
            &identity,
            &ns,
            "hub-workload:1.1",
            r#""get", "list", "watch", "update""#,
        )?;
        block_on(put_role(&without(documented_role(&role_name)?, "roles", "escalate")))?;
        ws.config(&escalating)?;
        let failed = ws.apply_err()?;
        let text: String = failed
            .diagnostics()
            .errors()
            .map(|d| format!("{}: {}\n", d.summary, d.detail))
            .collect();
        expect(
            text.contains("Role") && text.contains("not currently held"),
            &format!("without escalate, granting what hub does not hold is refused: {text}"),
        )?;
        block_on(put_role(&documented_role(&role_name)?))?;
        ws.apply()?.ok()?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok()?;
        Ok(())
    })();
    let cleanup = block_on(async {
        identity.forget().await?;
        let c = sandbox().kube_client().await.map_err(err)?;
        let _ = Api::<ClusterRole>::all(c)
            .delete(&role_name, &DeleteParams::default())
            .await;
        Ok::<_, tf::Error>(())
    });
    let _ = id_ns;
    result.and(cleanup)
}
