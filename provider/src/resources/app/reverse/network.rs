//! `service` and `ingress`: the Service in front of the pods and the ALB Ingress, with hub's typed
//! annotations turned back into their attributes.

use serde_json::Value as Json;

use super::super::model::{AppModel, Ingress, Service};
use super::live::{self, Live};
use crate::value::Tf;

/// `service`: disabled when the app has no Service.
pub(super) fn service(live: &Live, app: &mut AppModel) {
    let Some(s) = live.object("Service") else {
        app.service = Tf::Known(Service {
            enabled: Tf::Known(false),
            ..Service::default()
        });
        return;
    };
    let http = s.pointer("/spec/ports").and_then(Json::as_array).and_then(|ports| {
        ports
            .iter()
            .find(|p| p.get("name").and_then(Json::as_str) == Some("http"))
    });
    // A node port the cluster picked is not a setting: only one a field manager set counts.
    let node_port = if live.set_by_someone("Service", &["spec", "ports", "*", "nodePort"]) {
        live::int(http.and_then(|p| p.get("nodePort")))
    } else {
        Tf::Null
    };
    let name = live::string(s.pointer("/metadata/name"));
    app.service = Tf::Known(Service {
        enabled: Tf::Known(true),
        kind: live::string(s.pointer("/spec/type")),
        port: live::int(http.and_then(|p| p.get("port"))),
        node_port,
        name: Tf::from_option(name.known().filter(|n| *n != live.name)),
        annotations: live::user_map(live::user_annotations(s.pointer("/metadata/annotations"))),
    });
}

const ALB: &str = "alb.ingress.kubernetes.io/";

/// `ingress`: null when the app has none. Reads `readiness` (for the default health check path).
pub(super) fn ingress(live: &Live, app: &mut AppModel) {
    let Some(i) = live.object("Ingress") else { return };
    let mut annotations = live::user_annotations(i.pointer("/metadata/annotations"));
    let mut take = |key: &str| Tf::from_option(annotations.remove(&format!("{ALB}{key}")));
    let scheme = take("scheme");
    let target_type = take("target-type");
    let health = take("healthcheck-path");
    let certificate_arn = take("certificate-arn");
    let group_name = take("group.name");
    let mut ssl_redirect = Tf::Null;
    if certificate_arn.is_set() {
        take("listen-ports");
        // On by default with a certificate: only `false` leaves a trace (no redirect annotation).
        if take("ssl-redirect").is_null() {
            ssl_redirect = Tf::Known(false);
        }
    }
    let readiness = app
        .readiness
        .get()
        .and_then(|r| r.http_path.as_deref())
        .unwrap_or("/ready");
    let rules = i.pointer("/spec/rules").and_then(Json::as_array);
    let hosts: Vec<Tf<String>> = rules
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("host")?.as_str())
        .map(|h| Tf::Known(h.to_owned()))
        .collect();
    let path = rules
        .and_then(|r| r.first())
        .and_then(|r| r.pointer("/http/paths/0/path"));
    app.ingress = Tf::Known(Ingress {
        hosts: if hosts.is_empty() { Tf::Null } else { Tf::Known(hosts) },
        path: live::string(path),
        class: live::string(i.pointer("/spec/ingressClassName")),
        scheme,
        target_type,
        certificate_arn,
        ssl_redirect,
        health_check_path: Tf::from_option(health.known().filter(|p| p != readiness)),
        group_name,
        annotations: live::user_map(annotations),
        // Set only when the configuration named the port: unset, the backend names the `http` port by number.
        port_name: live::string(
            rules
                .and_then(|r| r.first())
                .and_then(|r| r.pointer("/http/paths/0/backend/service/port/name")),
        ),
        // Read by the next group (`shutdown.rs`), which also takes hub's delay out of `annotations`.
        graceful_shutdown: Tf::Null,
    });
}

/// The Service an Ingress routes to, for the import to find a custom-named Service.
pub(crate) fn backend_service(ingress: &Json) -> Option<String> {
    ingress
        .pointer("/spec/rules/0/http/paths/0/backend/service/name")
        .and_then(Json::as_str)
        .map(str::to_owned)
}
