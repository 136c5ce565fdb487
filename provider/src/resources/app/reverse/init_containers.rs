//! `init_containers`: the pod's init containers and sidecars, in order. Security settings equal to the app
//! container's read back null (the configuration's default), and hub's `/tmp` mount is left out.

use serde_json::Value as Json;

use super::super::model::{AppModel, ContainerSecurity, InitContainer, VolumeMount};
use super::live::{self, Live};
use crate::value::Tf;

/// `init_containers`, after `security` (whose values read back as null here).
pub(super) fn init_containers(live: &Live, app: &mut AppModel) {
    let Some(list) = live
        .pod()
        .and_then(|p| p.get("initContainers"))
        .and_then(Json::as_array)
    else {
        return;
    };
    // With hub's defaults an init container inherits the app container's settings; without, it has its own.
    let main = live
        .container()
        .and_then(|c| c.get("securityContext"))
        .filter(|_| app.hub_pod_defaults());
    let hub = app.hub_pod_defaults();
    let containers: Vec<Tf<InitContainer>> = list.iter().map(|c| Tf::Known(container(c, main, hub))).collect();
    if !containers.is_empty() {
        app.init_containers = Tf::Known(containers);
    }
}

/// `hub`: with hub's pod defaults, whose `/tmp` mount is hub's own.
fn container(c: &Json, main: Option<&Json>, hub: bool) -> InitContainer {
    let env = c
        .get("env")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let value = e.get("value").and_then(Json::as_str).unwrap_or_default();
            Some((e.get("name")?.as_str()?.to_owned(), value.to_owned()))
        })
        .collect();
    let mounts: Vec<Tf<VolumeMount>> = c
        .get("volumeMounts")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter(|m| {
            !(hub && m.get("name") == Some(&Json::from("tmp")) && m.get("mountPath") == Some(&Json::from("/tmp")))
        })
        .map(|m| {
            Tf::Known(VolumeMount {
                volume: live::string(m.get("name")),
                mount_path: live::string(m.get("mountPath")),
                // `readOnly: false` is never rendered: only true is a setting.
                read_only: Tf::from_option(m.get("readOnly").and_then(Json::as_bool).filter(|b| *b)),
                sub_path: live::string(m.get("subPath")),
            })
        })
        .collect();
    InitContainer {
        name: live::string(c.get("name")),
        image: live::string(c.get("image")),
        command: live::strings(c.get("command")),
        args: live::strings(c.get("args")),
        env: live::user_map(env),
        resources: c.get("resources").map_or(Tf::Null, super::container::read_resources),
        volume_mounts: if mounts.is_empty() { Tf::Null } else { Tf::Known(mounts) },
        security: security(c.get("securityContext"), main),
        sidecar: Tf::from_option((c.get("restartPolicy").and_then(Json::as_str) == Some("Always")).then_some(true)),
    }
}

/// The settings that differ from the app container's; null when none does.
fn security(own: Option<&Json>, main: Option<&Json>) -> Tf<ContainerSecurity> {
    let field = |name: &str| {
        let mine = own.and_then(|s| s.get(name));
        (mine != main.and_then(|s| s.get(name))).then_some(mine).flatten()
    };
    let s = ContainerSecurity {
        run_as_user: live::int(field("runAsUser")),
        run_as_group: live::int(field("runAsGroup")),
        read_only_root_filesystem: live::boolean(field("readOnlyRootFilesystem")),
        allow_privilege_escalation: live::boolean(field("allowPrivilegeEscalation")),
    };
    if s == ContainerSecurity::default() {
        Tf::Null
    } else {
        Tf::Known(s)
    }
}
