//! End-to-end tests of the go-plugin transport against the built provider binary: cookie check,
//! protocol negotiation, the handshake line, AutoMTLS with a go-plugin-shaped P-521 client
//! certificate, go-plugin's services, signals and debug mode, over the unix socket and over TCP (the
//! Windows transport, chosen here with `HUB_PLUGIN_NETWORK=tcp`).

mod support;

use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use hub_provider::proto::plugin::Empty;
use hub_provider::proto::plugin::grpc_controller_client::GrpcControllerClient;
use hub_provider::proto::plugin::grpc_stdio_client::GrpcStdioClient;
use rustls_pki_types::CertificateDer;
use support::{Addr, COOKIE, ClientIdentity, Plugin, command, fields, plain_channel, test_dir, tls_channel};
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use x509_parser::extensions::GeneralName;

/// Starts a managed (Terraform-like) provider with AutoMTLS and returns it with its handshake.
fn start_mtls(name: &str, client: &ClientIdentity) -> (Plugin, Vec<String>) {
    start_mtls_with(name, client, &[])
}

/// [`start_mtls`] with more environment variables.
fn start_mtls_with(name: &str, client: &ClientIdentity, extra: &[(&str, &str)]) -> (Plugin, Vec<String>) {
    let dir = test_dir(name);
    let mut env = vec![
        COOKIE,
        ("PLUGIN_PROTOCOL_VERSIONS", "5,6"),
        ("PLUGIN_MIN_PORT", "10000"),
        ("PLUGIN_MAX_PORT", "25000"),
        ("PLUGIN_CLIENT_CERT", &client.pem),
    ];
    env.extend_from_slice(extra);
    let mut plugin = Plugin::start(&dir, &[], &env);
    let line = plugin.handshake();
    (plugin, fields(&line))
}

/// The `TF_REATTACH_PROVIDERS` JSON a debug-mode plugin prints.
fn reattach_config(plugin: &mut Plugin) -> serde_json::Value {
    let line = plugin.read_line_until(|l| l.contains("TF_REATTACH_PROVIDERS="));
    let json = line
        .split_once("TF_REATTACH_PROVIDERS='")
        .and_then(|(_, rest)| rest.strip_suffix('\''))
        .expect("quoted JSON");
    serde_json::from_str(json).expect("valid JSON")
}

fn server_cert(fields: &[String]) -> CertificateDer<'static> {
    CertificateDer::from(STANDARD_NO_PAD.decode(&fields[5]).expect("unpadded standard base64"))
}

async fn health(channel: Channel) -> Result<i32, tonic::Status> {
    let request = HealthCheckRequest {
        service: "plugin".into(),
    };
    Ok(HealthClient::new(channel).check(request).await?.into_inner().status)
}

async fn shutdown(channel: Channel) {
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("Shutdown RPC answered");
}

#[test]
fn without_cookie_it_explains_itself_and_exits_1() {
    let dir = test_dir("no-cookie");
    let out = command(&dir, &[], &[]).output().expect("run provider");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "stdout must stay empty: {:?}", out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("plugin"), "{stderr}");
    assert!(stderr.contains("dev_overrides"), "{stderr}");
    assert!(stderr.contains("-debug"), "{stderr}");

    let wrong = command(&dir, &[], &[(COOKIE.0, "wrong")])
        .output()
        .expect("run provider");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(wrong.stdout.is_empty());
}

#[test]
fn protocol_5_only_is_refused() {
    let dir = test_dir("proto5");
    let out = command(&dir, &[], &[COOKIE, ("PLUGIN_PROTOCOL_VERSIONS", "5")])
        .output()
        .expect("run provider");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("protocol 6"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(&dir).map(Iterator::count).ok(),
        Some(0),
        "no socket left"
    );
}

#[tokio::test]
async fn mtls_handshake_health_stdio_and_shutdown() {
    let client = ClientIdentity::generate();
    let (mut plugin, f) = start_mtls("mtls", &client);

    assert_eq!(f.len(), 6, "{f:?}");
    assert_eq!(
        (f[0].as_str(), f[1].as_str(), f[2].as_str(), f[4].as_str()),
        ("1", "6", "unix", "grpc")
    );
    let socket = PathBuf::from(&f[3]);
    assert!(socket.starts_with(&plugin.dir), "socket {socket:?} not in TMPDIR");
    let mode = std::fs::metadata(&socket).expect("socket exists").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(!f[5].ends_with('='));

    let cert = server_cert(&f);
    let (_, parsed) = x509_parser::parse_x509_certificate(&cert).expect("DER certificate");
    let san = parsed
        .subject_alternative_name()
        .expect("SAN ext")
        .expect("SAN present");
    assert!(
        san.value
            .general_names
            .iter()
            .any(|n| matches!(n, GeneralName::DNSName("localhost")))
    );
    assert!(parsed.is_ca());

    let channel = tls_channel(socket.clone(), cert, &client).await.expect("mTLS connect");
    assert_eq!(health(channel.clone()).await.ok(), Some(ServingStatus::Serving as i32));

    let mut stdio = GrpcStdioClient::new(channel.clone())
        .stream_stdio(())
        .await
        .expect("stdio")
        .into_inner();
    let idle = tokio::time::timeout(Duration::from_millis(300), stdio.message()).await;
    assert!(idle.is_err(), "stdio stream must stay open and silent, got {idle:?}");

    shutdown(channel).await;
    let status = plugin.wait_exit(Duration::from_secs(3)).expect("exits after Shutdown");
    assert_eq!(status.code(), Some(0));
    assert!(!socket.exists(), "socket removed on exit");
    assert_eq!(
        plugin.rest_of_stdout(),
        "",
        "nothing after the handshake line on stdout"
    );
}

#[tokio::test]
async fn a_different_client_certificate_is_rejected() {
    let client = ClientIdentity::generate();
    let (_plugin, f) = start_mtls("foreign-cert", &client);
    let socket = PathBuf::from(&f[3]);
    let intruder = ClientIdentity::generate();

    let rejected = match tls_channel(socket.clone(), server_cert(&f), &intruder).await {
        Err(_) => true,
        Ok(channel) => health(channel).await.is_err(),
    };
    assert!(rejected, "a foreign client certificate must not get through");

    let channel = tls_channel(socket, server_cert(&f), &client)
        .await
        .expect("genuine client");
    assert_eq!(health(channel).await.ok(), Some(ServingStatus::Serving as i32));
}

#[tokio::test]
async fn sigint_is_ignored() {
    let client = ClientIdentity::generate();
    let (mut plugin, f) = start_mtls("sigint", &client);
    plugin.signal("INT");
    assert!(
        plugin.wait_exit(Duration::from_millis(500)).is_none(),
        "SIGINT must not stop it"
    );

    let channel = tls_channel(PathBuf::from(&f[3]), server_cert(&f), &client)
        .await
        .expect("connect");
    assert_eq!(health(channel.clone()).await.ok(), Some(ServingStatus::Serving as i32));
    shutdown(channel).await;
    assert_eq!(plugin.wait_exit(Duration::from_secs(3)).and_then(|s| s.code()), Some(0));
}

#[tokio::test]
async fn without_client_cert_it_serves_plaintext_h2c() {
    let dir = test_dir("plaintext");
    let mut plugin = Plugin::start(&dir, &[], &[COOKIE, ("PLUGIN_PROTOCOL_VERSIONS", "6")]);
    let f = fields(&plugin.handshake());
    assert_eq!(f.len(), 6, "{f:?}");
    assert_eq!(f[5], "", "no certificate without AutoMTLS");

    let channel = plain_channel(PathBuf::from(&f[3])).await.expect("h2c connect");
    assert_eq!(health(channel.clone()).await.ok(), Some(ServingStatus::Serving as i32));
    shutdown(channel).await;
    assert_eq!(plugin.wait_exit(Duration::from_secs(3)).and_then(|s| s.code()), Some(0));
}

#[tokio::test]
async fn debug_mode_prints_reattach_config_and_stops_on_sigint() {
    let dir = test_dir("debug");
    let mut plugin = Plugin::start(&dir, &["-debug"], &[]);
    let config = reattach_config(&mut plugin);
    let entry = &config["hub/hub"];
    assert_eq!(entry["Protocol"], "grpc");
    assert_eq!(entry["ProtocolVersion"], 6);
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["Pid"], plugin.child.id());
    assert_eq!(entry["Addr"]["Network"], "unix");
    let socket = PathBuf::from(entry["Addr"]["String"].as_str().expect("socket path"));

    let channel = plain_channel(socket.clone()).await.expect("h2c connect");
    assert_eq!(health(channel).await.ok(), Some(ServingStatus::Serving as i32));

    plugin.signal("INT");
    assert_eq!(plugin.wait_exit(Duration::from_secs(3)).and_then(|s| s.code()), Some(0));
    assert!(!socket.exists());
}

/// go-plugin serves TCP on Windows. The handshake names 127.0.0.1 and a port inside the client's range,
/// and AutoMTLS, go-plugin's services and Shutdown work as over the unix socket.
#[tokio::test]
async fn tcp_listener_in_the_port_range_with_mtls() {
    let client = ClientIdentity::generate();
    let (mut plugin, f) = start_mtls_with("tcp-mtls", &client, &[("HUB_PLUGIN_NETWORK", "tcp")]);
    assert_eq!(f.len(), 6, "{f:?}");
    assert_eq!(
        (f[0].as_str(), f[1].as_str(), f[2].as_str(), f[4].as_str()),
        ("1", "6", "tcp", "grpc")
    );
    let address: std::net::SocketAddr = f[3].parse().expect("IP:PORT");
    assert_eq!(address.ip(), std::net::Ipv4Addr::LOCALHOST);
    assert!((10000..=25000).contains(&address.port()), "{address}");
    assert_eq!(
        std::fs::read_dir(&plugin.dir).map(Iterator::count).ok(),
        Some(0),
        "no socket file over TCP"
    );

    let intruder = ClientIdentity::generate();
    let rejected = match tls_channel(Addr::of("tcp", &f[3]), server_cert(&f), &intruder).await {
        Err(_) => true,
        Ok(channel) => health(channel).await.is_err(),
    };
    assert!(rejected, "a foreign client certificate must not get through");

    let channel = tls_channel(Addr::of("tcp", &f[3]), server_cert(&f), &client)
        .await
        .expect("mTLS over TCP");
    assert_eq!(health(channel.clone()).await.ok(), Some(ServingStatus::Serving as i32));
    shutdown(channel).await;
    assert_eq!(plugin.wait_exit(Duration::from_secs(3)).and_then(|s| s.code()), Some(0));
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "the port is closed after Shutdown"
    );
}

/// Debug mode over TCP: the reattach configuration names the `tcp` network and its address.
#[tokio::test]
async fn debug_mode_over_tcp_prints_a_tcp_reattach_address() {
    let dir = test_dir("debug-tcp");
    let mut plugin = Plugin::start(&dir, &["-debug"], &[("HUB_PLUGIN_NETWORK", "tcp")]);
    let config = reattach_config(&mut plugin);
    let addr = &config["hub/hub"]["Addr"];
    assert_eq!(addr["Network"], "tcp");
    let address = addr["String"].as_str().expect("an address").to_owned();
    assert!(address.starts_with("127.0.0.1:"), "{address}");

    let channel = plain_channel(Addr::of("tcp", &address)).await.expect("h2c over TCP");
    assert_eq!(health(channel).await.ok(), Some(ServingStatus::Serving as i32));
    plugin.signal("INT");
    assert_eq!(plugin.wait_exit(Duration::from_secs(3)).and_then(|s| s.code()), Some(0));
}

/// A port range the plugin cannot use is refused before anything is printed on stdout, naming the variable.
#[test]
fn an_unusable_port_range_is_refused_naming_the_variable() {
    let dir = test_dir("bad-ports");
    let tcp = ("HUB_PLUGIN_NETWORK", "tcp");
    for (env, wanted) in [
        (vec![COOKIE, tcp, ("PLUGIN_MIN_PORT", "ten")], "PLUGIN_MIN_PORT"),
        (
            vec![COOKIE, tcp, ("PLUGIN_MIN_PORT", "20000"), ("PLUGIN_MAX_PORT", "10000")],
            "greater",
        ),
        (vec![COOKIE, ("HUB_PLUGIN_NETWORK", "udp")], "HUB_PLUGIN_NETWORK"),
    ] {
        let out = command(&dir, &[], &env).output().expect("run provider");
        assert_eq!(out.status.code(), Some(1), "{env:?}");
        assert!(out.stdout.is_empty(), "{env:?}: stdout must stay empty");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(wanted), "{env:?}: {stderr}");
    }
}
