//! How to reach an EKS cluster, as DescribeCluster tells it: the API server URL and the CA. One reading
//! for hub's own EKS mode ([`super::eks_client`]), `hub_eks_token` and `hub_cluster`.

use aws_sdk_eks::config::http::HttpResponse;
use aws_sdk_eks::error::SdkError;
use aws_sdk_eks::operation::describe_cluster::DescribeClusterError;
use aws_sdk_eks::types::Cluster;
use base64::Engine as _;
use rustls_pki_types::{CertificateDer, pem::PemObject};

/// DescribeCluster of `name`: the cluster, or `None` when EKS answered without one.
pub async fn describe(
    eks: &aws_sdk_eks::Client,
    name: &str,
) -> Result<Option<Cluster>, SdkError<DescribeClusterError, HttpResponse>> {
    Ok(eks.describe_cluster().name(name).send().await?.cluster)
}

/// The endpoint and CA of a described cluster, as EKS returned them (empty while it is still creating).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterAccess {
    /// The API server URL.
    pub endpoint: String,
    /// `certificateAuthority.data`: base64 of PEM.
    pub ca_data: String,
}

/// The cluster CA, decoded once: PEM text for provider blocks, DER certificates for a TLS client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterCa {
    /// The PEM text.
    pub pem: String,
    /// Each certificate of the PEM, DER.
    pub der: Vec<Vec<u8>>,
}

impl ClusterAccess {
    /// The endpoint and CA data of `cluster`.
    pub fn of(cluster: &Cluster) -> Self {
        ClusterAccess {
            endpoint: cluster.endpoint().unwrap_or_default().to_owned(),
            ca_data: cluster
                .certificate_authority()
                .and_then(|a| a.data())
                .unwrap_or_default()
                .to_owned(),
        }
    }

    /// The endpoint and the decoded CA, or what is missing or unusable (for "the cluster has …").
    pub fn usable(&self) -> Result<(&str, ClusterCa), &'static str> {
        if self.endpoint.is_empty() {
            return Err("no endpoint");
        }
        if self.ca_data.trim().is_empty() {
            return Err("no certificate authority");
        }
        let ca = decode_ca(&self.ca_data).ok_or("a certificate authority that is not base64 of PEM certificates")?;
        Ok((&self.endpoint, ca))
    }
}

/// `certificateAuthority.data` (base64 of PEM, possibly wrapped) as PEM text and certificates, when it is
/// base64 of at least one PEM certificate.
pub fn decode_ca(data: &str) -> Option<ClusterCa> {
    let compact: String = data.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(compact).ok()?;
    let der: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(&bytes)
        .filter_map(Result::ok)
        .map(|c| c.as_ref().to_vec())
        .collect();
    if der.is_empty() {
        return None;
    }
    let pem = String::from_utf8(bytes).ok()?;
    Some(ClusterCa { pem, der })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem() -> String {
        let key = rcgen::KeyPair::generate().expect("key");
        rcgen::CertificateParams::new(vec!["kubernetes".into()])
            .expect("params")
            .self_signed(&key)
            .expect("certificate")
            .pem()
    }

    #[test]
    fn the_ca_is_decoded_once_into_pem_and_certificates() {
        let pem = pem();
        let data = base64::engine::general_purpose::STANDARD.encode(&pem);
        // EKS may wrap the base64; whitespace is not part of it.
        let wrapped: String = data
            .as_bytes()
            .chunks(64)
            .map(|c| format!("{}\n", String::from_utf8_lossy(c)))
            .collect();
        for input in [&data, &wrapped] {
            let ca = decode_ca(input).expect("a CA");
            assert_eq!(ca.pem, pem);
            assert_eq!(ca.der.len(), 1);
        }
    }

    #[test]
    fn only_base64_of_pem_certificates_is_a_ca() {
        assert_eq!(decode_ca("not base64!"), None);
        assert_eq!(decode_ca("bm90IGEgY2VydA=="), None, "base64 of text that is no PEM");
        assert_eq!(decode_ca(""), None);
    }

    #[test]
    fn usable_names_what_is_missing() {
        let ca_data = base64::engine::general_purpose::STANDARD.encode(pem());
        let full = ClusterAccess {
            endpoint: "https://example.eks.amazonaws.com".into(),
            ca_data: ca_data.clone(),
        };
        assert_eq!(full.usable().expect("usable").0, "https://example.eks.amazonaws.com");
        let no_endpoint = ClusterAccess {
            endpoint: String::new(),
            ca_data,
        };
        assert_eq!(no_endpoint.usable().unwrap_err(), "no endpoint");
        let no_ca = ClusterAccess {
            ca_data: String::new(),
            ..full.clone()
        };
        assert_eq!(no_ca.usable().unwrap_err(), "no certificate authority");
        let bad_ca = ClusterAccess {
            ca_data: "bm90IGEgY2VydA==".into(),
            ..full
        };
        assert!(bad_ca.usable().unwrap_err().contains("not base64 of PEM"));
    }
}
