//! The one place a `kube::Client` is made from a `kube::Config` (the provider block's connection and an EKS
//! cluster's), so every request names this provider release in its User-Agent and API server audit logs can
//! tell hub's writes from kubectl's.

use http::header::{HeaderValue, USER_AGENT};

/// A client for `config`, sending `build_info::user_agent()` on every request.
pub fn client(mut config: kube::Config) -> Result<kube::Client, kube::Error> {
    let agent =
        HeaderValue::from_str(&crate::build_info::user_agent()).map_err(|e| kube::Error::HttpError(e.into()))?;
    config.headers.retain(|(name, _)| name != USER_AGENT);
    config.headers.push((USER_AGENT, agent));
    kube::Client::try_from(config)
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    /// The request head a plain-HTTP API server on 127.0.0.1 receives for `GET /version`.
    async fn request_head_seen_by_server() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("accept");
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = socket.read(&mut buf).await.expect("read");
                assert!(n > 0, "connection closed before the request head ended");
                head.extend_from_slice(&buf[..n]);
            }
            let body = r#"{"major":"1","minor":"35","gitVersion":"v1.35.0","gitCommit":"","gitTreeState":"","buildDate":"","goVersion":"","compiler":"","platform":"linux/amd64"}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(answer.as_bytes()).await.expect("write");
            String::from_utf8_lossy(&head).into_owned()
        });
        let client = super::client(kube::Config::new(url.parse().expect("url"))).expect("client");
        client.apiserver_version().await.expect("GET /version");
        server.await.expect("server task")
    }

    #[tokio::test]
    async fn the_api_server_sees_the_release_in_the_user_agent() {
        let head = request_head_seen_by_server().await.to_ascii_lowercase();
        let agents: Vec<&str> = head.lines().filter(|l| l.starts_with("user-agent:")).collect();
        let expected = format!("user-agent: {}", crate::build_info::user_agent()).to_ascii_lowercase();
        assert_eq!(agents, [expected.as_str()], "request head:\n{head}");
    }
}
