//! Mints EKS bearer tokens the way aws-iam-authenticator and `aws eks get-token` do: SigV4-presign
//! `GET https://sts.<region>.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15` with the signed
//! header `x-k8s-aws-id: <cluster>`, then `k8s-aws-v1.` + base64url(URL). Used by the sandbox tests to
//! prove the API server accepts good tokens and rejects bad ones; every field can be bent to make a bad one.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign};
use aws_sigv4::sign::v4;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::{Result, SandboxError};

/// Inputs of one token. Start from [`EksToken::new`] and change what a test needs.
#[derive(Debug, Clone)]
pub struct EksToken {
    /// Cluster name signed into `x-k8s-aws-id`.
    pub cluster: String,
    /// Access key ID.
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
    /// Session token (for STS credentials).
    pub session_token: Option<String>,
    /// Signing region.
    pub region: String,
    /// Signing service name (`sts`; anything else makes an invalid token).
    pub service: String,
    /// STS base URL the token is for (`https://sts.<region>.amazonaws.com` by default).
    pub sts_url: String,
    /// Signing time (X-Amz-Date).
    pub time: SystemTime,
    /// X-Amz-Expires (60 s as aws-iam-authenticator sets it; EKS honours 15 min regardless).
    pub expires_in: Duration,
}

impl EksToken {
    /// A valid token request for `cluster` with the given credentials, signed now.
    pub fn new(cluster: &str, access_key_id: &str, secret_access_key: &str, region: &str) -> Self {
        Self {
            cluster: cluster.to_owned(),
            access_key_id: access_key_id.to_owned(),
            secret_access_key: secret_access_key.to_owned(),
            session_token: None,
            region: region.to_owned(),
            service: "sts".to_owned(),
            sts_url: format!("https://sts.{region}.amazonaws.com"),
            time: SystemTime::now(),
            expires_in: Duration::from_secs(60),
        }
    }

    /// The presigned URL.
    pub fn presigned_url(&self) -> Result<String> {
        let url = format!(
            "{}/?Action=GetCallerIdentity&Version=2011-06-15",
            self.sts_url.trim_end_matches('/')
        );
        let identity = Credentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            self.session_token.clone(),
            None,
            "hub-sandbox",
        )
        .into();
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(self.expires_in);
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.service)
            .time(self.time)
            .settings(settings)
            .build()
            .map_err(|e| SandboxError::Signing(e.to_string()))?
            .into();
        let headers = [("x-k8s-aws-id", self.cluster.as_str())];
        let signable = SignableRequest::new("GET", &url, headers.into_iter(), SignableBody::Bytes(&[]))
            .map_err(|e| SandboxError::Signing(e.to_string()))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| SandboxError::Signing(e.to_string()))?
            .into_parts();
        let mut req = http::Request::get(&url)
            .header("x-k8s-aws-id", &self.cluster)
            .body(())
            .map_err(|e| SandboxError::Signing(e.to_string()))?;
        instructions.apply_to_request_http1x(&mut req);
        Ok(req.uri().to_string())
    }

    /// The bearer token (`k8s-aws-v1.…`).
    pub fn mint(&self) -> Result<String> {
        Ok(format!("k8s-aws-v1.{}", URL_SAFE_NO_PAD.encode(self.presigned_url()?)))
    }
}
