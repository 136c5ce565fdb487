//! The EKS bearer token, minted in-process as aws-iam-authenticator and `aws eks get-token` do: a SigV4
//! presigned `GET https://sts.<region>.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15` whose
//! signed headers include `x-k8s-aws-id: <cluster>`, sent as `k8s-aws-v1.` + base64url(URL).
//!
//! EKS accepts such a token for 15 minutes after signing. [`TokenCache`] re-mints it well before that,
//! so long applies keep working without an `aws` CLI or exec plugin. The token is a credential: it is
//! never logged.

use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign};
use aws_sigv4::sign::v4;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

/// How long EKS accepts a token after it is signed (aws-iam-authenticator's `presignedURLExpiration`).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How long a minted token is reused. EKS honours 15 minutes; refreshing after 10 leaves a margin for
/// clock skew and for requests already in flight.
pub const REFRESH_AFTER: Duration = Duration::from_secs(10 * 60);

/// `X-Amz-Expires` of the presigned URL, as aws-iam-authenticator sets it (EKS applies its own 15 minutes).
const EXPIRES_IN: Duration = Duration::from_secs(60);

/// Why no token could be minted.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The credential chain gave nothing usable.
    #[error("no AWS credentials to sign the EKS token with: {0}")]
    Credentials(String),
    /// SigV4 presigning failed (a bug or an impossible input).
    #[error("signing the EKS token failed: {0}")]
    Signing(String),
}

/// The STS URL the token is signed for: the regional endpoint, which is what EKS verifies against.
pub fn sts_url(region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://sts.{region}.{suffix}/?Action=GetCallerIdentity&Version=2011-06-15")
}

/// Mints a token for `cluster` with `creds`, signed at `time`.
pub fn mint(cluster: &str, region: &str, creds: &Credentials, time: SystemTime) -> Result<SecretString, TokenError> {
    let url = sts_url(region);
    let identity = creds.clone().into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(EXPIRES_IN);
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| TokenError::Signing(e.to_string()))?
        .into();
    let headers = [("x-k8s-aws-id", cluster)];
    let signable = SignableRequest::new("GET", &url, headers.into_iter(), SignableBody::Bytes(&[]))
        .map_err(|e| TokenError::Signing(e.to_string()))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| TokenError::Signing(e.to_string()))?
        .into_parts();
    let mut req = http::Request::get(&url)
        .header("x-k8s-aws-id", cluster)
        .body(())
        .map_err(|e| TokenError::Signing(e.to_string()))?;
    instructions.apply_to_request_http1x(&mut req);
    Ok(SecretString::from(format!(
        "k8s-aws-v1.{}",
        URL_SAFE_NO_PAD.encode(req.uri().to_string())
    )))
}

/// A token reused until [`REFRESH_AFTER`], then re-minted with fresh credentials.
#[derive(Debug, Default)]
pub struct TokenCache {
    current: Mutex<Option<(SecretString, Instant)>>,
}

impl TokenCache {
    /// The current token, minting a new one when there is none or it is getting old.
    pub async fn get(
        &self,
        cluster: &str,
        region: &str,
        creds: &(impl ProvideCredentials + ?Sized),
    ) -> Result<SecretString, TokenError> {
        let mut current = self.current.lock().await;
        if let Some((token, minted)) = &*current
            && minted.elapsed() < REFRESH_AFTER
        {
            return Ok(token.clone());
        }
        let c = creds
            .provide_credentials()
            .await
            .map_err(|e| TokenError::Credentials(e.to_string()))?;
        let token = mint(cluster, region, &c, SystemTime::now())?;
        tracing::debug!(cluster, "minted a new EKS token");
        *current = Some((token.clone(), Instant::now()));
        Ok(token)
    }

    /// Forgets the token (after a 401), so the next request mints a new one.
    pub async fn invalidate(&self) {
        *self.current.lock().await = None;
    }
}

/// The bearer header value for a token.
pub fn bearer(token: &SecretString) -> String {
    format!("Bearer {}", token.expose_secret())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new("AKIDEXAMPLE", "secret", None, None, "test")
    }

    #[test]
    fn token_is_a_presigned_get_caller_identity_with_the_cluster_header() {
        let t = mint(
            "prod",
            "eu-west-1",
            &creds(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        )
        .unwrap();
        let t = t.expose_secret();
        let b64 = t.strip_prefix("k8s-aws-v1.").expect("prefix");
        assert!(!b64.contains('='), "unpadded base64url");
        let url = String::from_utf8(URL_SAFE_NO_PAD.decode(b64).unwrap()).unwrap();
        assert!(url.starts_with("https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"));
        assert!(url.contains("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id"), "{url}");
        assert!(url.contains("X-Amz-Expires=60"));
        assert!(url.contains("%2Feu-west-1%2Fsts%2Faws4_request"));
        assert!(!url.contains("secret"));
    }

    #[tokio::test]
    async fn cache_reuses_the_token_until_refresh() {
        let cache = TokenCache::default();
        let c = creds();
        let a = cache.get("c", "us-east-1", &c).await.unwrap();
        let b = cache.get("c", "us-east-1", &c).await.unwrap();
        assert_eq!(a.expose_secret(), b.expose_secret());
        cache.invalidate().await;
        assert!(cache.current.lock().await.is_none());
    }

    #[tokio::test]
    async fn an_old_token_is_reminted_before_eks_would_reject_it() {
        let cache = TokenCache::default();
        let old = Instant::now()
            .checked_sub(REFRESH_AFTER + Duration::from_secs(1))
            .unwrap();
        *cache.current.lock().await = Some((SecretString::from("k8s-aws-v1.stale"), old));
        let fresh = cache.get("c", "us-east-1", &creds()).await.unwrap();
        assert_ne!(fresh.expose_secret(), "k8s-aws-v1.stale");
        let minted = cache.current.lock().await.as_ref().map(|(_, at)| at.elapsed()).unwrap();
        assert!(minted < Duration::from_secs(5));
        assert!(REFRESH_AFTER < TOKEN_LIFETIME, "refreshed before EKS's 15-minute limit");
    }

    #[test]
    fn china_regions_use_their_partition_host() {
        assert!(sts_url("cn-north-1").starts_with("https://sts.cn-north-1.amazonaws.com.cn/"));
    }
}
