//! The sandbox's own certificate authority and the certificates it signs.
//!
//! One CA signs the API server's serving certificate (SANs 127.0.0.1/localhost and the in-cluster names),
//! the loopback serving certificate of the token webhook and the scheduler, and the admin client
//! certificate (`O=system:masters`). Because EKS `DescribeCluster` hands out this CA, a client that builds
//! its kubeconfig from EKS verifies the API server properly instead of skipping TLS verification.
//! Keys are ECDSA P-256: fast to generate, accepted by every component.

use std::net::IpAddr;
use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    SanType,
};
use time::{Duration, OffsetDateTime};

use super::error::{IoContext, Result};
use super::layout::RunDir;

/// File names under `pki/`.
pub mod files {
    /// CA certificate (PEM).
    pub const CA_CRT: &str = "ca.crt";
    /// API server serving certificate.
    pub const APISERVER_CRT: &str = "apiserver.crt";
    /// API server serving key.
    pub const APISERVER_KEY: &str = "apiserver.key";
    /// Loopback serving certificate (webhook, scheduler).
    pub const LOOPBACK_CRT: &str = "loopback.crt";
    /// Loopback serving key.
    pub const LOOPBACK_KEY: &str = "loopback.key";
    /// Admin client certificate.
    pub const ADMIN_CRT: &str = "admin.crt";
    /// Admin client key.
    pub const ADMIN_KEY: &str = "admin.key";
    /// Service-account signing key (PKCS#8 private key).
    pub const SA_KEY: &str = "sa.key";
    /// Its public key (the API server's `--service-account-key-file` wants public keys or PKCS#1/SEC1
    /// private keys, not PKCS#8).
    pub const SA_PUB: &str = "sa.pub";
}

/// Subject of the admin client certificate.
pub const ADMIN_USER: &str = "hub-sandbox-admin";

/// What [`generate`] produced that other steps need in memory.
#[derive(Debug, Clone)]
pub struct Pki {
    /// CA certificate PEM.
    pub ca_pem: String,
    /// Admin client certificate PEM.
    pub admin_cert_pem: String,
    /// Admin client key PEM.
    pub admin_key_pem: String,
}

/// Certificate parameters valid from an hour ago for a year: also what the test registry's certificates use.
pub(crate) fn params(cn: &str, sans: &[&str], ips: &[IpAddr]) -> Result<CertificateParams> {
    let mut p = CertificateParams::new(sans.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())?;
    p.subject_alt_names.extend(ips.iter().map(|ip| SanType::IpAddress(*ip)));
    p.distinguished_name.push(DnType::CommonName, cn);
    let now = OffsetDateTime::now_utc();
    p.not_before = now - Duration::hours(1);
    p.not_after = now + Duration::days(365);
    Ok(p)
}

fn write(path: &Path, contents: &str, private: bool) -> Result<()> {
    std::fs::write(path, contents).ctx(|| format!("writing {}", path.display()))?;
    if private {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .ctx(|| format!("chmod 600 {}", path.display()))?;
    }
    Ok(())
}

/// Generates the CA and all certificates into `run/pki/`. `advertise` is the API server's advertised
/// address and `service_ip` the first IP of the service range (the `kubernetes` Service).
pub fn generate(run: &RunDir, advertise: IpAddr, service_ip: IpAddr) -> Result<Pki> {
    let loopback: [IpAddr; 2] = [IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1])];

    let ca_key = KeyPair::generate()?;
    let mut ca_params = params("hub-sandbox-ca", &[], &[])?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let ca = Issuer::new(ca_params, ca_key);
    write(&run.pki(files::CA_CRT), &ca_cert.pem(), false)?;

    // API server: reachable as 127.0.0.1 from the host and under the in-cluster names.
    let key = KeyPair::generate()?;
    let mut p = params(
        "kube-apiserver",
        &[
            "localhost",
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local",
        ],
        &[loopback[0], loopback[1], advertise, service_ip],
    )?;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = p.signed_by(&key, &ca)?;
    write(&run.pki(files::APISERVER_CRT), &cert.pem(), false)?;
    write(&run.pki(files::APISERVER_KEY), &key.serialize_pem(), true)?;

    // Loopback serving certificate for the token webhook and the scheduler's health endpoint.
    let key = KeyPair::generate()?;
    let mut p = params("hub-sandbox-loopback", &["localhost"], &loopback)?;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = p.signed_by(&key, &ca)?;
    write(&run.pki(files::LOOPBACK_CRT), &cert.pem(), false)?;
    write(&run.pki(files::LOOPBACK_KEY), &key.serialize_pem(), true)?;

    // Admin client certificate: system:masters bypasses RBAC. Used by tests and by KCM/scheduler/kwok.
    let key = KeyPair::generate()?;
    let mut p = params(ADMIN_USER, &[], &[])?;
    p.distinguished_name.push(DnType::OrganizationName, "system:masters");
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let cert = p.signed_by(&key, &ca)?;
    let admin_cert_pem = cert.pem();
    let admin_key_pem = key.serialize_pem();
    write(&run.pki(files::ADMIN_CRT), &admin_cert_pem, false)?;
    write(&run.pki(files::ADMIN_KEY), &admin_key_pem, true)?;

    // Service-account token signing key and its public half.
    let sa = KeyPair::generate()?;
    write(&run.pki(files::SA_KEY), &sa.serialize_pem(), true)?;
    write(&run.pki(files::SA_PUB), &sa.public_key_pem(), false)?;

    Ok(Pki {
        ca_pem: ca_cert.pem(),
        admin_cert_pem,
        admin_key_pem,
    })
}
