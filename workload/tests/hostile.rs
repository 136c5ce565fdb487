//! Hostile and broken clients against the real binary: clear status codes, bounded resources, no crash.

mod common;

use common::{Workload, parse, request};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn hostile() -> Workload {
    hostile_with(&[])
}

fn hostile_with(extra: &[(&str, &str)]) -> Workload {
    let mut env = vec![
        ("HUB_DEBUG_ENDPOINTS", "true"),
        ("HUB_HEADER_TIMEOUT", "300ms"),
        ("HUB_BODY_TIMEOUT", "300ms"),
        ("HUB_MAX_HEADER_BYTES", "8192"),
        ("HUB_MAX_BODY_BYTES", "1024"),
        ("HUB_MAX_CONNECTIONS", "16"),
    ];
    env.extend_from_slice(extra);
    Workload::start(&env)
}

/// Reads whatever arrives until the server closes, or fails after `limit`.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    stream.set_read_timeout(Some(limit)).expect("timeout");
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => bytes,
        Err(e) => panic!("server did not close the connection within {limit:?}: {e}"),
    }
}

#[test]
fn oversized_headers_get_431() {
    let w = hostile();
    let big = "x".repeat(64 * 1024);
    let answer = request(
        w.addr,
        &format!("GET /health HTTP/1.1\r\nhost: t\r\nx-big: {big}\r\n\r\n"),
    )
    .expect("answer");
    assert_eq!(answer.status, 431, "{answer:?}");
    let many: String = (0..200).map(|i| format!("x-h{i}: v\r\n")).collect();
    let answer = request(w.addr, &format!("GET /health HTTP/1.1\r\nhost: t\r\n{many}\r\n")).expect("answer");
    assert_eq!(answer.status, 431, "{answer:?}");
    assert_eq!(w.get("/health").expect("alive").status, 200);
}

#[test]
fn malformed_requests_get_400() {
    let w = hostile();
    for garbage in [
        "GARBAGE\r\n\r\n",
        "GET /health HTTP/9.9\r\n\r\n",
        "GET /health HTTP/1.1\r\nbad header line\r\n\r\n",
        "POST /debug/body HTTP/1.1\r\nhost: t\r\ncontent-length: nope\r\n\r\n",
    ] {
        let answer = request(w.addr, garbage).expect("answer");
        assert_eq!(answer.status, 400, "{garbage:?} → {answer:?}");
    }
    assert_eq!(w.get("/health").expect("alive").status, 200);
}

#[test]
fn slow_headers_are_cut_off() {
    let w = hostile();
    let mut stream = TcpStream::connect(w.addr).expect("connect");
    stream
        .write_all(b"GET /health HTTP/1.1\r\nhost: t\r\n")
        .expect("partial head");
    let started = Instant::now();
    let bytes = read_until_closed(&mut stream, Duration::from_secs(3));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "closed after {:?}",
        started.elapsed()
    );
    // hyper closes without a response, or with 408; never a 200 for a request that never finished.
    if !bytes.is_empty() {
        assert_eq!(parse(&bytes).expect("response").status, 408);
    }
    assert_eq!(w.get("/health").expect("alive").status, 200);
}

#[test]
fn slow_and_oversized_bodies_get_408_and_413() {
    let w = hostile();
    let mut stream = TcpStream::connect(w.addr).expect("connect");
    stream
        .write_all(b"POST /debug/body HTTP/1.1\r\nhost: t\r\ncontent-length: 100\r\n\r\n0123456789")
        .expect("partial body");
    let started = Instant::now();
    let answer = parse(&read_until_closed(&mut stream, Duration::from_secs(3))).expect("response");
    assert_eq!(answer.status, 408, "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(2));

    let declared = request(
        w.addr,
        "POST /debug/body HTTP/1.1\r\nhost: t\r\ncontent-length: 1000000\r\n\r\n",
    )
    .expect("answer");
    assert_eq!(declared.status, 413, "{declared:?}");

    let chunk = "a".repeat(800);
    let chunked = format!(
        "POST /debug/body HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n320\r\n{chunk}\r\n320\r\n{chunk}\r\n0\r\n\r\n"
    );
    let streamed = request(w.addr, &chunked).expect("answer");
    assert_eq!(streamed.status, 413, "{streamed:?}");
    assert_eq!(w.get("/health").expect("alive").status, 200);
}

#[test]
fn idle_connections_beyond_the_cap_wait_and_are_reclaimed() {
    // No reserve: the next client waits in the backlog until the header timeout frees a slot.
    let w = hostile_with(&[("HUB_RESERVED_CONNECTIONS", "0")]);
    // Fill all 16 slots with connections that never send a byte.
    let idle: Vec<TcpStream> = (0..16).map(|_| TcpStream::connect(w.addr).expect("connect")).collect();
    std::thread::sleep(Duration::from_millis(50));
    // A new client is queued, then served once the header timeout reclaims the idle slots.
    let started = Instant::now();
    let answer = w.get("/health").expect("served eventually");
    assert_eq!(answer.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "waited {:?}",
        started.elapsed()
    );
    drop(idle);
    let metrics = w.admin_get("/metrics").expect("metrics").body;
    let rss: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("process_resident_memory_bytes "))
        .and_then(|v| v.parse().ok())
        .expect("rss metric");
    assert!(rss < 64.0 * 1024.0 * 1024.0, "rss {rss}");
}

#[test]
fn bad_configuration_exits_2_naming_the_variable() {
    let output = std::process::Command::new(common::BIN)
        .env_clear()
        .env("HUB_DEPENDS_ON", "db:5432")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("HUB_DEPENDS_ON") && stderr.contains("db:5432"),
        "{stderr}"
    );
}
