//! Graceful shutdown of the real binary: readiness flips at once, in-flight work finishes, exit 0.

mod common;

use common::{Workload, request};
use rustix::process::Signal;
use std::time::{Duration, Instant};

#[test]
fn sigterm_fails_readiness_within_100ms_and_lets_in_flight_requests_finish() {
    let mut workload = Workload::start(&[
        ("HUB_DEBUG_ENDPOINTS", "true"),
        ("HUB_DRAIN_DELAY", "1s"),
        ("HUB_SHUTDOWN_TIMEOUT", "10s"),
    ]);
    assert_eq!(workload.get("/ready").expect("ready").status, 200);

    let addr = workload.addr;
    let slow = std::thread::spawn(move || {
        request(
            addr,
            "GET /debug/sleep/1500 HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
        )
    });
    std::thread::sleep(Duration::from_millis(200)); // the slow request is now in its handler

    workload.signal(Signal::TERM);
    let signalled = Instant::now();
    // The time each probe was sent, so a slow answer on a busy machine is not mistaken for a slow flip.
    let first_503_sent = loop {
        let sent = signalled.elapsed();
        let ready = workload.get("/ready").expect("ready during drain");
        if ready.status == 503 {
            assert_eq!(ready.json()["reason"], "draining");
            break sent;
        }
        assert!(sent < Duration::from_secs(1), "readiness never failed");
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(
        first_503_sent <= Duration::from_millis(100),
        "readiness failed only for a probe sent after {first_503_sent:?}"
    );

    // Still serving (new connections included) during the drain delay; liveness unaffected.
    assert_eq!(workload.get("/health").expect("health while draining").status, 200);

    let slow = slow.join().expect("thread").expect("slow request completes");
    assert_eq!(slow.status, 200, "{slow:?}");
    assert_eq!(slow.json()["slept_ms"], 1500);

    let status = workload.wait(Duration::from_secs(10)).expect("exits after draining");
    assert!(status.success(), "exit status {status:?}");
    assert!(
        signalled.elapsed() >= Duration::from_secs(1),
        "honoured the drain delay"
    );
    let log = workload.log_lines().join("\n");
    for message in [
        "draining: readiness fails",
        "listener closed",
        "all connections finished",
    ] {
        assert!(log.contains(message), "{message:?} not logged:\n{log}");
    }
}

#[test]
fn shutdown_deadline_bounds_a_stuck_request_and_still_exits_0() {
    let mut workload = Workload::start(&[
        ("HUB_DEBUG_ENDPOINTS", "true"),
        ("HUB_DRAIN_DELAY", "0s"),
        ("HUB_SHUTDOWN_TIMEOUT", "300ms"),
    ]);
    let addr = workload.addr;
    let stuck = std::thread::spawn(move || {
        request(
            addr,
            "GET /debug/sleep/20000 HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
        )
    });
    std::thread::sleep(Duration::from_millis(200));
    let signalled = Instant::now();
    workload.signal(Signal::TERM);
    let status = workload.wait(Duration::from_secs(5)).expect("exits at the deadline");
    assert!(status.success(), "{status:?}");
    assert!(
        signalled.elapsed() < Duration::from_secs(2),
        "took {:?}",
        signalled.elapsed()
    );
    // The stuck client sees its connection dropped, not a response.
    assert!(stuck.join().expect("thread").is_err());
    assert!(workload.log_lines().join("\n").contains("shutdown deadline passed"));
}

#[test]
fn a_second_signal_ends_the_drain_delay_early() {
    let mut workload = Workload::start(&[("HUB_DRAIN_DELAY", "30s")]);
    workload.signal(Signal::TERM);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(workload.get("/ready").expect("ready").status, 503);
    let second = Instant::now();
    workload.signal(Signal::INT);
    let status = workload
        .wait(Duration::from_secs(5))
        .expect("exits soon after the second signal");
    assert!(status.success());
    assert!(second.elapsed() < Duration::from_secs(2));
}
