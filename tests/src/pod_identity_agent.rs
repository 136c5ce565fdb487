//! A stand-in for the EKS Pod Identity agent on 127.0.0.1: what the DaemonSet serves on 169.254.170.23 to
//! the pods of its node. A request carries the pod's projected token in `Authorization` (the AWS SDK's
//! container credentials provider reads it from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`); the agent
//! exchanges it at EKS Auth `AssumeRoleForPodIdentity` (the sandbox's stand-in) with its own (node)
//! credentials and answers in the container credentials format. Like the real agent it keeps no cache
//! worth testing: every request goes to EKS Auth.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// A running agent; stops when dropped.
pub struct Agent {
    port: u16,
    served: Arc<AtomicUsize>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Agent {
    /// Serves the pods of `cluster`, exchanging tokens with the credentials and endpoint of `node`.
    pub fn start(cluster: &str, node: aws_config::SdkConfig) -> std::io::Result<Agent> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let served = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let (cluster, counter) = (cluster.to_owned(), served.clone());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let client = aws_sdk_eksauth::Client::new(&node);
                let accept = async {
                    while let Ok((tcp, _)) = listener.accept().await {
                        let (client, cluster, counter) = (client.clone(), cluster.clone(), counter.clone());
                        tokio::spawn(async move {
                            let svc = service_fn(move |req| {
                                let (client, cluster, counter) = (client.clone(), cluster.clone(), counter.clone());
                                async move {
                                    counter.fetch_add(1, Ordering::Relaxed);
                                    Ok::<_, Infallible>(credentials(&client, &cluster, req).await)
                                }
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(TokioIo::new(tcp), svc)
                                .await;
                        });
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stopped => {}
                }
            });
        });
        Ok(Agent {
            port,
            served,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The URL for `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1/credentials", self.port)
    }

    /// Requests served so far.
    pub fn served(&self) -> usize {
        self.served.load(Ordering::Relaxed)
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body.to_string())));
    *r.status_mut() = status;
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    r
}

/// One credentials request: the pod's token exchanged at EKS Auth.
async fn credentials(client: &aws_sdk_eksauth::Client, cluster: &str, req: Request<Incoming>) -> Response<Full<Bytes>> {
    use aws_sdk_eksauth::error::ProvideErrorMetadata;
    use aws_sdk_eksauth::primitives::DateTimeFormat;
    if req.uri().path() != "/v1/credentials" {
        return answer(StatusCode::NOT_FOUND, serde_json::json!({"message": "not found"}));
    }
    let Some(token) = req
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return answer(
            StatusCode::BAD_REQUEST,
            serde_json::json!({"message": "Service account token cannot be empty"}),
        );
    };
    match client
        .assume_role_for_pod_identity()
        .cluster_name(cluster)
        .token(token.trim())
        .send()
        .await
    {
        Ok(out) => {
            let Some(c) = out.credentials() else {
                return answer(
                    StatusCode::BAD_GATEWAY,
                    serde_json::json!({"message": "no credentials"}),
                );
            };
            let account = out
                .assumed_role_user()
                .and_then(|u| u.arn().split(':').nth(4))
                .unwrap_or_default();
            answer(
                StatusCode::OK,
                serde_json::json!({
                    "AccessKeyId": c.access_key_id(),
                    "SecretAccessKey": c.secret_access_key(),
                    "Token": c.session_token(),
                    "AccountId": account,
                    "Expiration": c.expiration().fmt(DateTimeFormat::DateTime).unwrap_or_default(),
                }),
            )
        }
        Err(e) => answer(
            StatusCode::BAD_REQUEST,
            serde_json::json!({"message": format!("{}: {}", e.code().unwrap_or("error"), e.message().unwrap_or_default())}),
        ),
    }
}
