//! AutoMTLS server side: a fresh self-signed certificate per start and the rustls configuration that
//! requires the client to present exactly the certificate Terraform put in `PLUGIN_CLIENT_CERT`.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
};
use rustls::ServerConfig;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};
use tokio_rustls::TlsAcceptor;

use super::PluginError;
use super::verifier::PinnedClientCert;

/// Our certificate and key for one process lifetime.
pub(crate) struct ServerIdentity {
    /// The certificate, sent base64 in the handshake line.
    pub(crate) cert: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

impl ServerIdentity {
    /// A P-256 self-signed certificate shaped like go-plugin's: SAN `localhost`, CA:true, EKU
    /// serverAuth+clientAuth (Go checks the EKU), valid from a minute ago for 30 years.
    pub(crate) fn generate() -> Result<Self, PluginError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::new(vec!["localhost".to_owned()])?;
        let mut name = DistinguishedName::new();
        name.push(DnType::OrganizationName, "hub");
        name.push(DnType::CommonName, "localhost");
        params.distinguished_name = name;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
            KeyUsagePurpose::KeyCertSign,
        ];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::minutes(1);
        params.not_after = now + Duration::days(30 * 365);
        let cert = params.self_signed(&key)?;
        Ok(Self {
            cert: cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        })
    }

    /// A TLS acceptor (TLS 1.2/1.3, ALPN `h2`) that only admits a client presenting `client_cert`.
    pub(crate) fn acceptor(self, client_cert: CertificateDer<'static>) -> Result<TlsAcceptor, PluginError> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier = PinnedClientCert::new(client_cert, &provider);
        let mut config = ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(Arc::new(verifier))
            .with_single_cert(vec![self.cert], PrivateKeyDer::Pkcs8(self.key))?;
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}
