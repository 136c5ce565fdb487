//! Checks of `init_containers`, with attribute paths, before anything is written. Unknown values are skipped.

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::k8s::quantity;
use crate::schema::validators::dns1123_label_problem;
use crate::value::AttributePath;

use super::super::checks::env_name_problem;
use super::super::model::{AppModel, InitContainer, keys};
use super::super::volumes::{self, check_mounts};
use super::{TMP_VOLUME, entries};

pub(in super::super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    let mut names: BTreeMap<&str, AttributePath> = BTreeMap::new();
    for (i, c) in entries(app) {
        let here = AttributePath::attr("init_containers").then_index(i);
        if let Some(name) = c.name.as_deref() {
            let path = here.then_attr("name");
            if let Some(p) = dns1123_label_problem(name, 63) {
                diags.error_at(
                    &path,
                    "Invalid Container Name",
                    format!("{path} = {name:?} is not a container name (a DNS-1123 label): it {p}."),
                );
            } else if app.name.get().is_some() && app.container_name() == name {
                diags.error_at(
                    &path,
                    "Container Name Taken",
                    format!(
                        "{path} = {name:?} is the name of the app's own container; name the init container differently."
                    ),
                );
            } else if let Some(first) = names.insert(name, path.clone()) {
                diags.error_at(
                    &path,
                    "Duplicate Container Name",
                    format!(
                        "{path} = {name:?} is already the name of {first}; each container of a pod needs its own name."
                    ),
                );
            }
        }
        if let Some(image) = c.image.as_deref()
            && let Err(why) = crate::k8s::image::parse(image)
        {
            let path = here.then_attr("image");
            diags.error_at(
                &path,
                "Invalid Image",
                format!("{path} = {image:?} is not an image reference: {why}."),
            );
        }
        for key in keys(&c.env) {
            if let Some(p) = env_name_problem(key) {
                let path = here.then_attr("env").then_key(key);
                diags.error_at(
                    &path,
                    "Invalid Environment Variable",
                    format!("{path}: {key:?} is not an environment variable name: it {p}."),
                );
            }
        }
        mounts(app, &here, c, diags);
        requests(&here, c, diags);
    }
}

/// A request above its limit, the schema's default requests counted (a limit alone may fall below them).
fn requests(here: &AttributePath, c: &InitContainer, diags: &mut Diagnostics) {
    let Some(r) = c.resources.get() else { return };
    for (req, request, default, lim, limit) in [
        ("cpu_request", &r.cpu_request, "100m", "cpu_limit", &r.cpu_limit),
        (
            "memory_request",
            &r.memory_request,
            "128Mi",
            "memory_limit",
            &r.memory_limit,
        ),
    ] {
        if request.is_unknown() {
            continue;
        }
        let (value, said) = match request.get() {
            Some(v) => (v.as_str(), String::new()),
            None => (default, " (the default)".to_owned()),
        };
        if let Some(l) = limit.get()
            && let (Some(rq), Some(lq)) = (quantity::parse(value), quantity::parse(l))
            && rq > lq
        {
            let path = here.then_attr("resources").then_attr(req);
            diags.error_at(
                &path,
                "Request Above Limit",
                format!("{path} = {value:?}{said} is above {lim} ({l:?}); Kubernetes rejects that. Lower the request or raise the limit."),
            );
        }
    }
}

/// The init container's mounts: of `volumes` or hub's `tmp`, at their own paths (`/tmp` is hub's).
fn mounts(app: &AppModel, here: &AttributePath, c: &InitContainer, diags: &mut Diagnostics) {
    let mut declared = volumes::declared(app);
    let mut taken = BTreeMap::new();
    // While `pod_defaults` is unknown, hub's `tmp` may be there and `/tmp` may be free.
    if app.hub_pod_defaults() {
        declared.insert(TMP_VOLUME);
    }
    if app.surely_hub_pod_defaults() {
        taken.insert("/tmp".to_owned(), "hub's /tmp volume".to_owned());
    }
    let known = (!app.volumes.is_unknown()).then_some(&declared);
    check_mounts(&c.volume_mounts, &here.then_attr("volume_mounts"), known, taken, diags);
}
