//! Checks of `init_containers`, with attribute paths, before anything is written. Unknown values are skipped.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostics;
use crate::schema::validators::dns1123_label_problem;
use crate::value::AttributePath;

use super::super::checks::env_name_problem;
use super::super::model::{AppModel, InitContainer, keys};
use super::super::volumes::relative_path_problem;
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
            } else if app.name.as_deref() == Some(name) {
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
    }
}

fn mounts(app: &AppModel, here: &AttributePath, c: &InitContainer, diags: &mut Diagnostics) {
    let declared: BTreeSet<&str> = app
        .volumes
        .get()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .chain([TMP_VOLUME])
        .collect();
    let mut taken: BTreeMap<String, String> = BTreeMap::from([("/tmp".to_owned(), "hub's /tmp volume".to_owned())]);
    for (j, m) in c.volume_mounts.get().into_iter().flatten().enumerate() {
        let Some(m) = m.get() else { continue };
        let at = here.then_attr("volume_mounts").then_index(j);
        if let Some(v) = m.volume.get()
            && !app.volumes.is_unknown()
            && !declared.contains(v.as_str())
        {
            let path = at.then_attr("volume");
            diags.error_at(
                &path,
                "Unknown Volume",
                format!("{path} = {v:?} is not a key of `volumes` (nor `tmp`, hub's scratch volume); declare the volume there first."),
            );
        }
        if let Some(p) = m.mount_path.get() {
            let path = at.then_attr("mount_path");
            if !p.starts_with('/') {
                diags.error_at(
                    &path,
                    "Invalid Mount Path",
                    format!("{path} = {p:?} must be an absolute path, e.g. \"/data\"."),
                );
            } else if let Some(other) = taken.insert(p.trim_end_matches('/').to_owned(), path.to_string()) {
                diags.error_at(
                    &path,
                    "Duplicate Mount Path",
                    format!("{path} = {p:?} is already mounted by {other}; each path can hold one mount."),
                );
            }
        }
        if let Some(sub) = m.sub_path.get()
            && let Some(p) = relative_path_problem(sub)
        {
            let path = at.then_attr("sub_path");
            diags.error_at(&path, "Invalid Sub Path", format!("{path} = {sub:?} {p}."));
        }
    }
}
