//! The least IAM hub needs for `hub_irsa_binding`: the policy users are given in
//! `examples/permissions/iam-policy.json` (documented in `docs/permissions.md`), attached to an IAM user of
//! a moto server of this test's own running in IAM-authorization mode (the shared plane's moto must stay
//! open for every other test). With exactly that policy, a binding with the documented permissions
//! boundary is created, repaired, updated and destroyed; removing its boundary is denied; without
//! `iam:PutRolePolicy`, the apply fails with a message naming that action. moto evaluates only the Action
//! element, so the `iam:PermissionsBoundary` conditions are checked by reading the policy instead.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use http::Method;
use hub_acceptance::sandbox::httpc;
use hub_acceptance::sandbox::ports::free_ports;
use hub_acceptance::sandbox::tools::ensure_tool;
use hub_acceptance::support::{block_on, err, expect, provider_block, sandbox};
use hub_acceptance::tf::{self, Workspace};
use serde_json::Value;

const ACCOUNT: &str = "123456789012";
const PREFIX: &str = "least-iam-";
const USER: &str = "hub-deployer";
/// Someone else with every IAM permission, for out-of-band changes once authorization is on.
const OPERATOR: &str = "operator";
/// The boundary the documented policy names.
const BOUNDARY: &str = "arn:aws:iam::123456789012:policy/my-app-irsa-boundary";
/// What creates a role or widens what a role may do: allowed only with the boundary.
const NEED_BOUNDARY: &[&str] = &[
    "iam:CreateRole",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:PutRolePermissionsBoundary",
];

/// A moto server of this test's own; killed on drop.
struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_moto() -> tf::Result<Moto> {
    let venv = ensure_tool("moto").map_err(err)?;
    let port = free_ports(1).map_err(err)?[0];
    let child = Command::new(venv.join("bin").join("moto_server"))
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(err)?;
    let moto = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(tf::Error::assertion("moto did not start listening within 30 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(moto)
}

async fn iam(url: &str, key: &str, secret: &str) -> aws_sdk_iam::Client {
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(Credentials::new(key, secret, None, None, "least-privilege"))
        .load()
        .await;
    aws_sdk_iam::Client::new(&conf)
}

fn documented_policy() -> tf::Result<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/permissions/iam-policy.json");
    let text = std::fs::read_to_string(path).map_err(err)?;
    serde_json::from_str(&text).map_err(err)
}

/// The documented policy's actions, without `drop`. moto evaluates the Action element only: a statement
/// whose Resource is not `*` never matches there (its access_control.py: "TODO add support for the
/// Resource and Condition parts"), so Resources become `*` and the role-prefix scoping is not tested here;
/// the Conditions stay but moto ignores them (any boundary, or none, would pass).
fn policy(drop: &[&str]) -> tf::Result<String> {
    let mut doc = documented_policy()?;
    for statement in doc["Statement"].as_array_mut().into_iter().flatten() {
        statement["Resource"] = Value::from("*");
        if let Some(actions) = statement["Action"].as_array_mut() {
            actions.retain(|a| !drop.iter().any(|d| a == d));
        }
    }
    Ok(doc.to_string())
}

/// Creates the user `name` with `policy` and an access key; returns (key id, secret).
async fn user(admin: &aws_sdk_iam::Client, name: &str, policy: &str) -> tf::Result<(String, String)> {
    admin.create_user().user_name(name).send().await.map_err(err)?;
    admin
        .put_user_policy()
        .user_name(name)
        .policy_name("hub")
        .policy_document(policy)
        .send()
        .await
        .map_err(err)?;
    let key = admin.create_access_key().user_name(name).send().await.map_err(err)?;
    let key = key.access_key().ok_or_else(|| tf::Error::assertion("no access key"))?;
    Ok((key.access_key_id().to_owned(), key.secret_access_key().to_owned()))
}

/// The deployer with `policy`, the boundary policy, and an operator allowed everything; returns the
/// (key id, secret) of the deployer and of the operator.
async fn accounts(admin: &aws_sdk_iam::Client, policy: &str) -> tf::Result<[(String, String); 2]> {
    let boundary = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket","s3:PutObject"],"Resource":"*"}]}"#;
    admin
        .create_policy()
        .policy_name("my-app-irsa-boundary")
        .policy_document(boundary)
        .send()
        .await
        .map_err(err)?;
    let everything = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    Ok([
        user(admin, USER, policy).await?,
        user(admin, OPERATOR, everything).await?,
    ])
}

/// The live role's permissions boundary and tag keys, read as the operator.
fn live_role(url: &str, operator: &(String, String)) -> tf::Result<(Option<String>, Vec<String>)> {
    block_on(async {
        let out = iam(url, &operator.0, &operator.1)
            .await
            .get_role()
            .role_name(format!("{PREFIX}api"))
            .send()
            .await
            .map_err(err)?;
        let role = out
            .role()
            .ok_or_else(|| tf::Error::assertion("GetRole returned no role"))?;
        Ok((
            role.permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn())
                .map(str::to_owned),
            role.tags().iter().map(|t| t.key().to_owned()).collect(),
        ))
    })
}

/// Switches moto's IAM authorization on: from now on every request is checked against IAM policies.
fn authorization_on(url: &str) -> tf::Result<()> {
    let url = format!("{url}/moto-api/reset-auth");
    let headers = [("Content-Type", "text/plain")];
    let response = block_on(httpc::send(
        Method::POST,
        &url,
        &headers,
        b"0".to_vec(),
        Duration::from_secs(10),
    ));
    expect(
        response.map_err(err)?.status.is_success(),
        "moto's IAM authorization mode switches on",
    )
}

fn config(buckets: &str, boundary: Option<&str>) -> String {
    let oidc = format!(
        "arn:aws:iam::{ACCOUNT}:oidc-provider/{}",
        sandbox().oidc_issuer().trim_start_matches("https://")
    );
    format!(
        r#"{}
resource "hub_irsa_binding" "api" {{
  oidc_provider_arn        = {oidc:?}
  namespace                = "payments"
  service_account          = "api"
  role_name                = "{PREFIX}api"
  s3_buckets               = [{buckets}]
  tags                     = {{ team = "payments" }}
  permissions_boundary     = {boundary}
  verify                   = false
  annotate_service_account = false
}}
"#,
        provider_block("  region = \"us-east-1\"\n"),
        boundary = boundary.map_or("null".to_owned(), |b| format!("{b:?}")),
    )
}

fn workspace(url: &str, key: &str, secret: &str) -> tf::Result<Workspace> {
    let mut ws = Workspace::new(tf::opentofu()?)?;
    ws.set_env("AWS_ENDPOINT_URL", url)
        .set_env("AWS_ACCESS_KEY_ID", key)
        .set_env("AWS_SECRET_ACCESS_KEY", secret)
        .set_env("AWS_REGION", "us-east-1")
        .set_env("AWS_EC2_METADATA_DISABLED", "true");
    Ok(ws)
}

#[test]
fn acc_documented_iam_policy_is_enough_and_a_missing_action_is_named() -> tf::Result<()> {
    // The full policy: the whole lifecycle of a bounded role works.
    let moto = start_moto()?;
    let [deployer, operator] = block_on(async {
        let admin = iam(&moto.url, "AKIAADMIN", "admin-secret").await;
        accounts(&admin, &policy(&[])?).await
    })?;
    authorization_on(&moto.url)?;
    let ws = workspace(&moto.url, &deployer.0, &deployer.1)?;
    ws.config(&config(r#"{ bucket = "reports" }"#, Some(BOUNDARY)))?;
    ws.apply()?.ok()?;
    ws.plan()?.expect_empty()?;
    let (boundary, tags) = live_role(&moto.url, &operator)?;
    expect(
        boundary.as_deref() == Some(BOUNDARY),
        &format!("CreateRole set the boundary: {boundary:?}"),
    )?;
    expect(
        tags.iter().any(|k| k == "hub:managed-by") && tags.iter().any(|k| k == "hub:binding"),
        &format!("CreateRole wrote hub's tags: {tags:?}"),
    )?;

    // The boundary removed out of band: the plan shows it, the apply puts it back.
    block_on(async {
        iam(&moto.url, &operator.0, &operator.1)
            .await
            .delete_role_permissions_boundary()
            .role_name(format!("{PREFIX}api"))
            .send()
            .await
            .map_err(err)
    })?;
    let plan = ws.plan()?;
    plan.resource_change("hub_irsa_binding.api")?
        .expect_actions(&[tf::Action::Update])?;
    ws.apply_plan()?.ok()?;
    expect(
        live_role(&moto.url, &operator)?.0.as_deref() == Some(BOUNDARY),
        "PutRolePermissionsBoundary restored the boundary",
    )?;
    ws.plan()?.expect_empty()?;

    ws.config(&config(
        r#"{ bucket = "reports" }, { bucket = "exports", access = "read-write" }"#,
        Some(BOUNDARY),
    ))?;
    ws.apply()?.ok()?;
    ws.plan()?.expect_empty()?;

    // The policy denies removing the boundary: refused, named, and the boundary stays.
    ws.config(&config(r#"{ bucket = "reports" }"#, None))?;
    let failed = ws.apply_err()?;
    let text = failed.diagnostics().error_text();
    expect(
        text.contains("iam:DeleteRolePermissionsBoundary"),
        &format!("the error names the denied action: {text}"),
    )?;
    expect(
        live_role(&moto.url, &operator)?.0.as_deref() == Some(BOUNDARY),
        "the boundary is still set",
    )?;
    ws.config(&config(r#"{ bucket = "reports" }"#, Some(BOUNDARY)))?;
    ws.destroy()?.ok()?;
    drop(moto);

    // Without iam:PutRolePolicy: refused, and the message names the action.
    let moto = start_moto()?;
    let [deployer, _] = block_on(async {
        let admin = iam(&moto.url, "AKIAADMIN", "admin-secret").await;
        accounts(&admin, &policy(&["iam:PutRolePolicy"])?).await
    })?;
    authorization_on(&moto.url)?;
    let ws = workspace(&moto.url, &deployer.0, &deployer.1)?;
    ws.config(&config(r#"{ bucket = "reports" }"#, Some(BOUNDARY)))?;
    let text = ws.apply_err()?.diagnostics().error_text();
    expect(
        text.contains("iam:PutRolePolicy"),
        &format!("the error names the missing action: {text}"),
    )?;
    Ok(())
}

/// What moto cannot check, read from the document: every action that creates a role or widens what it may
/// do is allowed only by statements conditioned on the boundary `iam:PermissionsBoundary`, and removing a
/// role's boundary is denied.
#[test]
fn documented_iam_policy_grants_roles_only_within_the_boundary() -> tf::Result<()> {
    let doc = documented_policy()?;
    let statements = doc["Statement"].as_array().cloned().unwrap_or_default();
    let actions = |s: &Value| -> Vec<String> {
        match &s["Action"] {
            Value::String(a) => vec![a.clone()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        }
    };
    let bounded = |s: &Value| s["Condition"]["StringEquals"]["iam:PermissionsBoundary"] == BOUNDARY;
    for action in NEED_BOUNDARY {
        let allowing: Vec<&Value> = statements
            .iter()
            .filter(|s| s["Effect"] == "Allow" && actions(s).iter().any(|a| a == action || a == "iam:*" || a == "*"))
            .collect();
        expect(
            !allowing.is_empty() && allowing.iter().all(|s| bounded(s)),
            &format!("{action} is allowed only with the boundary condition: {allowing:?}"),
        )?;
    }
    expect(
        statements
            .iter()
            .any(|s| s["Effect"] == "Deny" && actions(s).iter().any(|a| a == "iam:DeleteRolePermissionsBoundary")),
        "removing a role's boundary is denied",
    )
}

/// The EKS actions `hub_irsa_binding` calls with `mechanism = "pod_identity"` (associations, with hub's
/// ownership tags, the agent add-on and Fargate-only checks, and verification at EKS Auth).
const POD_IDENTITY_ACTIONS: &[&str] = &[
    "eks:DescribeCluster",
    "eks:DescribeAddon",
    "eks:ListNodegroups",
    "eks:ListFargateProfiles",
    "eks-auth:AssumeRoleForPodIdentity",
    "eks:ListPodIdentityAssociations",
    "eks:DescribePodIdentityAssociation",
    "eks:CreatePodIdentityAssociation",
    "eks:UpdatePodIdentityAssociation",
    "eks:DeletePodIdentityAssociation",
    "eks:TagResource",
];

/// Pod Identity under the documented policy, read from the document (neither plain moto nor its IAM
/// authorization serves the association API): every action hub calls is allowed, on the cluster or its
/// associations, and `iam:PassRole` only for roles under the prefix and only to `pods.eks.amazonaws.com`.
#[test]
fn documented_iam_policy_covers_pod_identity() -> tf::Result<()> {
    let doc = documented_policy()?;
    let statements = doc["Statement"].as_array().cloned().unwrap_or_default();
    let list = |v: &Value| -> Vec<String> {
        match v {
            Value::String(a) => vec![a.clone()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        }
    };
    let allowing = |action: &str| -> Vec<Value> {
        statements
            .iter()
            .filter(|s| s["Effect"] == "Allow" && list(&s["Action"]).iter().any(|a| a == action))
            .cloned()
            .collect()
    };
    for action in POD_IDENTITY_ACTIONS {
        let found = allowing(action);
        expect(
            found.iter().any(|s| {
                list(&s["Resource"])
                    .iter()
                    .any(|r| r.contains(":cluster/") || r.contains(":podidentityassociation/"))
            }),
            &format!("{action} is allowed on the cluster or its associations: {found:?}"),
        )?;
    }
    let pass = allowing("iam:PassRole");
    expect(
        !pass.is_empty()
            && pass.iter().all(|s| {
                s["Condition"]["StringEquals"]["iam:PassedToService"] == "pods.eks.amazonaws.com"
                    && list(&s["Resource"])
                        .iter()
                        .all(|r| r.ends_with(&format!(":role/{PREFIX_IN_DOC}*")))
            }),
        &format!("iam:PassRole only for the prefix's roles and only to Pod Identity: {pass:?}"),
    )
}

/// The role prefix the documented policy uses.
const PREFIX_IN_DOC: &str = "my-app-";
