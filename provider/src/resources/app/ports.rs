//! Extra named container ports (`ports`): their checks, with attribute paths, and their pure rendering
//! into the container, the Service, probes that name a port and the Ingress backend.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use crate::diag::Diagnostics;
use crate::value::{AttributePath, Tf};

use super::model::{AppModel, NamedPort, Probe};

/// The name of the app's own port (`port`).
pub(super) const HTTP: &str = "http";

/// The known entries of `ports`.
fn entries(app: &AppModel) -> impl Iterator<Item = (&String, &NamedPort)> {
    app.ports
        .get()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k, v.get()?)))
}

fn protocol(p: &NamedPort) -> &str {
    p.protocol.as_deref().unwrap_or("TCP")
}

fn on_service(p: &NamedPort) -> bool {
    p.service.value().unwrap_or(false)
}

/// The container's ports after `http`, sorted by name.
pub(super) fn container_ports(app: &AppModel) -> Vec<Json> {
    entries(app)
        .map(|(name, p)| json!({"name": name, "containerPort": p.port.value().unwrap_or_default(), "protocol": protocol(p)}))
        .collect()
}

/// The Service's ports after `http`: the ports with `service = true`, sorted by name.
pub(super) fn service_ports(app: &AppModel) -> Vec<Json> {
    entries(app)
        .filter(|(_, p)| on_service(p))
        .map(|(name, p)| {
            let number = p.service_port.value().or(p.port.value()).unwrap_or_default();
            json!({"name": name, "port": number, "targetPort": name, "protocol": protocol(p)})
        })
        .collect()
}

/// Whether `name` is the app's own port: `http`, or its `port_name`.
fn own(app: &AppModel, name: &str) -> bool {
    name == HTTP || !app.port_name().is_empty() && name == app.port_name()
}

/// How the pod refers to the app's own port: by its name, or by number when it is unnamed.
pub(super) fn own_port_ref(app: &AppModel) -> Json {
    match app.port_name() {
        "" => json!(app.port.value().unwrap_or(8080)),
        name => json!(name),
    }
}

/// The container port number of a named port (`http` is the app's `port`).
pub(super) fn number(app: &AppModel, name: &str) -> Option<i64> {
    if own(app, name) {
        return Some(app.port.value().unwrap_or(8080));
    }
    entries(app).find(|(n, _)| *n == name).and_then(|(_, p)| p.port.value())
}

/// The Ingress backend's Service port: `http`'s number (as before named ports existed), or another
/// Service port by name.
pub(super) fn ingress_backend_port(app: &AppModel, port_name: Option<&str>) -> Json {
    match port_name {
        Some(name) if name != HTTP => json!({"name": name}),
        _ => json!({"number": app.service.get().and_then(|s| s.port.value()).unwrap_or(80)}),
    }
}

/// Why `name` is not an IANA service name (what Kubernetes requires of a port name), or `None`.
pub(super) fn iana_svc_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 15 {
        return Some("must be 1 to 15 characters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("may contain only lower-case letters, digits and '-'");
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("must contain at least one letter");
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("must not start or end with '-' nor contain \"--\"");
    }
    None
}

pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    if app.unnamed_port.value() == Some(true) && app.port_name.is_set() {
        diags.error_at(
            &AttributePath::attr("port_name"),
            "Conflicting Port Names",
            "port_name is set together with unnamed_port = true; choose one.",
        );
    }
    let service_enabled = app.service.get().and_then(|s| s.enabled.value());
    // (number, protocol) → the port that has it; `http` is the app's port, on TCP.
    let mut container: BTreeMap<(i64, String), String> = BTreeMap::new();
    if let Some(n) = app.port.value().or(app.port.is_null().then_some(8080)) {
        container.insert((n, "TCP".into()), HTTP.into());
    }
    let mut service: BTreeMap<(i64, String), String> = BTreeMap::new();
    if service_enabled != Some(false)
        && let Some(n) = app
            .service
            .get()
            .map_or(Some(80), |s| s.port.value().or(s.port.is_null().then_some(80)))
    {
        service.insert((n, "TCP".into()), format!("the `{HTTP}` port (service.port)"));
    }
    for (name, p) in app.ports.get().into_iter().flatten() {
        let here = AttributePath::attr("ports").then_key(name);
        if let Some(problem) = iana_svc_name_problem(name) {
            diags.error_at(
                &here,
                "Invalid Port Name",
                format!("{here} is not a port name (an IANA service name): its name {problem}."),
            );
        } else if own(app, name) {
            diags.error_at(
                &here,
                "Port Name Set By hub",
                format!("ports[{name:?}]: `{name}` is the app's own port, set by `port`; name this port differently."),
            );
        }
        let Some(p) = p.get() else { continue };
        if p.protocol.is_unknown() {
            continue;
        }
        let proto = protocol(p).to_owned();
        if let Some(n) = p.port.value()
            && let Some(other) = container.insert((n, proto.clone()), name.clone())
        {
            let path = here.then_attr("port");
            diags.error_at(
                &path,
                "Duplicate Port",
                format!("{path} = {n} ({proto}) is also the port of `{other}`; a container port number is used once per protocol."),
            );
        }
        if on_service(p) {
            if service_enabled == Some(false) {
                let path = here.then_attr("service");
                diags.error_at(
                    &path,
                    "Port On A Service That Is Off",
                    format!("{path} = true, but service.enabled = false: no Service carries it. Remove one of them."),
                );
            } else if let Some(n) = p.service_port.value().or(p.port.value())
                && !p.service_port.is_unknown()
                && let Some(other) = service.insert((n, proto.clone()), format!("`{name}`"))
            {
                let attr = if p.service_port.is_null() {
                    "port"
                } else {
                    "service_port"
                };
                let path = here.then_attr(attr);
                diags.error_at(
                    &path,
                    "Duplicate Service Port",
                    format!(
                        "{path} = {n} ({proto}) on the Service is also used by {other}; set ports[{name:?}].service_port \
                         to another number."
                    ),
                );
            }
        } else if !p.service.is_unknown() && p.service_port.is_set() {
            let path = here.then_attr("service_port");
            diags.error_at(
                &path,
                "Service Port Without Service",
                format!("{path} is set, but ports[{name:?}].service is not true: the port is not on the Service. Set service = true or remove service_port."),
            );
        }
    }
    for (which, probe) in [
        ("liveness", &app.liveness),
        ("readiness", &app.readiness),
        ("startup", &app.startup),
    ] {
        if let Some(p) = probe.get() {
            probe_port(app, which, p, diags);
        }
    }
    ingress_port(app, diags);
}

/// A named port that exists and carries TCP, or what is wrong with `name`.
fn tcp_port_problem(app: &AppModel, name: &str) -> Option<String> {
    if own(app, name) {
        return None;
    }
    match app.ports.get().and_then(|m| m.get(name)) {
        None if app.ports.is_unknown() => None,
        None => Some(format!("names no port: use `{HTTP}` or a key of `ports`")),
        Some(Tf::Known(p)) if !p.protocol.is_unknown() && protocol(p) != "TCP" => {
            Some(format!("names a {} port; probes and the Ingress need TCP", protocol(p)))
        }
        Some(_) => None,
    }
}

fn probe_port(app: &AppModel, which: &str, p: &Probe, diags: &mut Diagnostics) {
    let Some(name) = p.port_name.get() else { return };
    let path = AttributePath::attrs(&[which, "port_name"]);
    if p.port.is_set() {
        diags.error_at(
            &path,
            "Conflicting Probe Ports",
            format!("{path} is set together with {which}.port; choose one of port and port_name."),
        );
    }
    if p.exec.get().is_some_and(|e| !e.is_empty()) {
        diags.error_at(
            &path,
            "Probe Port Unused",
            format!("{path} is set, but {which} runs a command (exec), which uses no port. Remove port_name."),
        );
    }
    if let Some(problem) = tcp_port_problem(app, name) {
        diags.error_at(&path, "Unknown Probe Port", format!("{path} = {name:?} {problem}."));
    }
}

fn ingress_port(app: &AppModel, diags: &mut Diagnostics) {
    let Some(name) = app.ingress.get().and_then(|i| i.port_name.get()) else {
        return;
    };
    let path = AttributePath::attrs(&["ingress", "port_name"]);
    if let Some(problem) = tcp_port_problem(app, name) {
        diags.error_at(&path, "Unknown Ingress Port", format!("{path} = {name:?} {problem}."));
        return;
    }
    let port = app.ports.get().and_then(|m| m.get(name)).and_then(Tf::get);
    if let Some(p) = port
        && !p.service.is_unknown()
        && !on_service(p)
    {
        diags.error_at(
            &path,
            "Ingress Port Not On The Service",
            format!(
                "{path} = {name:?}, but ports[{name:?}].service is not true: the Ingress routes to a Service port. Set \
                 ports[{name:?}].service = true."
            ),
        );
    }
}

/// The port a probe checks: its number, its named port, or `http`. A gRPC probe takes a number only.
pub(super) fn probe_port_value(app: &AppModel, p: Option<&Probe>, grpc: bool) -> Json {
    let named = p.and_then(|p| p.port_name.as_deref());
    match (p.and_then(|p| p.port.value()), named) {
        (Some(n), _) => json!(n),
        (None, Some(name)) if grpc => json!(number(app, name).unwrap_or_default()),
        (None, Some(name)) if own(app, name) => own_port_ref(app),
        (None, Some(name)) => json!(name),
        (None, None) if grpc => json!(app.port.value().unwrap_or(8080)),
        (None, None) => own_port_ref(app),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{app_with, get, render, validate};
    use super::iana_svc_name_problem;

    #[test]
    fn iana_names() {
        assert_eq!(iana_svc_name_problem("metrics"), None);
        assert_eq!(iana_svc_name_problem("grpc-web2"), None);
        assert!(iana_svc_name_problem("prometheus-metrics").is_some());
        assert!(iana_svc_name_problem("Metrics").is_some());
        assert!(iana_svc_name_problem("9090").is_some());
        assert!(iana_svc_name_problem("a--b").is_some());
        assert!(iana_svc_name_problem("-a").is_some());
    }

    #[test]
    fn named_ports_reach_the_container_the_service_probes_and_the_ingress() {
        let objs = render(app_with(json!({
            "ports": {
                "metrics": {"port": 9090, "service": true},
                "grpc": {"port": 9000, "service": true, "service_port": 50051},
                "dns": {"port": 5353, "protocol": "UDP"},
            },
            "liveness": {"port_name": "metrics", "http_path": "/health"},
            "readiness": {"grpc": true, "port_name": "grpc"},
            "ingress": {"port_name": "grpc"},
        })));
        let pod = get(&objs, "Deployment/api")["spec"]["template"]["spec"].clone();
        let c = &pod["containers"][0];
        assert_eq!(
            c["ports"],
            json!([
                {"name": "http", "containerPort": 8080, "protocol": "TCP"},
                {"name": "dns", "containerPort": 5353, "protocol": "UDP"},
                {"name": "grpc", "containerPort": 9000, "protocol": "TCP"},
                {"name": "metrics", "containerPort": 9090, "protocol": "TCP"},
            ])
        );
        assert_eq!(
            c["livenessProbe"]["httpGet"],
            json!({"path": "/health", "port": "metrics"})
        );
        assert_eq!(c["readinessProbe"]["grpc"], json!({"port": 9000}));
        assert_eq!(
            get(&objs, "Service/api")["spec"]["ports"],
            json!([
                {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"},
                {"name": "grpc", "port": 50051, "targetPort": "grpc", "protocol": "TCP"},
                {"name": "metrics", "port": 9090, "targetPort": "metrics", "protocol": "TCP"},
            ])
        );
        assert_eq!(
            get(&objs, "Ingress/api")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"],
            json!({"name": "grpc"})
        );
    }

    #[test]
    fn bad_ports_are_refused_naming_the_attribute() {
        let refused = |extra| validate(app_with(extra));
        assert_eq!(
            refused(json!({"ports": {"http": {"port": 9090}}})),
            ["ports[\"http\"]: Port Name Set By hub"]
        );
        assert_eq!(
            refused(json!({"ports": {"prometheus-metrics": {"port": 9090}}})),
            ["ports[\"prometheus-metrics\"]: Invalid Port Name"]
        );
        assert_eq!(
            refused(json!({"ports": {"metrics": {"port": 8080}}})),
            ["ports[\"metrics\"].port: Duplicate Port"]
        );
        assert!(refused(json!({"ports": {"dns": {"port": 8080, "protocol": "UDP"}}})).is_empty());
        assert_eq!(
            refused(json!({"ports": {"metrics": {"port": 9090, "service": true, "service_port": 80}}})),
            ["ports[\"metrics\"].service_port: Duplicate Service Port"]
        );
        assert_eq!(
            refused(json!({"ports": {"metrics": {"port": 9090, "service": true}}, "service": {"enabled": false}})),
            ["ports[\"metrics\"].service: Port On A Service That Is Off"]
        );
        assert_eq!(
            refused(json!({"ports": {"metrics": {"port": 9090, "service": false, "service_port": 9091}}})),
            ["ports[\"metrics\"].service_port: Service Port Without Service"]
        );
        assert_eq!(
            refused(json!({"liveness": {"port_name": "admin"}})),
            ["liveness.port_name: Unknown Probe Port"]
        );
        assert_eq!(
            refused(json!({"readiness": {"port_name": "http", "port": 8080}})),
            ["readiness.port_name: Conflicting Probe Ports"]
        );
        assert_eq!(
            refused(json!({"startup": {"port_name": "http", "exec": ["true"]}})),
            ["startup.port_name: Probe Port Unused"]
        );
        assert_eq!(
            refused(json!({"ports": {"dns": {"port": 53, "protocol": "UDP"}}, "liveness": {"port_name": "dns"}})),
            ["liveness.port_name: Unknown Probe Port"]
        );
        assert_eq!(
            refused(json!({"ingress": {"port_name": "admin"}})),
            ["ingress.port_name: Unknown Ingress Port"]
        );
        assert_eq!(
            refused(json!({"ports": {"admin": {"port": 9000}}, "ingress": {"port_name": "admin"}})),
            ["ingress.port_name: Ingress Port Not On The Service"]
        );
    }
}
