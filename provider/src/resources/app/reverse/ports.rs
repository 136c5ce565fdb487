//! `ports`: the container's named ports besides `http`, each on the Service when the Service has a port of
//! the same name.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::super::model::{AppModel, NamedPort};
use super::live::{self, Live};
use crate::value::Tf;

/// The port of `ports` named `name`.
fn find<'a>(ports: Option<&'a Json>, name: &str) -> Option<&'a Json> {
    ports?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(Json::as_str) == Some(name))
}

/// `ports`.
pub(super) fn ports(live: &Live, app: &mut AppModel) {
    let Some(c) = live.container() else { return };
    let service_ports = live.object("Service").and_then(|s| s.pointer("/spec/ports"));
    let ports: BTreeMap<String, Tf<NamedPort>> = c
        .get("ports")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            if name == "http" || name == app.port_name() {
                return None;
            }
            let number = live::int(p.get("containerPort"));
            let on_service = find(service_ports, name);
            let service_port = live::int(on_service.and_then(|s| s.get("port")));
            Some((
                name.to_owned(),
                Tf::Known(NamedPort {
                    protocol: live::string(p.get("protocol")),
                    service: Tf::Known(on_service.is_some()),
                    // Null when it is the container port: the default.
                    service_port: Tf::from_option(service_port.known().filter(|n| Some(*n) != number.value())),
                    port: number,
                }),
            ))
        })
        .collect();
    app.ports = if ports.is_empty() { Tf::Null } else { Tf::Known(ports) };
}
