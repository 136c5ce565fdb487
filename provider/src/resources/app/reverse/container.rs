//! The app's container: image, command, args, port, env, resources and security context.

use serde_json::Value as Json;

use super::super::model::{AppModel, Resources};
use super::super::render::SECRET_KEYS_ENV;
use super::live::{self, Live};
use crate::value::Tf;

/// `container_name` (when not the app's), `image`, `command`, `args`, `port`, `port_name`, `unnamed_port`.
pub(super) fn basics(live: &Live, app: &mut AppModel) {
    let Some(c) = live.container() else { return };
    app.container_name = Tf::from_option(live::string(c.get("name")).known().filter(|n| *n != live.name));
    app.image = live::string(c.get("image"));
    app.command = live::strings(c.get("command"));
    app.args = live::strings(c.get("args"));
    let own = own_port(c);
    app.port = live::int(own.and_then(|p| p.get("containerPort")));
    // hub renders its own port first: `http`, the one `port_name` names, or an unnamed one.
    let name = own.map(|p| p.get("name").and_then(Json::as_str).unwrap_or_default());
    app.port_name = Tf::from_option(name.filter(|n| !n.is_empty() && *n != "http").map(str::to_owned));
    app.unnamed_port = Tf::from_option((name == Some("")).then_some(true));
}

/// The app's own port: the one named `http`, else the first.
fn own_port(c: &Json) -> Option<&Json> {
    let ports = c.get("ports")?.as_array()?;
    ports
        .iter()
        .find(|p| p.get("name").and_then(Json::as_str) == Some("http"))
        .or_else(|| ports.first())
}

/// `env`: the plain values, without the list of secret keys hub adds for the app's Secret.
pub(super) fn env(live: &Live, app: &mut AppModel) {
    let Some(c) = live.container() else { return };
    let env = c
        .get("env")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter(|e| e.get("valueFrom").is_none())
        .filter_map(|e| {
            let name = e.get("name")?.as_str()?;
            let value = e.get("value").and_then(Json::as_str).unwrap_or_default();
            (name != SECRET_KEYS_ENV).then(|| (name.to_owned(), value.to_owned()))
        })
        .collect();
    app.env = live::user_map(env);
}

/// `resources`: requests and limits as the objects hold them (a cluster writes quantities canonically);
/// null when there are none.
pub(super) fn resources(live: &Live, app: &mut AppModel) {
    let Some(r) = live.container().and_then(|c| c.get("resources")) else {
        return;
    };
    app.resources = read_resources(r);
}

/// A container's `resources`, null when it sets no request or limit.
pub(super) fn read_resources(r: &Json) -> Tf<Resources> {
    let q = |section: &str, kind: &str| live::string(r.get(section).and_then(|s| s.get(kind)));
    let read = Resources {
        cpu_request: q("requests", "cpu"),
        memory_request: q("requests", "memory"),
        cpu_limit: q("limits", "cpu"),
        memory_limit: q("limits", "memory"),
    };
    if read == Resources::default() {
        Tf::Null
    } else {
        Tf::Known(read)
    }
}
