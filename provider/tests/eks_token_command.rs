//! `terraform-provider-hub eks-token` as client-go runs it: a process with AWS credentials in its
//! environment, arguments on its command line, the ExecCredential on stdout. Minting is offline (no
//! assume-role here), so this runs without any AWS endpoint.

use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hub_provider::aws::exec_credential::rfc3339;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn eks_token(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_terraform-provider-hub"))
        .arg("eks-token")
        .args(args)
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .output()
        .expect("the provider binary runs")
}

#[test]
fn prints_an_exec_credential_with_a_token_for_the_cluster() {
    let out = eks_token(&[
        "--cluster-name",
        "prod",
        "--region",
        "eu-west-1",
        "--renew-after",
        "90s",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("k8s-aws-v1."), "no token on stderr: {stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["apiVersion"], "client.authentication.k8s.io/v1beta1");
    assert_eq!(doc["kind"], "ExecCredential");
    let token = doc["status"]["token"].as_str().expect("status.token");
    let url = URL_SAFE_NO_PAD
        .decode(token.strip_prefix("k8s-aws-v1.").expect("EKS token prefix"))
        .map(|b| String::from_utf8(b).expect("UTF-8"))
        .expect("base64url");
    assert!(
        url.starts_with("https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity"),
        "{url}"
    );
    assert!(url.contains("x-k8s-aws-id"), "{url}");
    assert!(!url.contains(SECRET));
    // Same-format UTC timestamps compare as strings.
    let expiry = doc["status"]["expirationTimestamp"]
        .as_str()
        .expect("expirationTimestamp");
    let now = SystemTime::now();
    let (earliest, latest) = (
        rfc3339(now + Duration::from_secs(60)),
        rfc3339(now + Duration::from_secs(90)),
    );
    assert!(
        earliest.as_str() <= expiry && expiry <= latest.as_str(),
        "renewed 90 s after signing: {expiry} not in {earliest}..{latest}"
    );
}

#[test]
fn bad_arguments_fail_on_stderr_with_exit_2_and_no_output() {
    for (args, wanted) in [
        (&["--region", "eu-west-1"][..], "--cluster-name is required"),
        (
            &["--cluster-name", "a b", "--region", "eu-west-1"][..],
            "not an EKS cluster name",
        ),
        (
            &["--cluster-name", "c", "--aws-secret-access-key", "x"][..],
            "never from arguments",
        ),
        (&["--cluster-name", "c", "--renew-after", "20m"][..], "outside 10s..14m"),
    ] {
        let out = eks_token(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn no_region_fails_with_exit_1_and_a_reason() {
    let out = eks_token(&["--cluster-name", "c"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Region"), "{stderr}");
    assert!(out.stdout.is_empty());
}
