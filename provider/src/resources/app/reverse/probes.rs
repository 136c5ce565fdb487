//! `probes_enabled` and the three probes. A probe that renders exactly as its default (HTTP GET of the seed
//! path on `http`) reads back null with hub's pod defaults (`{}` without them, where null is no probe), as
//! does a timing field the API server filled in.

use serde_json::Value as Json;

use super::super::model::{AppModel, Probe};
use super::live::{self, Live};
use crate::value::Tf;

/// The probes: attribute, container field, default HTTP path.
pub(super) const PROBES: [(&str, &str, &str); 3] = [
    ("liveness", "livenessProbe", "/health"),
    ("readiness", "readinessProbe", "/ready"),
    ("startup", "startupProbe", "/startup"),
];

/// `probes_enabled`, `liveness`, `readiness`, `startup`.
pub(super) fn probes(live: &Live, app: &mut AppModel) {
    let Some(c) = live.container() else { return };
    let hub = app.hub_pod_defaults();
    let any = PROBES.iter().any(|(_, field, _)| c.get(*field).is_some());
    // Without hub's defaults a probe renders only where one is set: none is not `probes_enabled = false`.
    app.probes_enabled = if hub || any { Tf::Known(any) } else { Tf::Null };
    for (attr, field, default_path) in PROBES {
        let read = c
            .get(field)
            .map(|p| probe(live, app.port.value(), p, field, default_path))
            .map(|p| own_port_is_default(app, p))
            .filter(|p| !hub || *p != Probe::default());
        let slot = match attr {
            "liveness" => &mut app.liveness,
            "readiness" => &mut app.readiness,
            _ => &mut app.startup,
        };
        *slot = Tf::from_option(read);
    }
}

fn probe(live: &Live, app_port: Option<i64>, p: &Json, field: &str, default_path: &str) -> Probe {
    let mut out = Probe::default();
    // `http` (the app's port by name) is the default; a number is an explicit port.
    let port = |v: Option<&Json>| Tf::from_option(v.and_then(Json::as_i64));
    if let Some(exec) = p.get("exec") {
        out.exec = live::user_list(exec.get("command"));
    } else if let Some(grpc) = p.get("grpc") {
        out.grpc = Tf::Known(true);
        out.port = Tf::from_option(
            port(grpc.get("port"))
                .known()
                .filter(|n| *n != app_port.unwrap_or(8080)),
        );
    } else if let Some(tcp) = p.get("tcpSocket") {
        out.tcp = Tf::Known(true);
        (out.port, out.port_name) = (port(tcp.get("port")), port_name(tcp.get("port")));
    } else if let Some(http) = p.get("httpGet") {
        out.http_path = Tf::from_option(
            live::string(http.get("path"))
                .known()
                .filter(|path| path != default_path),
        );
        (out.port, out.port_name) = (port(http.get("port")), port_name(http.get("port")));
    }
    for (slot, name) in [
        (&mut out.initial_delay_seconds, "initialDelaySeconds"),
        (&mut out.period_seconds, "periodSeconds"),
        (&mut out.timeout_seconds, "timeoutSeconds"),
        (&mut out.failure_threshold, "failureThreshold"),
    ] {
        let path = ["spec", "template", "spec", "containers", "*", field, name];
        if live.set_by_someone("Deployment", &path) {
            *slot = live::int(p.get(name));
        }
    }
    out
}

/// The app's own port is a probe's default: by its `port_name`, or by number when it is unnamed.
fn own_port_is_default(app: &AppModel, mut p: Probe) -> Probe {
    let own = app.port_name();
    if !own.is_empty() && p.port_name.as_deref() == Some(own) {
        p.port_name = Tf::Null;
    }
    if own.is_empty() && p.grpc.value() != Some(true) && p.port.value() == Some(app.port.value().unwrap_or(8080)) {
        p.port = Tf::Null;
    }
    p
}

/// A port given by name: null for `http`, the default.
fn port_name(v: Option<&Json>) -> Tf<String> {
    Tf::from_option(v.and_then(Json::as_str).filter(|n| *n != "http").map(str::to_owned))
}
