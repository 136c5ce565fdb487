//! The least IAM hub needs for `hub_irsa_binding`: the policy users are given in
//! `examples/permissions/iam-policy.json` (documented in `docs/permissions.md`), attached to an IAM user of
//! a moto server of this test's own running in IAM-authorization mode (the shared plane's moto must stay
//! open for every other test). With exactly that policy, apply, an empty plan, an update and destroy work;
//! without `iam:PutRolePolicy`, the apply fails with a message naming that action.

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

/// The documented policy's actions, without `drop`. moto evaluates the Action element only: a statement
/// whose Resource is not `*` never matches there (its access_control.py: "TODO add support for the
/// Resource and Condition parts"), so Resources become `*` and the role-prefix scoping is not tested here.
fn policy(drop: &[&str]) -> tf::Result<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/permissions/iam-policy.json");
    let text = std::fs::read_to_string(path).map_err(err)?;
    let mut doc: Value = serde_json::from_str(&text).map_err(err)?;
    for statement in doc["Statement"].as_array_mut().into_iter().flatten() {
        statement["Resource"] = Value::from("*");
        if let Some(actions) = statement["Action"].as_array_mut() {
            actions.retain(|a| !drop.iter().any(|d| a == d));
        }
    }
    Ok(doc.to_string())
}

/// Creates the user with `policy` and an access key; returns (key id, secret).
async fn deployer(admin: &aws_sdk_iam::Client, policy: &str) -> tf::Result<(String, String)> {
    admin.create_user().user_name(USER).send().await.map_err(err)?;
    admin
        .put_user_policy()
        .user_name(USER)
        .policy_name("hub")
        .policy_document(policy)
        .send()
        .await
        .map_err(err)?;
    let key = admin.create_access_key().user_name(USER).send().await.map_err(err)?;
    let key = key.access_key().ok_or_else(|| tf::Error::assertion("no access key"))?;
    Ok((key.access_key_id().to_owned(), key.secret_access_key().to_owned()))
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

fn config(buckets: &str) -> String {
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
  verify                   = false
  annotate_service_account = false
}}
"#,
        provider_block("  region = \"us-east-1\"\n")
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
    // The full policy: the whole lifecycle works.
    let moto = start_moto()?;
    let (key, secret) = block_on(async {
        let admin = iam(&moto.url, "AKIAADMIN", "admin-secret").await;
        deployer(&admin, &policy(&[])?).await
    })?;
    authorization_on(&moto.url)?;
    let ws = workspace(&moto.url, &key, &secret)?;
    ws.config(&config(r#"{ bucket = "reports" }"#))?;
    ws.apply()?.ok()?;
    ws.plan()?.expect_empty()?;
    ws.config(&config(
        r#"{ bucket = "reports" }, { bucket = "exports", access = "read-write" }"#,
    ))?;
    ws.apply()?.ok()?;
    ws.plan()?.expect_empty()?;
    ws.destroy()?.ok()?;
    drop(moto);

    // Without iam:PutRolePolicy: refused, and the message names the action.
    let moto = start_moto()?;
    let (key, secret) = block_on(async {
        let admin = iam(&moto.url, "AKIAADMIN", "admin-secret").await;
        deployer(&admin, &policy(&["iam:PutRolePolicy"])?).await
    })?;
    authorization_on(&moto.url)?;
    let ws = workspace(&moto.url, &key, &secret)?;
    ws.config(&config(r#"{ bucket = "reports" }"#))?;
    let failed = ws.apply_err()?;
    let text: String = failed
        .diagnostics()
        .errors()
        .map(|d| format!("{}: {}\n", d.summary, d.detail))
        .collect();
    expect(
        text.contains("iam:PutRolePolicy"),
        &format!("the error names the missing action: {text}"),
    )?;
    Ok(())
}
