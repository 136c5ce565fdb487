//! hub-workload's `/identity` through the whole EKS Pod Identity chain on the local plane:
//! `hub_irsa_binding` (`mechanism = "pod_identity"`) makes the role and the association, the API server
//! issues a pod of the service account its projected token (TokenRequest bound to the pod, audience
//! `pods.eks.amazonaws.com`), and the workload, given exactly what EKS injects into such a pod
//! (`AWS_CONTAINER_CREDENTIALS_FULL_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`), gets credentials from
//! an agent stand-in on 127.0.0.1, which exchanges the token at the sandbox's EKS Auth stand-in (token,
//! association and trust policy checked there). `/identity` must name the mechanism and the role.

use hub_acceptance::pod_identity_agent::Agent;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{
    aws_workspace, block_on, err, expect, namespace_with_account, pod_as, provider_block, sandbox, with_kube,
};
use hub_acceptance::tf;
use hub_acceptance::workload_process::Workload;
use k8s_openapi::api::authentication::v1::{BoundObjectReference, TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{Pod, ServiceAccount};
use kube::Api;
use kube::api::PostParams;

const BUCKET: &str = "pod-identity-bucket";

fn config(ns: &str, role: &str) -> String {
    format!(
        r#"{provider}
resource "hub_irsa_binding" "api" {{
  mechanism       = "pod_identity"
  cluster_name    = "hub-sandbox"
  namespace       = {ns:?}
  service_account = "api"
  role_name       = {role:?}
  s3_buckets      = [{{ bucket = {BUCKET:?}, prefixes = ["config/"] }}]
}}
"#,
        provider = provider_block("  region = \"us-east-1\"\n")
    )
}

/// The token the kubelet projects into a pod of `ns/api` for the agent.
fn pod_token(ns: &str) -> tf::Result<String> {
    let ns = ns.to_owned();
    let token = with_kube(|c| async move {
        let pod = Api::<Pod>::namespaced(c.clone(), &ns).get("api-0").await?;
        let request = TokenRequest {
            spec: TokenRequestSpec {
                audiences: vec!["pods.eks.amazonaws.com".into()],
                expiration_seconds: Some(3600),
                bound_object_ref: Some(BoundObjectReference {
                    api_version: Some("v1".into()),
                    kind: Some("Pod".into()),
                    name: pod.metadata.name.clone(),
                    uid: pod.metadata.uid.clone(),
                }),
            },
            ..Default::default()
        };
        Api::<ServiceAccount>::namespaced(c, &ns)
            .create_token_request("api", &PostParams::default(), &request)
            .await
    })?;
    Ok(token.status.map(|s| s.token).unwrap_or_default())
}

#[test]
fn acc_workload_identity_through_pod_identity_agent() -> tf::Result<()> {
    let scope = Scope::new("wl-podid");
    let ns = namespace_with_account(&scope, "apps", "api")?;
    pod_as(&ns, "api")?;
    let role = format!("{}api", scope.iam_prefix());
    let ws = aws_workspace(tf::opentofu()?, &scope)?;
    ws.config(&config(&ns, &role))?;
    ws.apply()?.ok()?;
    block_on(async {
        let conf = sandbox().aws_config().await;
        let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
        let _ = s3.create_bucket().bucket(BUCKET).send().await;
        s3.put_object()
            .bucket(BUCKET)
            .key("config/app.json")
            .body(b"{}".to_vec().into())
            .send()
            .await
            .map(drop)
            .map_err(|e| err(format!("{e:?}")))
    })?;

    let dir = tempfile::tempdir().map_err(err)?;
    let token_file = dir.path().join("eks-pod-identity-token");
    std::fs::write(&token_file, pod_token(&ns)?).map_err(err)?;
    let agent = Agent::start("hub-sandbox", block_on(sandbox().aws_config())).map_err(err)?;
    let workload = Workload::start(
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.url()),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                token_file.display().to_string(),
            ),
            ("HUB_GRANTS", format!("s3://{BUCKET}/config/app.json")),
        ],
        dir.path(),
    )?;
    let (status, identity) = workload.identity()?;
    expect(
        status == 200,
        &format!("the caller is known and the grant works: {identity:#}"),
    )?;
    expect(
        identity["mechanism"] == "pod_identity" && identity["credentials"] == "container",
        &format!("Pod Identity's container credentials: {identity:#}"),
    )?;
    expect(
        identity["caller"]["role"] == role.as_str(),
        &format!("the binding's role {role}: {identity:#}"),
    )?;
    let session = format!("arn:aws:sts::123456789012:assumed-role/{role}/eks-hub-sandbox-api-0-");
    expect(
        identity["caller"]["arn"]
            .as_str()
            .is_some_and(|a| a.starts_with(&session)),
        &format!("a session EKS Auth named after the cluster and pod ({session}…): {identity:#}"),
    )?;
    expect(agent.served() >= 1, "the credentials came through the agent")?;
    drop(agent);
    ws.destroy()?.ok()?;
    block_on(async {
        let sb = sandbox();
        let c = sb.kube_client().await.map_err(err)?;
        scope.cleanup(&c, &sb.aws_config().await).await.map_err(err)
    })
}
