//! The AWS side: EKS DescribeCluster describes the local API server (endpoint, a CA that validates its
//! serving certificate, an AWS-shaped issuer with an IAM OIDC provider), and the fault proxy injects
//! throttling and 5xx errors on demand.

use std::sync::Arc;

use aws_config::retry::RetryConfig;
use base64::Engine as _;
use hub_acceptance::sandbox::{FaultConfig, Sandbox};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, ServerName};

use crate::support::sandbox;

/// TLS handshake with the API server trusting only `ca_pem`.
async fn handshake(endpoint: &str, ca_pem: &[u8]) -> Result<(), String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem) {
        roots.add(cert.map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let authority = endpoint.trim_start_matches("https://").trim_end_matches('/');
    let (host, _) = authority.rsplit_once(':').ok_or("endpoint without port")?;
    let tcp = tokio::net::TcpStream::connect(authority)
        .await
        .map_err(|e| e.to_string())?;
    let name = ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
    tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describe_cluster_returns_the_local_endpoint_ca_and_issuer() {
    let Some(sb) = sandbox() else { return };
    let aws = sb.aws_config().await;
    let cluster = aws_sdk_eks::Client::new(&aws)
        .describe_cluster()
        .name(sb.cluster_name())
        .send()
        .await
        .expect("DescribeCluster")
        .cluster
        .expect("cluster");
    let endpoint = cluster.endpoint().expect("endpoint").to_owned();
    assert_eq!(endpoint, sb.api_server_url());
    assert_eq!(cluster.status().map(|s| s.as_str()), Some("ACTIVE"));

    let ca_b64 = cluster.certificate_authority().and_then(|c| c.data()).expect("CA data");
    let ca_pem = base64::engine::general_purpose::STANDARD
        .decode(ca_b64)
        .expect("CA is base64");
    assert!(
        ca_pem.starts_with(b"-----BEGIN CERTIFICATE-----"),
        "CA is a PEM certificate"
    );
    handshake(&endpoint, &ca_pem)
        .await
        .expect("the CA validates the API server's certificate");
    // Negative control: another CA must not validate it.
    let other = rcgen::generate_simple_self_signed(vec!["other-ca".to_owned()]).expect("other CA");
    assert!(
        handshake(&endpoint, other.cert.pem().as_bytes()).await.is_err(),
        "an unrelated CA is rejected"
    );

    let issuer = cluster
        .identity()
        .and_then(|i| i.oidc())
        .and_then(|o| o.issuer())
        .expect("issuer")
        .to_owned();
    assert_eq!(issuer, sb.oidc_issuer());
    let id = issuer
        .strip_prefix("https://oidc.eks.us-east-1.amazonaws.com/id/")
        .expect("AWS-shaped issuer");
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)),
        "{id}"
    );

    let iam = aws_sdk_iam::Client::new(&aws);
    let providers = iam
        .list_open_id_connect_providers()
        .send()
        .await
        .expect("ListOpenIDConnectProviders");
    let want = format!(
        "arn:aws:iam::123456789012:oidc-provider/{}",
        issuer.trim_start_matches("https://")
    );
    assert!(
        providers
            .open_id_connect_provider_list()
            .iter()
            .any(|p| p.arn() == Some(want.as_str())),
        "{want} in {:?}",
        providers.open_id_connect_provider_list()
    );
    let provider = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&want)
        .send()
        .await
        .expect("get");
    assert_eq!(provider.client_id_list(), ["sts.amazonaws.com"]);

    // Build a client exactly as the provider would from EKS: endpoint + CA + token.
    let token = sb.eks_token().mint().expect("mint");
    let client = hub_acceptance::sandbox::kube_client::with_ca(
        &endpoint,
        std::str::from_utf8(&ca_pem).expect("utf8"),
        Some(&token),
    )
    .await
    .expect("client");
    Api::<Namespace>::all(client)
        .list(&ListParams::default().limit(1))
        .await
        .expect("list namespaces");
}

/// An IAM client with retries off, so injected errors surface.
async fn iam_without_retries(sb: &Sandbox, creds: aws_credential_types::Credentials) -> aws_sdk_iam::Client {
    let conf = sb.aws_config_with(creds).await;
    let conf = aws_sdk_iam::config::Builder::from(&conf)
        .retry_config(RetryConfig::disabled())
        .build();
    aws_sdk_iam::Client::from_conf(conf)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_proxy_injects_throttling_and_server_errors() {
    let Some(sb) = sandbox() else { return };
    let scope = sb.scope("faults");
    let creds = scope.aws_credentials();
    let key = creds.access_key_id().to_owned();
    let faults = sb.faults();
    // Only this test's traffic is affected (parallel tests use other keys).
    let base = FaultConfig {
        access_key_ids: vec![key.clone()],
        ..Default::default()
    };
    faults
        .set(&FaultConfig {
            throttle_next: 1,
            server_error_next: 1,
            server_error_status: 503,
            ..base.clone()
        })
        .await
        .expect("set faults");
    let iam = iam_without_retries(sb, creds.clone()).await;
    let e = iam.list_roles().send().await.expect_err("throttled");
    let meta = aws_sdk_iam::error::ProvideErrorMetadata::meta(&e);
    assert_eq!(meta.code(), Some("Throttling"), "{e:?}");
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(400));
    let e = iam.list_roles().send().await.expect_err("5xx");
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(503));
    assert_eq!(
        aws_sdk_iam::error::ProvideErrorMetadata::meta(&e).code(),
        Some("ServiceUnavailable")
    );
    iam.list_roles().send().await.expect("forwarded again");

    // The SDK's standard retries ride through injected throttling.
    faults
        .set(&FaultConfig {
            throttle_next: 2,
            ..base.clone()
        })
        .await
        .expect("set faults");
    let retrying = aws_sdk_iam::Client::new(&sb.aws_config_with(creds.clone()).await);
    retrying.list_roles().send().await.expect("succeeds after 2 retries");

    // Rates: 50 % 500s, seeded, on EKS (rest-json error shape).
    faults
        .set(&FaultConfig {
            server_error_rate: 0.5,
            seed: Some(7),
            services: vec!["eks".to_owned()],
            ..base.clone()
        })
        .await
        .expect("set faults");
    let eks = aws_sdk_eks::Client::from_conf(
        aws_sdk_eks::config::Builder::from(&sb.aws_config_with(creds).await)
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let mut failed: u64 = 0;
    for _ in 0..20 {
        if let Err(e) = eks.list_clusters().send().await {
            assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(500));
            assert_eq!(
                aws_sdk_eks::error::ProvideErrorMetadata::meta(&e).code(),
                Some("ServerException")
            );
            failed += 1;
        }
    }
    assert!((4..=16).contains(&failed), "{failed} of 20 failed at rate 0.5");
    let status = faults.status().await.expect("status");
    assert!(
        status.stats.throttled >= 3 && status.stats.server_errors > failed,
        "{:?}",
        status.stats
    );
    faults.set(&FaultConfig::default()).await.expect("clear");
}
