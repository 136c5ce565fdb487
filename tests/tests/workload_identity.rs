//! hub-workload's `/identity` through the whole IRSA chain on the local plane: `hub_irsa_binding` makes the
//! role, `hub_app` (with `service_account = { irsa = … }`) makes the annotated service account, the API
//! server issues that account a token (TokenRequest, audience `sts.amazonaws.com`), and the workload, given
//! exactly what the EKS pod identity webhook injects (`AWS_ROLE_ARN`, `AWS_WEB_IDENTITY_TOKEN_FILE`),
//! exchanges it at STS (moto) and checks its grants. moto verifies neither the token nor IAM policies, so
//! the test also checks the token's claims against the generated trust policy, condition by condition.

use base64::Engine;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_workspace, block_on, err, expect, provider_block, sandbox, with_kube};
use hub_acceptance::tf;
use hub_acceptance::workload_process::Workload;
use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;
use kube::api::PostParams;
use serde_json::Value;

const SECRET_VALUE: &str = "db-password-never-shown";
const PARAMETER_VALUE: &str = "flag-value-never-shown";

fn config(ns: &str, role: &str) -> String {
    format!(
        r#"{provider}
resource "hub_namespace" "ns" {{
  name = {ns:?}
}}
resource "hub_irsa_binding" "api" {{
  cluster_name    = "hub-sandbox"
  namespace       = hub_namespace.ns.name
  service_account = "api"
  role_name       = {role:?}
  s3_buckets      = [{{ bucket = "my-app-bucket", prefixes = ["config/"] }}]
  secrets_manager = {{ name_prefixes = ["/my-app/"] }}
  ssm_parameters  = {{ paths = ["/my-app"] }}
}}
resource "hub_app" "api" {{
  name            = "api"
  namespace       = hub_namespace.ns.name
  image           = "hub-workload:1.0"
  replicas        = 1
  service_account = {{ irsa = hub_irsa_binding.api }}
}}
"#,
        provider = provider_block("  region = \"us-east-1\"\n")
    )
}

/// What the app's grants point at: an object, a secret and a parameter under `/my-app/`.
async fn seed_aws() -> tf::Result<()> {
    let conf = sandbox().aws_config().await;
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
    let _ = s3.create_bucket().bucket("my-app-bucket").send().await;
    s3.put_object()
        .bucket("my-app-bucket")
        .key("config/app.json")
        .body(b"{\"mode\":\"fast\"}".to_vec().into())
        .send()
        .await
        .map_err(|e| err(format!("{e:?}")))?;
    let sm = aws_sdk_secretsmanager::Client::new(&conf);
    let _ = sm
        .create_secret()
        .name("/my-app/db")
        .secret_string(SECRET_VALUE)
        .send()
        .await;
    let ssm = aws_sdk_ssm::Client::new(&conf);
    ssm.put_parameter()
        .name("/my-app/flag")
        .value(PARAMETER_VALUE)
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .overwrite(true)
        .send()
        .await
        .map_err(|e| err(format!("{e:?}")))?;
    Ok(())
}

fn claims(jwt: &str) -> tf::Result<Value> {
    let payload = jwt.split('.').nth(1).ok_or_else(|| err("token is not a JWT"))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(err)?;
    serde_json::from_slice(&bytes).map_err(err)
}

#[test]
fn acc_workload_identity_through_irsa_binding_and_token_request() -> tf::Result<()> {
    let scope = Scope::new("wl-identity");
    let ns = scope.name("apps");
    let role = format!("{}api", scope.iam_prefix());
    let ws = aws_workspace(tf::opentofu()?, &scope)?;
    ws.config(&config(&ns, &role))?;
    ws.apply()?.ok()?;
    let state = ws.state()?;
    let binding = state.resource("hub_irsa_binding.api")?;
    let arn = binding.str("role_arn")?.to_owned();
    let trust: Value = serde_json::from_str(binding.str("trust_policy")?).map_err(err)?;
    block_on(seed_aws())?;

    // The token the kubelet would project into the pod.
    let n = ns.clone();
    let token = with_kube(|c| async move {
        let request = TokenRequest {
            spec: TokenRequestSpec {
                audiences: vec!["sts.amazonaws.com".into()],
                expiration_seconds: Some(3600),
                ..Default::default()
            },
            ..Default::default()
        };
        Api::<ServiceAccount>::namespaced(c, &n)
            .create_token_request("api", &PostParams::default(), &request)
            .await
    })?
    .status
    .map(|s| s.token)
    .unwrap_or_default();

    // Condition by condition, what AWS STS would check against the trust policy.
    let claims = claims(&token)?;
    let statement = &trust["Statement"][0];
    let federated = statement["Principal"]["Federated"].as_str().unwrap_or_default();
    let issuer = claims["iss"]
        .as_str()
        .unwrap_or_default()
        .trim_start_matches("https://")
        .to_owned();
    expect(
        federated.ends_with(&format!("oidc-provider/{issuer}")),
        &format!("{federated} trusts {issuer}"),
    )?;
    let conditions = &statement["Condition"]["StringEquals"];
    expect(
        conditions[format!("{issuer}:sub")] == claims["sub"],
        &format!("sub matches: {claims} vs {conditions}"),
    )?;
    expect(
        conditions[format!("{issuer}:aud")] == "sts.amazonaws.com" && claims["aud"][0] == "sts.amazonaws.com",
        &format!("aud matches: {claims} vs {conditions}"),
    )?;

    let dir = tempfile::tempdir().map_err(err)?;
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, &token).map_err(err)?;
    let workload = Workload::start(
        &[
            ("AWS_ROLE_ARN", arn.clone()),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.display().to_string()),
            ("AWS_ROLE_SESSION_NAME", "api-pod".into()),
            (
                "HUB_GRANTS",
                "s3://my-app-bucket/config/app.json,secretsmanager:/my-app/db,ssm:/my-app/flag".into(),
            ),
        ],
        dir.path(),
    )?;
    let (status, identity) = workload.identity()?;
    expect(status == 200, &format!("every grant works: {identity:#}"))?;
    expect(
        identity["credentials"] == "web-identity",
        "credentials from the web-identity token",
    )?;
    let want = arn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/api-pod";
    expect(
        identity["caller"]["arn"] == want.as_str(),
        &format!("assumed {want}: {identity:#}"),
    )?;
    for secret in [SECRET_VALUE, PARAMETER_VALUE] {
        expect(!identity.to_string().contains(secret), "no secret value in /identity")?;
    }
    ws.destroy()?.ok()?;
    Ok(())
}
