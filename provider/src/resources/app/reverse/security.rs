//! `pod_defaults`, `security` and `pod_security`: whether hub's pod defaults are on the pods, and the
//! container's and the pod's security contexts. With hub's defaults a setting equal to hub's reads back
//! null; without them every field the objects hold is a setting.

use super::super::model::{AppModel, PodSecurity, Security};
use super::super::pod_defaults::hub_pod_security_context;
use super::super::render::CHECKSUM_ANNOTATION;
use super::live::{self, Live};
use crate::value::Tf;

/// `pod_defaults`: `"none"` when the pods lack hub's config checksum (another tool made them, or hub
/// without its defaults), so that the import renders only what the pods hold.
pub(super) fn pod_defaults(live: &Live, app: &mut AppModel) {
    let Some(template) = live.object("Deployment").and_then(|d| d.pointer("/spec/template")) else {
        return;
    };
    let hubs = template
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(CHECKSUM_ANNOTATION))
        .is_some();
    app.pod_defaults = if hubs { Tf::Null } else { Tf::Known("none".into()) };
}

/// `security`: the container's security context and the pod's token setting.
pub(super) fn security(live: &Live, app: &mut AppModel) {
    let (Some(c), Some(pod)) = (live.container(), live.pod()) else {
        return;
    };
    let sc = c.get("securityContext");
    let field = |name: &str| sc.and_then(|s| s.get(name));
    let mut read = Security {
        run_as_user: live::int(field("runAsUser")),
        run_as_group: live::int(field("runAsGroup")),
        read_only_root_filesystem: live::boolean(field("readOnlyRootFilesystem")),
        allow_privilege_escalation: live::boolean(field("allowPrivilegeEscalation")),
        automount_service_account_token: live::boolean(pod.get("automountServiceAccountToken")),
        run_as_non_root: live::boolean(field("runAsNonRoot")),
        capabilities_drop: field("capabilities").map_or(Tf::Null, |c| {
            Tf::Known(live::user_list(c.get("drop")).known().unwrap_or_default())
        }),
        seccomp_profile: live::string(field("seccompProfile").and_then(|s| s.get("type"))),
    };
    if app.hub_pod_defaults() {
        // What hub renders when these are null.
        let user = read.run_as_user.value().unwrap_or(10001);
        if read.run_as_non_root.value() == Some(user != 0) {
            read.run_as_non_root = Tf::Null;
        }
        if read
            .capabilities_drop
            .get()
            .is_some_and(|d| d.len() == 1 && d[0].as_deref() == Some("ALL"))
        {
            read.capabilities_drop = Tf::Null;
        }
        if read.seccomp_profile.as_deref() == Some("RuntimeDefault") {
            read.seccomp_profile = Tf::Null;
        }
    }
    app.security = if read == Security::default() {
        Tf::Null
    } else {
        Tf::Known(read)
    };
}

/// `pod_security`: the pod's security context, null when it is hub's (with hub's defaults) or absent.
pub(super) fn pod_security(live: &Live, app: &mut AppModel) {
    let Some(sc) = live.pod().and_then(|p| p.get("securityContext")) else {
        return;
    };
    if app.hub_pod_defaults() && *sc == hub_pod_security_context(app) {
        return;
    }
    let field = |name: &str| sc.get(name);
    app.pod_security = Tf::Known(PodSecurity {
        run_as_user: live::int(field("runAsUser")),
        run_as_group: live::int(field("runAsGroup")),
        run_as_non_root: live::boolean(field("runAsNonRoot")),
        fs_group: live::int(field("fsGroup")),
        seccomp_profile: live::string(field("seccompProfile").and_then(|s| s.get("type"))),
    });
}
