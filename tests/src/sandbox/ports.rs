//! Free loopback ports for the components, and a check (from `/proc/net/tcp*`) that a port is no longer
//! listening, used by `down` to prove it left nothing bound.

use std::net::TcpListener;

use super::error::{IoContext, Result};

/// Picks `n` distinct free ports on 127.0.0.1. All listeners are held until every port is chosen, so
/// the kernel cannot hand out the same port twice; there is still a small window before the component
/// binds, as with every "port 0" scheme (envtest does the same).
pub fn free_ports(n: usize) -> Result<Vec<u16>> {
    let mut listeners = Vec::with_capacity(n);
    for _ in 0..n {
        let l = TcpListener::bind(("127.0.0.1", 0)).ctx(|| "binding 127.0.0.1:0".to_owned())?;
        listeners.push(l);
    }
    listeners
        .iter()
        .map(|l| {
            l.local_addr()
                .map(|a| a.port())
                .ctx(|| "reading local address".to_owned())
        })
        .collect()
}

/// Ports (among `ports`) that some socket on this machine is listening on.
pub fn listening(ports: &[u16]) -> Vec<u16> {
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // cols[1] = local "ADDR:PORT" in hex, cols[3] = state; 0A = LISTEN.
            let (Some(local), Some(state)) = (cols.get(1), cols.get(3)) else {
                continue;
            };
            if *state != "0A" {
                continue;
            }
            let Some(port_hex) = local.rsplit(':').next() else {
                continue;
            };
            if let Ok(port) = u16::from_str_radix(port_hex, 16)
                && ports.contains(&port)
                && !found.contains(&port)
            {
                found.push(port);
            }
        }
    }
    found
}
