//! Which objects belong to this `hub_app` resource instance. Every state applies as field manager `hub`,
//! so server-side apply alone cannot tell two configurations with the same name and namespace apart: each
//! instance carries a random `instance_id`, stamped on its objects as an annotation. Create refuses objects
//! that carry another instance's id (or none: made by another tool) unless the user imported the app or set
//! `adopt_existing`, and destroy deletes only objects that carry this instance's id, with a UID
//! precondition so an object re-created meanwhile is never deleted by name. The one exception is an
//! interrupted create (see [`COMPLETE_ANNOTATION`]), whose remains the next create completes. A known limit:
//! a create still running in another state (during its rollout wait) is not marked yet either, so two
//! states that create the same app at the same moment can still meet; closing that needs a lease.

use futures_util::future::try_join_all;
use kube::api::{DeleteParams, DynamicObject, Patch, PatchParams, Preconditions};
use kube::{Api, Client};
use serde_json::{Value as Json, json};

use crate::diag::Diagnostics;
use crate::k8s;
use crate::k8s::labels::FIELD_MANAGER;

use super::render::{INSTANCE_ANNOTATION, Object};

/// A fresh instance id: 128 random bits as hex.
pub(super) fn new_instance_id() -> Result<String, Diagnostics> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        Diagnostics::from_error(
            "No Randomness Available",
            format!("hub could not read random bytes from the operating system for the app's instance id: {e}."),
        )
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Adds the instance annotation to a manifest about to be applied, and on update (`complete`) the mark that
/// the instance is held in state.
pub(super) fn stamp(manifest: &mut Json, instance: &str, complete: bool) {
    if let Some(meta) = manifest.get_mut("metadata").and_then(Json::as_object_mut) {
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| Json::Object(Default::default()));
        if let Some(map) = annotations.as_object_mut() {
            map.insert(INSTANCE_ANNOTATION.into(), Json::String(instance.into()));
            if complete {
                map.insert(COMPLETE_ANNOTATION.into(), Json::String("true".into()));
            }
        }
    }
}

/// Whose an existing object is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Owner {
    /// This instance's.
    This,
    /// Another `hub_app` instance's (another state, or another address in this one).
    OtherInstance(String),
    /// Made by another tool, or by a hub version older than instance ids.
    Unmarked,
}

/// The owner of a live object, judged by its instance annotation.
pub(super) fn owner(live: &DynamicObject, instance: &str) -> Owner {
    match live
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(INSTANCE_ANNOTATION))
    {
        Some(id) if id == instance => Owner::This,
        Some(id) => Owner::OtherInstance(id.clone()),
        None => Owner::Unmarked,
    }
}

fn managers(live: &DynamicObject) -> String {
    let mut names: Vec<&str> = live
        .metadata
        .managed_fields
        .iter()
        .flatten()
        .filter_map(|m| m.manager.as_deref())
        .collect();
    names.dedup();
    if names.is_empty() {
        "none recorded".into()
    } else {
        names.join(", ")
    }
}

/// Marks a Deployment whose instance is held in Terraform state: set after a create returns its state,
/// and on every update. Objects of an instance whose Deployment lacks it are the remains of a create that
/// was interrupted before Terraform could save its state (the provider killed, the CLI stopped), and the
/// next create of the same app completes them instead of failing.
pub(super) const COMPLETE_ANNOTATION: &str = "hub.io/instance-complete";

/// Records that this instance's create has returned its state (see [`COMPLETE_ANNOTATION`]).
pub(super) async fn mark_complete(api: &Api<DynamicObject>, name: &str) -> Result<(), Diagnostics> {
    patch_annotations(api, name, json!({COMPLETE_ANNOTATION: "true"}))
        .await
        .map_err(|e| e.diagnostics("Marking the Deployment's create complete"))
}

/// Merge-patches annotations of `name` as hub (a null value removes one); an object already gone is fine.
async fn patch_annotations(api: &Api<DynamicObject>, name: &str, annotations: Json) -> Result<(), k8s::Error> {
    let patch = json!({"metadata": {"annotations": annotations}});
    let params = PatchParams {
        field_manager: Some(FIELD_MANAGER.into()),
        ..PatchParams::default()
    };
    match api
        .patch(name, &params, &Patch::Merge(&patch))
        .await
        .map_err(k8s::Error::from)
    {
        Ok(_) | Err(k8s::Error::NotFound(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

fn annotation<'a>(live: &'a DynamicObject, key: &str) -> Option<&'a str> {
    live.metadata.annotations.as_ref()?.get(key).map(String::as_str)
}

/// Checks, before anything is written, that none of `objects` (about to be created by this instance)
/// already belongs to someone else. Returns warnings for objects adopted.
pub(super) async fn check_new_objects(
    client: &Client,
    namespace: &str,
    objects: &[&Object],
    instance: &str,
    adopt_existing: bool,
) -> Result<Diagnostics, Diagnostics> {
    let reads = objects.iter().map(|object| async move {
        let (kind, name) = object.key.split_once('/').unwrap_or((&object.key, ""));
        let api = super::reconcile::api(client, namespace, kind);
        let live = k8s::get(&api, name, kind).await?;
        Ok::<_, Diagnostics>(live.map(|live| (kind, name, live)))
    });
    let existing: Vec<(&str, &str, DynamicObject)> = try_join_all(reads).await?.into_iter().flatten().collect();
    // An instance is complete when its Deployment (among the objects read) says so; only a create reads
    // the Deployment, so on update another instance's objects always count as complete.
    let complete = |id: &str| {
        !objects.iter().any(|o| o.key.starts_with("Deployment/"))
            || existing.iter().any(|(kind, _, live)| {
                *kind == "Deployment"
                    && annotation(live, INSTANCE_ANNOTATION) == Some(id)
                    && annotation(live, COMPLETE_ANNOTATION).is_some()
            })
    };
    let mut refused = Diagnostics::new();
    let mut adopted = Diagnostics::new();
    for (kind, name, live) in &existing {
        match owner(live, instance) {
            Owner::This => {}
            Owner::OtherInstance(id) if !complete(&id) => adopted.warning(
                "Interrupted Create Completed",
                format!(
                    "{kind} {namespace}/{name} was made by a create of this app that was interrupted before \
                     Terraform saved its state (its Deployment was never marked {COMPLETE_ANNOTATION}); hub \
                     took it over and completed the create."
                ),
            ),
            Owner::OtherInstance(id) => refused.error(
                "Object Owned By Another hub_app",
                format!(
                    "{kind} {namespace}/{name} carries {INSTANCE_ANNOTATION} = {id:?}: another hub_app (in another \
                     Terraform state, or at another address) manages it, and applying this one would overwrite it. \
                     Give this app another name or namespace. To move the app into this configuration, remove it \
                     from the other state (`terraform state rm`) and import it here (`import {{ to = ..., id = \
                     \"{namespace}/<name>\" }}`)."
                ),
            ),
            Owner::Unmarked if adopt_existing => adopted.warning(
                "Existing Object Adopted",
                format!(
                    "{kind} {namespace}/{name} already existed (field managers: {}); adopt_existing = true, so \
                     hub took over the fields it sets. It is now deleted with this app.",
                    managers(live)
                ),
            ),
            Owner::Unmarked => refused.error(
                "Object Already Exists",
                format!(
                    "{kind} {namespace}/{name} already exists and was not made by this hub_app (field managers: \
                     {}). hub does not take over objects silently: import the app (`import {{ to = ..., id = \
                     \"{namespace}/<name>\" }}`), or set adopt_existing = true to take over the fields hub sets; \
                     the object is then deleted with this app.",
                    managers(live)
                ),
            ),
        }
    }
    if refused.has_errors() {
        Err(refused)
    } else {
        Ok(adopted)
    }
}

/// What a deletion did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Deleted {
    /// The object was deleted (or was already gone).
    Yes,
    /// The object belongs to someone else now and was left in place; the warning says why.
    LeftInPlace(Diagnostics),
}

/// Deletes `kind/name` if it is this instance's: with the UID just read as a precondition, so an object
/// re-created meanwhile by someone else is left alone. `instance` is `None` for state written before
/// instance ids, whose objects are deleted by name as before.
pub(super) async fn delete_owned(
    api: &Api<DynamicObject>,
    namespace: &str,
    (kind, name): (&str, &str),
    instance: Option<&str>,
) -> Result<Deleted, Diagnostics> {
    let Some(live) = k8s::get(api, name, kind).await? else {
        return Ok(Deleted::Yes);
    };
    let left = |why: String| {
        let mut d = Diagnostics::new();
        d.warning(
            "Object Left In Place",
            format!("{kind} {namespace}/{name} was not deleted: {why}."),
        );
        Ok(Deleted::LeftInPlace(d))
    };
    if let Some(instance) = instance {
        match owner(&live, instance) {
            Owner::This => {}
            Owner::OtherInstance(id) => {
                return left(format!(
                    "it now carries {INSTANCE_ANNOTATION} = {id:?} of another hub_app"
                ));
            }
            Owner::Unmarked => {
                return left(format!(
                    "it lacks this app's {INSTANCE_ANNOTATION} annotation, so it was made again by someone else"
                ));
            }
        }
    }
    let params = DeleteParams {
        preconditions: live.metadata.uid.map(|uid| Preconditions {
            uid: Some(uid),
            resource_version: None,
        }),
        ..DeleteParams::default()
    };
    match api.delete(name, &params).await.map_err(k8s::Error::from) {
        Ok(_) | Err(k8s::Error::NotFound(_)) => Ok(Deleted::Yes),
        Err(k8s::Error::Conflict(_)) => left("it was replaced by a new object while hub deleted it".into()),
        Err(e) => Err(e.diagnostics(&format!("Deleting {kind}"))),
    }
}

/// Leaves `kind/name` in place but no longer this instance's (a claim kept with its data): removes the
/// instance marks, so no later destroy of this app deletes it, and a new app can take it over with
/// `adopt_existing`. Objects that are not this instance's are left as they are. Returns the warning that
/// says so.
pub(super) async fn release(
    api: &Api<DynamicObject>,
    namespace: &str,
    (kind, name): (&str, &str),
    instance: Option<&str>,
) -> Result<Diagnostics, Diagnostics> {
    let mut said = Diagnostics::new();
    let Some(live) = k8s::get(api, name, kind).await? else {
        return Ok(said);
    };
    if instance.is_some_and(|i| owner(&live, i) != Owner::This) {
        return Ok(said);
    }
    let unmark = json!({INSTANCE_ANNOTATION: null, COMPLETE_ANNOTATION: null});
    patch_annotations(api, name, unmark)
        .await
        .map_err(|e| e.diagnostics(&format!("Releasing {kind}")))?;
    said.warning(
        "Claim Kept",
        format!(
            "{kind} {namespace}/{name} and its data were kept (retain_on_destroy): hub no longer manages it. Delete it \
             yourself when the data is no longer needed, or take it over in a new app with adopt_existing = true."
        ),
    );
    Ok(said)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::api::ObjectMeta;
    use std::collections::BTreeMap;

    fn live(annotation: Option<&str>) -> DynamicObject {
        let mut object = DynamicObject::new(
            "api",
            &kube::api::ApiResource::erase::<k8s_openapi::api::core::v1::Service>(&()),
        );
        object.metadata = ObjectMeta {
            annotations: annotation.map(|id| BTreeMap::from([(INSTANCE_ANNOTATION.to_owned(), id.to_owned())])),
            ..ObjectMeta::default()
        };
        object
    }

    #[test]
    fn owners_by_annotation() {
        assert_eq!(owner(&live(Some("abc")), "abc"), Owner::This);
        assert_eq!(owner(&live(Some("xyz")), "abc"), Owner::OtherInstance("xyz".into()));
        assert_eq!(owner(&live(None), "abc"), Owner::Unmarked);
    }

    #[test]
    fn instance_ids_are_random_and_stamped() {
        let (a, b) = (new_instance_id().unwrap(), new_instance_id().unwrap());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        let mut manifest = serde_json::json!({"metadata": {"name": "api"}});
        stamp(&mut manifest, &a, false);
        assert_eq!(manifest["metadata"]["annotations"][INSTANCE_ANNOTATION], a.as_str());
        assert!(manifest["metadata"]["annotations"].get(COMPLETE_ANNOTATION).is_none());
        stamp(&mut manifest, &a, true);
        assert_eq!(manifest["metadata"]["annotations"][COMPLETE_ANNOTATION], "true");
    }
}
