//! `env_from_secret`, `env_from_config_map` and `env_from`: what the container reads from objects hub does
//! not own. With its pod defaults hub renders every such reference with `optional`, its own ConfigMap and
//! Secret without it; without them every `envFrom` entry is one of `env_from`.

use serde_json::Value as Json;

use super::super::model::{AppModel, EnvFrom, KeyRef, KeyRefs};
use super::live::{self, Live};
use crate::value::Tf;

/// The single-key references of one kind (`secretKeyRef`, `configMapKeyRef`), by variable name.
fn key_refs(container: &Json, field: &str) -> Tf<KeyRefs> {
    let refs: KeyRefs = container
        .get("env")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let r = e.pointer("/valueFrom")?.get(field)?;
            let entry = KeyRef {
                name: live::string(r.get("name")),
                key: live::string(r.get("key")),
                optional: live::boolean(r.get("optional")),
            };
            Some((e.get("name")?.as_str()?.to_owned(), Tf::Known(entry)))
        })
        .collect();
    if refs.is_empty() { Tf::Null } else { Tf::Known(refs) }
}

/// `env_from_secret`, `env_from_config_map`, `env_from`.
pub(super) fn env_refs(live: &Live, app: &mut AppModel) {
    let Some(c) = live.container() else { return };
    let hub = app.hub_pod_defaults();
    app.env_from_secret = key_refs(c, "secretKeyRef");
    app.env_from_config_map = key_refs(c, "configMapKeyRef");
    let entries: Vec<Tf<EnvFrom>> = c
        .get("envFrom")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let (secret, r) = match (e.get("secretRef"), e.get("configMapRef")) {
                (Some(r), _) => (true, r),
                (None, Some(r)) => (false, r),
                _ => return None,
            };
            // With hub's pod defaults an entry without `optional` is the app's own object (`config`).
            if hub {
                r.get("optional")?;
            }
            let name = live::string(r.get("name"));
            let (secret, config_map) = if secret { (name, Tf::Null) } else { (Tf::Null, name) };
            Some(Tf::Known(EnvFrom {
                secret,
                config_map,
                prefix: live::string(e.get("prefix")),
                optional: live::boolean(r.get("optional")),
            }))
        })
        .collect();
    app.env_from = if entries.is_empty() {
        Tf::Null
    } else {
        Tf::Known(entries)
    };
}
