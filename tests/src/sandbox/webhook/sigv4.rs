//! SigV4 verification of a presigned GetCallerIdentity URL.
//!
//! moto never checks signatures, but real STS does, and on EKS that check is what binds a token to one
//! cluster: the authenticator sends the request with `x-k8s-aws-id: <its cluster>`, so a token signed for
//! another cluster name fails with SignatureDoesNotMatch. We therefore recompute the signature with the
//! sandbox's cluster name as that header's value and the caller's secret key (looked up in moto).

use aws_lc_rs::{constant_time, digest, hmac};

use super::token::{CLUSTER_ID_HEADER, Presigned};

/// SHA-256 of the empty body (what non-S3 presigners sign) – and S3's unsigned marker, accepted too.
const PAYLOAD_HASHES: [&str; 2] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "UNSIGNED-PAYLOAD",
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
        .as_ref()
        .to_vec()
}

/// AWS's URI encoding: unreserved characters stay, everything else is `%XX` (upper-case hex).
pub fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why a signature could not be verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    /// A header we cannot know the value of was signed.
    #[error("pre-signed URL signs header {0:?}, which a token cannot carry")]
    UnknownSignedHeader(String),
    /// The signature does not match (wrong secret, wrong cluster name, tampered URL).
    #[error("signature does not match (token signed for another cluster, key or URL)")]
    Mismatch,
}

/// Canonical request per SigV4 for a presigned GET with the given payload hash.
fn canonical_request(p: &Presigned, cluster_id: &str, payload_hash: &str) -> Result<String, SigError> {
    let mut query: Vec<(String, String)> = p
        .params
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("X-Amz-Signature"))
        .map(|(k, v)| (uri_encode(k), uri_encode(v)))
        .collect();
    query.sort();
    let canonical_query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers = String::new();
    for name in &p.signed_headers {
        let value = match name.as_str() {
            "host" => p.host.as_str(),
            CLUSTER_ID_HEADER => cluster_id,
            other => return Err(SigError::UnknownSignedHeader(other.to_owned())),
        };
        headers.push_str(&format!("{name}:{}\n", value.trim()));
    }
    Ok(format!(
        "GET\n/\n{canonical_query}\n{headers}\n{}\n{payload_hash}",
        p.signed_headers.join(";")
    ))
}

/// Verifies the presigned URL's signature for `cluster_id` with `secret_access_key`.
pub fn verify(p: &Presigned, cluster_id: &str, secret_access_key: &str) -> Result<(), SigError> {
    let scope = format!("{}/{}/{}/aws4_request", p.scope_date, p.region, p.service);
    let mut key = hmac_sha256(format!("AWS4{secret_access_key}").as_bytes(), p.scope_date.as_bytes());
    key = hmac_sha256(&key, p.region.as_bytes());
    key = hmac_sha256(&key, p.service.as_bytes());
    key = hmac_sha256(&key, b"aws4_request");
    for payload_hash in PAYLOAD_HASHES {
        let creq = canonical_request(p, cluster_id, payload_hash)?;
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
            p.amz_date,
            hex(digest::digest(&digest::SHA256, creq.as_bytes()).as_ref())
        );
        let expected = hex(&hmac_sha256(&key, string_to_sign.as_bytes()));
        if constant_time::verify_slices_are_equal(expected.as_bytes(), p.signature.to_ascii_lowercase().as_bytes())
            .is_ok()
        {
            return Ok(());
        }
    }
    Err(SigError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encoding_matches_aws() {
        assert_eq!(
            uri_encode("AKID/20261123/us-east-1/sts/aws4_request"),
            "AKID%2F20261123%2Fus-east-1%2Fsts%2Faws4_request"
        );
        assert_eq!(uri_encode("a b+c=~"), "a%20b%2Bc%3D~");
    }
}

#[cfg(test)]
mod roundtrip {
    use std::time::SystemTime;

    use super::super::token::{decode, is_sts_host};
    use super::*;
    use crate::sandbox::EksToken;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn presigned(t: &EksToken) -> Presigned {
        let token = t.mint().expect("mint");
        decode(&token, SystemTime::now(), is_sts_host, &[]).expect("decodes")
    }

    #[test]
    fn verifies_tokens_signed_by_the_aws_sdk_signer() {
        let mut t = EksToken::new("hub-sandbox", "AKIAIOSFODNN7EXAMPLE", SECRET, "us-east-1");
        assert_eq!(verify(&presigned(&t), "hub-sandbox", SECRET), Ok(()));
        assert_eq!(verify(&presigned(&t), "other-cluster", SECRET), Err(SigError::Mismatch));
        assert_eq!(verify(&presigned(&t), "hub-sandbox", "wrong"), Err(SigError::Mismatch));
        t.session_token = Some("FQoGZXIvYXdzEBYaD+/x=".to_owned());
        assert_eq!(verify(&presigned(&t), "hub-sandbox", SECRET), Ok(()));
    }
}
