//! Decoding and static checks of an EKS bearer token, following aws-iam-authenticator's
//! `pkg/token.Verify`: `k8s-aws-v1.` + base64url(presigned STS GetCallerIdentity URL). Everything that can
//! be checked without a secret is checked here; the signature is checked in [`super::sigv4`].

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::percent_decode_str;

/// The token prefix EKS uses.
pub const TOKEN_PREFIX: &str = "k8s-aws-v1.";
/// Header that binds a token to one cluster (must be signed).
pub const CLUSTER_ID_HEADER: &str = "x-k8s-aws-id";
/// EKS tokens are valid for 15 minutes after X-Amz-Date, whatever X-Amz-Expires says
/// (aws-iam-authenticator's `presignedURLExpiration`); X-Amz-Expires itself must be within 0..=900.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// Tolerated clock skew for an X-Amz-Date in the future (STS allows 5 minutes).
pub const MAX_FUTURE_SKEW: Duration = Duration::from_secs(5 * 60);

/// Query parameters aws-iam-authenticator accepts (lower-case); anything else is rejected.
const ALLOWED_PARAMS: [&str; 9] = [
    "action",
    "version",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-security-token",
    "x-amz-signature",
    "x-amz-signedheaders",
];

/// A decoded, statically valid presigned GetCallerIdentity request.
#[derive(Debug, Clone)]
pub struct Presigned {
    /// `http` or `https`.
    pub scheme: String,
    /// Host (with port if any) the URL was signed for.
    pub host: String,
    /// The raw query string (sent to STS as is).
    pub raw_query: String,
    /// Decoded query parameters in their original spelling and order.
    pub params: Vec<(String, String)>,
    /// Access key ID from the credential scope.
    pub access_key_id: String,
    /// `YYYYMMDD` from the credential scope.
    pub scope_date: String,
    /// Region from the credential scope.
    pub region: String,
    /// Service from the credential scope (must be `sts`).
    pub service: String,
    /// X-Amz-Date (`YYYYMMDDTHHMMSSZ`).
    pub amz_date: String,
    /// Signed header names, as listed in X-Amz-SignedHeaders.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

impl Presigned {
    /// Value of a query parameter (case-insensitive name).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a token was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Rejected(pub String);

fn reject(msg: impl Into<String>) -> Rejected {
    Rejected(msg.into())
}

/// Parses `X-Amz-Date` (`20261123T191402Z`) into a system time.
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let dt = time::PrimitiveDateTime::parse(s, &fmt).ok()?.assume_utc();
    let secs = u64::try_from(dt.unix_timestamp()).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// Decodes a bearer token and applies every check that needs no secret.
///
/// `allowed_hosts` are the STS hosts tokens may be signed for; `https` is required except for hosts in
/// `plain_http_hosts` (the sandbox's own loopback AWS endpoint, which tokens minted with
/// `AWS_ENDPOINT_URL` point at).
pub fn decode(
    token: &str,
    now: SystemTime,
    is_allowed_host: impl Fn(&str) -> bool,
    plain_http_hosts: &[String],
) -> Result<Presigned, Rejected> {
    let b64 = token
        .strip_prefix(TOKEN_PREFIX)
        .ok_or_else(|| reject(format!("token is missing expected \"{TOKEN_PREFIX}\" prefix")))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(b64.trim_end_matches('='))
        .map_err(|e| reject(format!("token is not base64url: {e}")))?;
    let url = String::from_utf8(bytes).map_err(|_| reject("decoded token is not UTF-8"))?;
    let uri: http::Uri = url
        .parse()
        .map_err(|e| reject(format!("decoded token is not a URL: {e}")))?;
    let scheme = uri.scheme_str().unwrap_or_default().to_owned();
    let host = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .ok_or_else(|| reject("pre-signed URL has no host"))?;
    if !is_allowed_host(&host) {
        return Err(reject(format!("unexpected hostname {host:?} in pre-signed URL")));
    }
    let plain_ok = plain_http_hosts.iter().any(|h| h == &host);
    if scheme != "https" && !(scheme == "http" && plain_ok) {
        return Err(reject(format!("unexpected scheme {scheme:?} in pre-signed URL")));
    }
    if uri.path() != "/" {
        return Err(reject("unexpected path in pre-signed URL"));
    }
    let raw_query = uri.query().unwrap_or_default().to_owned();
    let mut params: Vec<(String, String)> = Vec::new();
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = percent_decode_str(&k.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned();
        let v = percent_decode_str(&v.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned();
        if !ALLOWED_PARAMS.contains(&k.to_ascii_lowercase().as_str()) {
            return Err(reject(format!("non-whitelisted query parameter {k:?}")));
        }
        if params.iter().any(|(pk, _)| pk.eq_ignore_ascii_case(&k)) {
            return Err(reject("query parameter with multiple values not supported"));
        }
        params.push((k, v));
    }
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    if get("Action").as_deref() != Some("GetCallerIdentity") {
        return Err(reject("unexpected action parameter in pre-signed URL"));
    }
    if get("Version").as_deref() != Some("2011-06-15") {
        return Err(reject("unexpected version parameter in pre-signed URL"));
    }
    if get("X-Amz-Algorithm").as_deref() != Some("AWS4-HMAC-SHA256") {
        return Err(reject("pre-signed URL is not signed with AWS4-HMAC-SHA256"));
    }
    let signed_headers: Vec<String> = get("X-Amz-SignedHeaders")
        .unwrap_or_default()
        .split(';')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    if !signed_headers.iter().any(|h| h == CLUSTER_ID_HEADER) {
        return Err(reject(format!(
            "client did not sign the {CLUSTER_ID_HEADER} header in the pre-signed URL"
        )));
    }
    let expires: i64 = get("X-Amz-Expires")
        .and_then(|e| e.parse().ok())
        .ok_or_else(|| reject("missing or invalid X-Amz-Expires parameter in pre-signed URL"))?;
    if !(0..=900).contains(&expires) {
        return Err(reject(format!(
            "invalid X-Amz-Expires parameter in pre-signed URL: {expires}"
        )));
    }
    let amz_date = get("X-Amz-Date").unwrap_or_default();
    let date = parse_amz_date(&amz_date)
        .ok_or_else(|| reject(format!("invalid X-Amz-Date {amz_date:?} in pre-signed URL")))?;
    if now > date + TOKEN_LIFETIME {
        return Err(reject(format!(
            "X-Amz-Date parameter is expired (15 minute expiration) {amz_date}"
        )));
    }
    if date > now + MAX_FUTURE_SKEW {
        return Err(reject(format!("X-Amz-Date {amz_date} is in the future")));
    }
    let credential = get("X-Amz-Credential").unwrap_or_default();
    let scope: Vec<&str> = credential.split('/').collect();
    let [akid, scope_date, region, service, terminator] = scope[..] else {
        return Err(reject(format!("malformed X-Amz-Credential {credential:?}")));
    };
    if terminator != "aws4_request" || !amz_date.starts_with(scope_date) {
        return Err(reject(format!("malformed X-Amz-Credential {credential:?}")));
    }
    if service != "sts" {
        return Err(reject(format!(
            "pre-signed URL is signed for service {service:?}, not \"sts\""
        )));
    }
    let signature = get("X-Amz-Signature").unwrap_or_default();
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(reject("missing or malformed X-Amz-Signature"));
    }
    Ok(Presigned {
        scheme,
        host,
        raw_query,
        access_key_id: akid.to_owned(),
        scope_date: scope_date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        amz_date,
        signed_headers,
        signature,
        params,
    })
}

/// Whether `p` was signed more than `lifetime` before `now` (a cluster with a shorter lifetime than EKS's).
pub fn is_older_than(p: &Presigned, lifetime: Duration, now: SystemTime) -> bool {
    parse_amz_date(&p.amz_date).is_none_or(|date| now > date + lifetime)
}

/// Whether `host` is an AWS STS endpoint (global, regional, or the China/GovCloud partitions).
pub fn is_sts_host(host: &str) -> bool {
    let host = host.strip_suffix(":443").unwrap_or(host);
    if host == "sts.amazonaws.com" {
        return true;
    }
    let Some(rest) = host.strip_prefix("sts.") else {
        return false;
    };
    let region_ok = |r: &str| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    [".amazonaws.com", ".amazonaws.com.cn", ".api.aws"]
        .iter()
        .any(|suffix| rest.strip_suffix(suffix).is_some_and(region_ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(url: &str) -> String {
        format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(url))
    }

    const GOOD: &str = "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261123%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261123T191402Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=2d8b82f17edd160c248b54a2463ed40785911ae2daae3a0c413b2d5b40931250";

    fn at(s: &str) -> SystemTime {
        parse_amz_date(s).expect("valid date")
    }

    #[test]
    fn accepts_a_well_formed_token() {
        let p = decode(&token(GOOD), at("20261123T191500Z"), is_sts_host, &[]).expect("valid");
        assert_eq!(p.access_key_id, "AKIDEXAMPLE");
        assert_eq!(p.region, "us-east-1");
        assert_eq!(p.signed_headers, ["host", "x-k8s-aws-id"]);
    }

    #[test]
    fn rejects_expired_wrong_service_unsigned_header_and_foreign_host() {
        let now = at("20261123T191402Z");
        assert!(decode(&token(GOOD), at("20261123T193000Z"), is_sts_host, &[]).is_err());
        let eks = GOOD.replace("%2Fsts%2F", "%2Feks%2F");
        assert!(decode(&token(&eks), now, is_sts_host, &[]).is_err());
        let host_only = GOOD.replace("host%3Bx-k8s-aws-id", "host");
        assert!(decode(&token(&host_only), now, is_sts_host, &[]).is_err());
        let evil = GOOD.replace("sts.us-east-1.amazonaws.com", "evil.example.com");
        assert!(decode(&token(&evil), now, is_sts_host, &[]).is_err());
        let extra = format!("{GOOD}&Foo=bar");
        assert!(decode(&token(&extra), now, is_sts_host, &[]).is_err());
        assert!(decode("Bearer nope", now, is_sts_host, &[]).is_err());
    }

    #[test]
    fn a_shorter_lifetime_expires_earlier() {
        let p = decode(&token(GOOD), at("20261123T191402Z"), is_sts_host, &[]).expect("valid");
        let minute = Duration::from_secs(60);
        assert!(!is_older_than(&p, minute, at("20261123T191502Z")));
        assert!(is_older_than(&p, minute, at("20261123T191503Z")));
    }

    #[test]
    fn sts_hosts() {
        assert!(is_sts_host("sts.amazonaws.com"));
        assert!(is_sts_host("sts.eu-west-1.amazonaws.com"));
        assert!(is_sts_host("sts.cn-north-1.amazonaws.com.cn"));
        assert!(!is_sts_host("sts.amazonaws.com.evil.com"));
        assert!(!is_sts_host("iam.amazonaws.com"));
    }
}
