//! Test harness for the plugin transport: starts the provider binary like go-plugin does, reads its
//! handshake, and builds gRPC clients over its unix socket or TCP port (plaintext or mTLS with ALPN h2).

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use hyper_util::rt::TokioIo;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, PKCS_ECDSA_P521_SHA512,
};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use tokio::net::{TcpStream, UnixStream};
use tokio_rustls::TlsConnector;
use tokio_util::either::Either;
use tonic::transport::{Channel, Endpoint, Uri};

pub const COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

/// A client identity shaped like go-plugin's AutoMTLS certificate: P-521, CA:true, SAN localhost.
pub struct ClientIdentity {
    pub pem: String,
    pub cert: CertificateDer<'static>,
    pub key: PrivatePkcs8KeyDer<'static>,
}

impl ClientIdentity {
    pub fn generate() -> Self {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P521_SHA512).expect("P-521 key");
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
        let mut name = DistinguishedName::new();
        name.push(DnType::OrganizationName, "HashiCorp");
        name.push(DnType::CommonName, "localhost");
        params.distinguished_name = name;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
            KeyUsagePurpose::KeyCertSign,
        ];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth, ExtendedKeyUsagePurpose::ServerAuth];
        let cert = params.self_signed(&key).expect("self-signed");
        Self {
            pem: cert.pem(),
            cert: cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        }
    }
}

/// A running provider process; killed on drop.
pub struct Plugin {
    pub child: Child,
    stdout: Option<BufReader<ChildStdout>>,
    pub dir: PathBuf,
}

/// A fresh, empty socket directory for one test.
pub fn test_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("handshake-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("test dir");
    dir
}

/// The provider command with a clean go-plugin environment, sockets under `dir`.
pub fn command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_terraform-provider-hub"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for key in [
        COOKIE.0,
        "PLUGIN_PROTOCOL_VERSIONS",
        "PLUGIN_CLIENT_CERT",
        "PLUGIN_UNIX_SOCKET_DIR",
        "PLUGIN_UNIX_SOCKET_GROUP",
        "PLUGIN_MIN_PORT",
        "PLUGIN_MAX_PORT",
        "HUB_PLUGIN_NETWORK",
        "TF_LOG",
        "TF_LOG_PROVIDER",
        "TF_LOG_PROVIDER_HUB",
    ] {
        cmd.env_remove(key);
    }
    cmd.env("TMPDIR", dir);
    cmd.envs(env.iter().copied());
    cmd
}

impl Plugin {
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = command(dir, args, env).spawn().expect("spawn provider");
        let stdout = child.stdout.take().map(BufReader::new);
        Self {
            child,
            stdout,
            dir: dir.to_owned(),
        }
    }

    /// Reads stdout lines until `pred` matches one (10 s limit); returns that line, trimmed.
    pub fn read_line_until(&mut self, pred: impl Fn(&str) -> bool + Send + 'static) -> String {
        let mut stdout = self.stdout.take().expect("stdout already consumed");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut found = None;
            loop {
                let mut line = String::new();
                match stdout.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if pred(&line) => {
                        found = Some(line.trim_end().to_owned());
                        break;
                    }
                    Ok(_) => {}
                }
            }
            let _ = tx.send((found, stdout));
        });
        let (found, stdout) = rx.recv_timeout(Duration::from_secs(10)).expect("stdout line in time");
        self.stdout = Some(stdout);
        found.expect("matching stdout line")
    }

    /// The first stdout line (the go-plugin handshake).
    pub fn handshake(&mut self) -> String {
        self.read_line_until(|_| true)
    }

    /// Everything left on stdout (call after the process exited).
    pub fn rest_of_stdout(&mut self) -> String {
        let mut rest = String::new();
        if let Some(stdout) = self.stdout.as_mut() {
            let _ = stdout.read_to_string(&mut rest);
        }
        rest
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends a signal with kill(1) (the crate forbids `unsafe`, so no libc).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The six `|`-separated fields of a handshake line.
pub fn fields(line: &str) -> Vec<String> {
    line.split('|').map(str::to_owned).collect()
}

/// Where a plugin listens, as its handshake line or reattach configuration names it.
#[derive(Clone, Debug)]
pub enum Addr {
    Unix(PathBuf),
    Tcp(String),
}

impl Addr {
    /// From go-plugin's network name and address.
    pub fn of(network: &str, address: &str) -> Self {
        match network {
            "unix" => Self::Unix(PathBuf::from(address)),
            "tcp" => Self::Tcp(address.to_owned()),
            other => panic!("unknown plugin network {other:?}"),
        }
    }

    async fn connect(&self) -> std::io::Result<Either<UnixStream, TcpStream>> {
        match self {
            Self::Unix(path) => UnixStream::connect(path).await.map(Either::Left),
            Self::Tcp(address) => TcpStream::connect(address.as_str()).await.map(Either::Right),
        }
    }
}

impl From<PathBuf> for Addr {
    fn from(path: PathBuf) -> Self {
        Self::Unix(path)
    }
}

/// Plaintext h2c channel to the plugin.
pub async fn plain_channel(addr: impl Into<Addr>) -> Result<Channel, tonic::transport::Error> {
    let addr = addr.into();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let addr = addr.clone();
            async move { addr.connect().await.map(TokioIo::new) }
        }))
        .await
}

/// mTLS channel to the plugin, trusting exactly `server_cert`, presenting `client`, offering
/// ALPN h2 and refusing a server that does not select it (as grpc-go ≥ 1.67 does).
pub async fn tls_channel(
    addr: impl Into<Addr>,
    server_cert: CertificateDer<'static>,
    client: &ClientIdentity,
) -> Result<Channel, tonic::transport::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer {
            cert: server_cert,
            provider,
        }))
        .with_client_auth_cert(vec![client.cert.clone()], PrivateKeyDer::Pkcs8(client.key.clone_key()))
        .expect("client auth");
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = TlsConnector::from(Arc::new(config));
    let addr = addr.into();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let addr = addr.clone();
            let connector = connector.clone();
            async move {
                let stream = addr.connect().await?;
                let name = ServerName::try_from("localhost").map_err(std::io::Error::other)?;
                let tls = connector.connect(name, stream).await?;
                if tls.get_ref().1.alpn_protocol() != Some(b"h2") {
                    return Err(std::io::Error::other("server did not select ALPN h2"));
                }
                Ok(TokioIo::new(tls))
            }
        }))
        .await
}

/// Trusts one server certificate byte for byte (the handshake line's), like go-plugin's RootCAs.
#[derive(Debug)]
struct PinnedServer {
    cert: CertificateDer<'static>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.cert.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("unexpected server certificate".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}
