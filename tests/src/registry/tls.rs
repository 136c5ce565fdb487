//! The registry's own test CA and serving certificate (for `localhost` and 127.0.0.1). The CLIs trust the
//! CA through `SSL_CERT_FILE` and `SSL_CERT_DIR`, which together replace the system roots, so they could not
//! talk to a real registry over TLS even if a configuration pointed them at one.

use std::net::IpAddr;
use std::sync::Arc;

use rcgen::{BasicConstraints, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::sandbox::pki::params;
use crate::tf::{Error, Result};

/// The CA certificate (PEM) for `SSL_CERT_FILE` and the server's TLS configuration.
pub struct Tls {
    /// PEM of the CA that signed the serving certificate.
    pub ca_pem: String,
    /// rustls configuration serving the certificate (HTTP/1.1 only).
    pub config: Arc<rustls::ServerConfig>,
}

fn tls_err(e: impl std::fmt::Display) -> Error {
    Error::assertion(format!("registry TLS setup: {e}"))
}

/// A fresh CA and a serving certificate for `localhost` and `127.0.0.1`.
pub fn generate() -> Result<Tls> {
    let ca_key = KeyPair::generate().map_err(tls_err)?;
    let mut ca_params = params("hub-test-registry-ca", &[], &[]).map_err(tls_err)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    let ca_cert = ca_params.self_signed(&ca_key).map_err(tls_err)?;
    let ca = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().map_err(tls_err)?;
    let mut p = params("hub-test-registry", &["localhost"], &[IpAddr::from([127, 0, 0, 1])]).map_err(tls_err)?;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = p.signed_by(&key, &ca).map_err(tls_err)?;

    let chain = vec![CertificateDer::from(cert.der().to_vec())];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let mut config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_no_client_auth().with_single_cert(chain, private))
            .map_err(tls_err)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        ca_pem: ca_cert.pem(),
        config: Arc::new(config),
    })
}
