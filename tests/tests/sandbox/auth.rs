//! EKS authentication for real: `k8s-aws-v1.` tokens minted with the AWS SigV4 presigner are accepted by
//! the API server for the sandbox cluster and rejected with 401 otherwise.

use std::time::{Duration, SystemTime};

use hub_acceptance::sandbox::{EksToken, Sandbox};
use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams, PostParams};

use crate::support::{api_status, sandbox};

/// Lists namespaces with `token`; returns the HTTP status (200 on success).
async fn list_namespaces_status(sb: &Sandbox, token: &str) -> u16 {
    let client = sb.kube_client_with_token(token).await.expect("client");
    match Api::<Namespace>::all(client)
        .list(&ListParams::default().limit(1))
        .await
    {
        Ok(_) => 200,
        Err(e) => api_status(&e).unwrap_or_else(|| panic!("non-API error: {e}")),
    }
}

/// Who the API server thinks the token is: (username, groups).
async fn whoami(sb: &Sandbox, token: &str) -> (String, Vec<String>) {
    let client = sb.kube_client_with_token(token).await.expect("client");
    let review = Api::<SelfSubjectReview>::all(client)
        .create(&PostParams::default(), &SelfSubjectReview::default())
        .await
        .expect("SelfSubjectReview");
    let user = review.status.and_then(|s| s.user_info).unwrap_or_default();
    (user.username.unwrap_or_default(), user.groups.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_for_the_sandbox_cluster_are_accepted() {
    let Some(sb) = sandbox() else { return };
    let token = sb.eks_token().mint().expect("mint");
    assert_eq!(list_namespaces_status(sb, &token).await, 200);
    let (user, groups) = whoami(sb, &token).await;
    assert_eq!(user, "arn:aws:iam::123456789012:user/moto");
    assert!(groups.iter().any(|g| g == "system:masters"), "{groups:?}");

    // Signed for the sandbox's own AWS endpoint (what an SDK with AWS_ENDPOINT_URL produces).
    let mut local = sb.eks_token();
    local.sts_url = sb.aws_endpoint();
    assert_eq!(list_namespaces_status(sb, &local.mint().expect("mint")).await, 200);

    // EKS honours a token for 15 minutes whatever X-Amz-Expires says.
    let mut aged = sb.eks_token();
    aged.time = SystemTime::now() - Duration::from_secs(10 * 60);
    assert_eq!(list_namespaces_status(sb, &aged.mint().expect("mint")).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_of_assumed_role_credentials_map_to_the_role() {
    let Some(sb) = sandbox() else { return };
    let scope = sb.scope("assumed-role");
    let aws = sb.aws_config_with(scope.aws_credentials()).await;
    let role = format!("{}deployer", scope.iam_prefix());
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
    let iam = aws_sdk_iam::Client::new(&aws);
    let created = iam
        .create_role()
        .role_name(&role)
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("create role");
    let arn = created.role().map(|r| r.arn().to_owned()).expect("role arn");
    let creds = aws_sdk_sts::Client::new(&aws)
        .assume_role()
        .role_arn(&arn)
        .role_session_name("ci")
        .send()
        .await
        .expect("assume role")
        .credentials
        .expect("credentials");
    let mut t = EksToken::new(
        &sb.cluster_name(),
        creds.access_key_id(),
        creds.secret_access_key(),
        "us-east-1",
    );
    t.session_token = Some(creds.session_token().to_owned());
    let token = t.mint().expect("mint");
    let (user, groups) = whoami(sb, &token).await;
    assert_eq!(user, arn, "canonical role ARN (session dropped)");
    assert!(groups.iter().any(|g| g == "system:masters"));
    // Forge: right key ID, wrong secret.
    let mut forged = t.clone();
    forged.secret_access_key = "not-the-secret".to_owned();
    assert_eq!(list_namespaces_status(sb, &forged.mint().expect("mint")).await, 401);
    scope
        .cleanup(&sb.kube_client().await.expect("client"), &aws)
        .await
        .expect("cleanup");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_are_rejected_with_401() {
    let Some(sb) = sandbox() else { return };

    let mut other_cluster = sb.eks_token();
    other_cluster.cluster = "some-other-cluster".to_owned();
    assert_eq!(
        list_namespaces_status(sb, &other_cluster.mint().expect("mint")).await,
        401,
        "other cluster"
    );

    let mut expired = sb.eks_token();
    expired.time = SystemTime::now() - Duration::from_secs(16 * 60);
    assert_eq!(
        list_namespaces_status(sb, &expired.mint().expect("mint")).await,
        401,
        "expired"
    );

    let mut wrong_service = sb.eks_token();
    wrong_service.service = "eks".to_owned();
    assert_eq!(
        list_namespaces_status(sb, &wrong_service.mint().expect("mint")).await,
        401,
        "signed for eks"
    );

    let mut unknown_key = sb.eks_token();
    unknown_key.access_key_id = "AKIAUNKNOWNKEY000000".to_owned();
    assert_eq!(
        list_namespaces_status(sb, &unknown_key.mint().expect("mint")).await,
        401,
        "unknown key"
    );

    let mut foreign_host = sb.eks_token();
    foreign_host.sts_url = "https://sts.example.com".to_owned();
    assert_eq!(
        list_namespaces_status(sb, &foreign_host.mint().expect("mint")).await,
        401,
        "not an STS host"
    );

    assert_eq!(
        list_namespaces_status(sb, "k8s-aws-v1.bm90LWEtdXJs").await,
        401,
        "garbage"
    );
}
