//! `/identity` through IRSA against a real moto server: the binary reads a web-identity token file,
//! exchanges it at moto's STS (`AssumeRoleWithWebIdentity`), and checks grants on S3, Secrets Manager and
//! SSM. Skipped, with a message, when the cached moto build is absent (`tests/tools/build.sh moto`).

mod common;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_sts::config::{Credentials, SharedCredentialsProvider};
use common::{Workload, free_port, request};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Moto {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_binary() -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    PathBuf::from(home).join(".cache/hub/tools/moto-5.2.5/bin/moto_server")
}

fn start_moto(binary: &PathBuf) -> Moto {
    let port = free_port();
    let child = Command::new(binary)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn moto_server");
    let moto = Moto {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let probe = request(
            moto.addr,
            "GET /moto-api/ HTTP/1.1\r\nhost: moto\r\nconnection: close\r\n\r\n",
        );
        if probe.is_ok_and(|r| r.status == 200) {
            return moto;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("moto_server did not start within 30 s");
}

/// Creates the resources the grants point at, with static credentials (moto does not check them).
async fn seed(endpoint: &str) {
    let config = aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "test", "test", None, None, "test",
        )))
        .build();
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket()
        .bucket("hub-assets")
        .send()
        .await
        .expect("create bucket");
    s3.put_object()
        .bucket("hub-assets")
        .key("config/app.json")
        .body(b"{\"mode\":\"fast\"}".to_vec().into())
        .send()
        .await
        .expect("put object");
    aws_sdk_secretsmanager::Client::new(&config)
        .create_secret()
        .name("app/db")
        .secret_string("s3cr3t-value-xyz")
        .send()
        .await
        .expect("create secret");
    aws_sdk_ssm::Client::new(&config)
        .put_parameter()
        .name("/app/flag")
        .value("param-value-abc")
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .send()
        .await
        .expect("put parameter");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_through_irsa_against_moto() {
    let binary = moto_binary();
    if !binary.exists() {
        eprintln!(
            "SKIPPED identity_through_irsa_against_moto: {} not found (build it with tests/tools/build.sh moto)",
            binary.display()
        );
        return;
    }
    let moto = tokio::task::spawn_blocking(move || start_moto(&binary))
        .await
        .expect("moto");
    let endpoint = format!("http://{}", moto.addr);
    seed(&endpoint).await;

    let dir = tempfile::tempdir().expect("tempdir");
    let token = dir.path().join("token");
    // A service-account token's shape; moto does not verify signatures.
    std::fs::write(
        &token,
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXBwOmh1YiJ9.c2ln",
    )
    .expect("token");
    let token = token.display().to_string();
    let env = [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/hub-app"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.as_str()),
        ("AWS_ROLE_SESSION_NAME", "hub-workload-test"),
        (
            "HUB_GRANTS",
            "s3://hub-assets/config/app.json,s3://hub-assets/config/,secretsmanager:app/db,ssm:/app/flag,s3://hub-assets/missing.json",
        ),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let answer = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let workload = Workload::start(&env);
        workload.admin_get("/identity").expect("identity")
    })
    .await
    .expect("workload");

    let body = answer.json();
    assert_eq!(answer.status, 503, "one grant is expected to fail: {body:#}");
    assert_eq!(body["credentials"], "web-identity");
    assert_eq!(body["endpoint"], endpoint);
    assert_eq!(body["caller"]["ok"], true, "{body:#}");
    assert_eq!(
        body["caller"]["arn"], "arn:aws:sts::123456789012:assumed-role/hub-app/hub-workload-test",
        "{body:#}"
    );
    assert_eq!(body["caller"]["account"], "123456789012");
    let grants = body["grants"].as_array().expect("grants");
    let by_name = |name: &str| {
        grants
            .iter()
            .find(|g| g["grant"] == name)
            .unwrap_or_else(|| panic!("{name} missing: {body:#}"))
    };
    for ok in [
        "s3://hub-assets/config/app.json",
        "s3://hub-assets/config/",
        "secretsmanager:app/db",
        "ssm:/app/flag",
    ] {
        assert_eq!(by_name(ok)["ok"], true, "{ok}: {body:#}");
    }
    assert_eq!(
        by_name("s3://hub-assets/config/app.json")["detail"],
        "object readable (15 bytes)"
    );
    let missing = by_name("s3://hub-assets/missing.json");
    assert_eq!(missing["ok"], false);
    assert!(
        missing["error"].as_str().is_some_and(|e| e.contains("NoSuchKey")),
        "{missing}"
    );
    for secret in ["s3cr3t-value-xyz", "param-value-abc"] {
        assert!(!answer.body.contains(secret), "{secret} leaked: {}", answer.body);
    }
    drop(moto);
}
