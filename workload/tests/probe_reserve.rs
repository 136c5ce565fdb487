//! Probes under a connection flood: with every ordinary slot held by idle sockets, the probes still answer
//! at once on reserved connections, other routes are shed with a quick 503 instead of a wait, and the admin
//! port is not affected.

mod common;

use common::{Response, Workload, parse};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// How long a probe may take; far below the header timeout that frees a slot held by an idle socket.
const DEADLINE: Duration = Duration::from_secs(3);

/// GETs `path` and fails unless the whole answer arrives within `DEADLINE`.
fn get_within(addr: SocketAddr, path: &str) -> Response {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(DEADLINE)).expect("timeout");
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nhost: kubelet\r\nconnection: close\r\n\r\n").as_bytes())
        .expect("send");
    let mut bytes = Vec::new();
    if let Err(error) = stream.read_to_end(&mut bytes) {
        panic!("GET {path}: no answer within {DEADLINE:?} ({error})");
    }
    assert!(started.elapsed() < DEADLINE, "GET {path} took {:?}", started.elapsed());
    parse(&bytes).expect("response")
}

#[test]
fn probes_answer_while_idle_sockets_hold_every_slot() {
    let w = Workload::start(&[
        ("HUB_MAX_CONNECTIONS", "8"),
        ("HUB_RESERVED_CONNECTIONS", "4"),
        ("HUB_HEADER_TIMEOUT", "30s"),
    ]);
    // Connections are accepted in the order they were made: these take all eight ordinary slots.
    let idle: Vec<TcpStream> = (0..8).map(|_| TcpStream::connect(w.addr).expect("connect")).collect();

    for path in ["/health", "/api/v1/health", "/ready", "/startup"] {
        let answer = get_within(w.addr, path);
        assert_eq!(answer.status, 200, "{path}: {answer:?}");
    }
    let shed = get_within(w.addr, "/");
    assert_eq!(
        (shed.status, shed.json()["error"].clone()),
        (503, "busy".into()),
        "{shed:?}"
    );
    let metrics = get_within(w.admin, "/metrics");
    assert_eq!(metrics.status, 200, "the admin port has its own slots");

    // Once the flood is gone the ordinary slots free up and every route is served again.
    drop(idle);
    let deadline = Instant::now() + DEADLINE;
    while get_within(w.addr, "/").status != 200 {
        assert!(
            Instant::now() < deadline,
            "/ was not served again after the idle sockets closed"
        );
    }
}
