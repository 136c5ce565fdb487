//! The HTTPS server: one thread with its own tokio runtime, bound to 127.0.0.1 on a free port, answering
//! with [`super::routes::answer`]. Dropping (or [`Registry::stop`]ping) it closes the port, so a test can
//! prove that an installation works offline.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use bytes::Bytes;
use http::{Method, Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use super::dist::Dist;
use super::gpg::SigningKey;
use super::routes::{Published, Reply, answer};
use super::tls;
use crate::tf::{Error, Result};

/// A namespace to serve: its name, the `dist/` directory of its release and the signing key the registry
/// lists for it.
pub struct Namespace {
    /// The registry namespace (`hub` in `localhost:PORT/hub/hub`).
    pub name: String,
    /// The directory `package.py` wrote.
    pub dir: PathBuf,
    /// The key listed in `signing_keys`.
    pub key: SigningKey,
}

/// A running registry. Every request path is recorded for assertions.
pub struct Registry {
    addr: SocketAddr,
    ca: PathBuf,
    requests: Arc<Mutex<Vec<String>>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    base: String,
    namespaces: Vec<Published>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Registry {
    /// Publishes each namespace (hashing its zips now), writes the test CA to `dir/ca.pem` (creating `dir`,
    /// which should hold nothing else: it doubles as `SSL_CERT_DIR`) and starts serving on 127.0.0.1.
    pub fn start(namespaces: Vec<Namespace>, dir: &Path) -> Result<Self> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let published = namespaces
            .into_iter()
            .map(|n| {
                Ok(Published {
                    dist: Dist::publish(&n.dir)?,
                    name: n.name,
                    key: n.key,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let tls = tls::generate()?;
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, &tls.ca_pem).map_err(io(&ca))?;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(io(Path::new("127.0.0.1:0")))?;
        listener.set_nonblocking(true).map_err(io(Path::new("127.0.0.1:0")))?;
        let addr = listener.local_addr().map_err(io(Path::new("127.0.0.1:0")))?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            base: format!("https://localhost:{}", addr.port()),
            namespaces: published,
            requests: requests.clone(),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(io(Path::new("tokio runtime")))?;
        let (tx, rx) = oneshot::channel();
        let acceptor = tokio_rustls::TlsAcceptor::from(tls.config);
        let thread = std::thread::spawn(move || runtime.block_on(serve(listener, acceptor, shared, rx)));
        Ok(Registry {
            addr,
            ca,
            requests,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address served (127.0.0.1 and the port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The host name CLIs use in provider sources: `localhost:PORT`.
    pub fn host(&self) -> String {
        format!("localhost:{}", self.addr.port())
    }

    /// The network mirror's base URL (`network_mirror { url = … }`).
    pub fn mirror_url(&self) -> String {
        format!("https://{}/mirror/", self.host())
    }

    /// The CA certificate file to pass as `SSL_CERT_FILE`.
    pub fn ca_file(&self) -> &Path {
        &self.ca
    }

    /// The directory holding only the CA certificate, for `SSL_CERT_DIR`: Go reads the system directories
    /// too unless that variable names another, so setting both makes the test CA the only trusted one.
    pub fn ca_dir(&self) -> &Path {
        self.ca.parent().unwrap_or(&self.ca)
    }

    /// `SSL_CERT_FILE` and `SSL_CERT_DIR` for a CLI that must trust this registry and nothing else.
    pub fn trust_env(&self) -> [(&'static str, &Path); 2] {
        [("SSL_CERT_FILE", self.ca_file()), ("SSL_CERT_DIR", self.ca_dir())]
    }

    /// Every request path served so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Stops serving and waits until the port is closed.
    pub fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn serve(
    listener: std::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    shared: Arc<Shared>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let tcp = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(_) => continue,
            },
        };
        let acceptor = acceptor.clone();
        let shared = shared.clone();
        // Connections are tasks of this runtime: returning from here drops the runtime and ends them all.
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let svc = service_fn(move |req| {
                let shared = shared.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(&shared, &req)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), svc)
                .await;
        });
    }
}

fn handle(shared: &Shared, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_owned();
    if let Ok(mut log) = shared.requests.lock() {
        log.push(path.clone());
    }
    let reply = if req.method() == Method::GET {
        answer(&shared.base, &shared.namespaces, &path)
    } else {
        Reply {
            status: 405,
            content_type: "text/plain",
            body: b"only GET".to_vec(),
        }
    };
    Response::builder()
        .status(reply.status)
        .header("content-type", reply.content_type)
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
