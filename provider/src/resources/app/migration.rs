//! `migration`: a Job that runs the new image with the migration's command before the Deployment changes.
//! Pure parts only: the schema, the checks (with attribute paths), the revision that decides whether a
//! migration runs, and the Job rendered from the Deployment's own pod template (so the Job gets the app's
//! env, Secrets, service account, volumes and security context without a second rendering of them).
//! Running it is `migration_run`.

use serde_json::{Map, Value as Json, json};

use crate::diag::Diagnostics;
use crate::k8s::labels::MANAGED_BY;
use crate::schema::duration::parse_duration;
use crate::schema::{Attribute, Nesting, validators};
use crate::value::{AttributePath, Tf};

use super::model::{AppModel, Migration, known};
use super::render::{Object, short_hash};

/// The label on migration Jobs and their pods naming the app: destroy deletes the Jobs it selects.
pub(super) const MIGRATION_LABEL: &str = "hub.io/migration-of";

/// The Deployment annotation recording the migration the running version was rolled out behind (the
/// settings as planned, with the revision): import reads the migration back from it.
pub(super) const MIGRATION_ANNOTATION: &str = "hub.io/migration";

/// The container name in the migration pod.
pub(super) const CONTAINER: &str = "migrate";

const DEFAULT_TIMEOUT: &str = "10m";
const DEFAULT_TTL: i64 = 3600;
/// The longest a migration may run: longer work belongs in a Job of its own.
const MAX_TIMEOUT_SECS: u64 = 24 * 3600;

/// The `migration` attribute.
pub(super) fn attribute() -> Attribute {
    let quantity = |name: &str, what: &str| {
        Attribute::string(name)
            .validate(validators::quantity())
            .description(what)
    };
    Attribute::nested(
        "migration",
        Nesting::Single,
        vec![
            Attribute::string_list("command").required().description("The command the migration runs in the new image, e.g. `[\"./manage\", \"migrate\"]` (the container's entrypoint is replaced)."),
            Attribute::string_list("args").description("Arguments of the command."),
            Attribute::string("timeout").default_value(DEFAULT_TIMEOUT).description("How long the migration may run (`activeDeadlineSeconds`), e.g. `90s`, `10m`; at most `24h`. The apply fails when it has not finished by then."),
            Attribute::number("backoff_limit").default_value(0i64).validate(validators::int_between(0, 10)).description("Retries of a failed migration pod before the migration fails (`backoffLimit`); with 0, a migration that fails once stops the apply."),
            Attribute::number("ttl_seconds_after_finished").default_value(DEFAULT_TTL).validate(validators::int_between(0, 7 * 24 * 3600)).description("How long a finished Job stays for inspection before Kubernetes deletes it (`ttlSecondsAfterFinished`)."),
            Attribute::nested(
                "resources",
                Nesting::Single,
                vec![
                    quantity("cpu_request", "CPU request, e.g. `500m`."),
                    quantity("memory_request", "Memory request, e.g. `512Mi`."),
                    quantity("cpu_limit", "CPU limit."),
                    quantity("memory_limit", "Memory limit."),
                ],
            )
            .description("Requests and limits of the migration pod, each replacing the app's `resources` value when set."),
        ],
    )
    .description("A migration before the rollout: a Job (`<name>-migrate-<revision>`) that runs `command` in the new `image`, with the app's environment, Secrets, service account, volumes and security context, before the Deployment changes. apply waits for it; when it fails, the apply stops with the Job's reason and the last lines of its log, and the Deployment is not changed (the running version keeps serving). The objects the pod reads (ServiceAccount, ConfigMap, Secret, claims) are applied before it, as before every rollout. It runs on create and whenever `migration_revision` changes: when the image, `command` or `args` change, not for other changes. Finished Jobs are deleted after `ttl_seconds_after_finished`; destroy deletes those left. Null: no migration.")
}

/// The `migration_revision` attribute.
pub(super) fn revision_attribute() -> Attribute {
    Attribute::string("migration_revision").computed().description("The revision of the last migration that succeeded: a hash of the image, `migration.command` and `migration.args`, also the suffix of the Job's name. A plan that changes it runs the migration; after a failed migration it keeps the previous value, so the next apply runs the migration again. Null without `migration`.")
}

/// Checks that the schema's validators cannot make, each naming its attribute.
pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    let Some(m) = app.migration.get() else {
        return;
    };
    let root = AttributePath::attr("migration");
    if let Some(command) = m.command.get() {
        if command.is_empty() {
            diags.error_at(
                &root.then_attr("command"),
                "Migration Command Missing",
                "migration.command is empty: name the program the migration runs, e.g. [\"./manage\", \"migrate\"].",
            );
        }
        for (i, part) in command.iter().enumerate() {
            if part.is_empty() && i == 0 {
                diags.error_at(
                    &root.then_attr("command").then_index(i),
                    "Migration Command Missing",
                    "migration.command[0] is empty: it names the program to run.",
                );
            }
        }
    }
    if let Some(text) = m.timeout.get() {
        let path = root.then_attr("timeout");
        match parse_duration(text) {
            None => diags.error_at(
                &path,
                "Invalid Duration",
                format!("migration.timeout = {text:?} is not a duration, e.g. \"10m\"."),
            ),
            Some(d) if d.is_zero() => {
                diags.error_at(&path, "Invalid Duration", "migration.timeout must be longer than zero.")
            }
            Some(d) if d.as_secs() > MAX_TIMEOUT_SECS => diags.error_at(
                &path,
                "Migration Timeout Too Long",
                format!("migration.timeout = {text:?} is longer than 24h; run longer work as a Job of its own."),
            ),
            Some(_) => {}
        }
    }
}

/// The revision of the configured migration: null without one, unknown while the image or the command is.
pub(super) fn revision(app: &AppModel) -> Tf<String> {
    let Some(m) = app.migration.get() else {
        return if app.migration.is_unknown() {
            Tf::Unknown
        } else {
            Tf::Null
        };
    };
    match (app.image.get(), m.command.get(), &m.args) {
        (Some(image), Some(command), args) if !args.is_unknown() => {
            let hash = short_hash(&(image, command, args.get()));
            Tf::Known(hash.chars().take(10).collect())
        }
        _ => Tf::Unknown,
    }
}

/// Whether this apply runs the migration: its revision differs from the one that last succeeded.
pub(super) fn due<'a>(planned: &'a AppModel, prior: Option<&AppModel>) -> Option<&'a str> {
    let now = planned.migration_revision.as_deref()?;
    (prior.and_then(|p| p.migration_revision.as_deref()) != Some(now)).then_some(now)
}

/// The Job's name: `<app>-migrate-<revision>`, the app part shortened to keep it a 63-character label.
pub(super) fn job_name(app: &str, revision: &str) -> String {
    let suffix = format!("-migrate-{revision}");
    let room = 63usize.saturating_sub(suffix.len());
    let prefix: String = app.chars().take(room).collect();
    format!("{}{suffix}", prefix.trim_end_matches('-'))
}

fn timeout_secs(m: &Migration) -> u64 {
    parse_duration(m.timeout.as_deref().unwrap_or(DEFAULT_TIMEOUT)).map_or(600, |d| d.as_secs().max(1))
}

/// How long apply waits for the migration.
pub(super) fn timeout(m: &Migration) -> std::time::Duration {
    std::time::Duration::from_secs(timeout_secs(m))
}

/// The migration's settings as recorded on the Deployment (see [`MIGRATION_ANNOTATION`]).
fn recorded(m: &Migration, revision: &str) -> Json {
    let mut out = json!({
        "revision": revision,
        "command": m.command.get(),
        "timeout": m.timeout.as_deref().unwrap_or(DEFAULT_TIMEOUT),
        "backoff_limit": m.backoff_limit.value().unwrap_or(0),
        "ttl_seconds_after_finished": m.ttl_seconds_after_finished.value().unwrap_or(DEFAULT_TTL),
    });
    if let Some(args) = m.args.get() {
        out["args"] = json!(args);
    }
    // Set but empty (`resources = {}`) is recorded too, so import gives back exactly what was set.
    if m.resources.get().is_some() {
        out["resources"] = Json::Object(resources(m));
    }
    out
}

fn resources(m: &Migration) -> Map<String, Json> {
    let mut out = Map::new();
    if let Some(r) = m.resources.get() {
        for (value, name) in [
            (&r.cpu_request, "cpu_request"),
            (&r.memory_request, "memory_request"),
            (&r.cpu_limit, "cpu_limit"),
            (&r.memory_limit, "memory_limit"),
        ] {
            if let Some(q) = value.get() {
                out.insert(name.into(), json!(q));
            }
        }
    }
    out
}

/// Records the migration on the rendered Deployment (nothing without one).
pub(super) fn annotate(app: &AppModel, deployment: &mut Object) {
    let (Some(m), Tf::Known(revision)) = (app.migration.get(), revision(app)) else {
        return;
    };
    let text = serde_json::to_string(&recorded(m, &revision)).unwrap_or_default();
    if let Some(meta) = deployment.manifest["metadata"].as_object_mut() {
        let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
        annotations[MIGRATION_ANNOTATION] = json!(text);
    }
}

/// The migration read back from a Deployment's annotation (import).
pub(super) fn read_back(deployment: &Json) -> Tf<Migration> {
    let Some(text) = deployment
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(MIGRATION_ANNOTATION))
        .and_then(Json::as_str)
    else {
        return Tf::Null;
    };
    let Ok(r) = serde_json::from_str::<Json>(text) else {
        return Tf::Null;
    };
    let strings = |v: &Json| -> Tf<Vec<String>> {
        v.as_array().map_or(Tf::Null, |a| {
            Tf::Known(a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
        })
    };
    let string = |v: &Json| Tf::from_option(v.as_str().map(str::to_owned));
    let q = &r["resources"];
    let resources = q.is_object().then(|| super::model::Resources {
        cpu_request: string(&q["cpu_request"]),
        memory_request: string(&q["memory_request"]),
        cpu_limit: string(&q["cpu_limit"]),
        memory_limit: string(&q["memory_limit"]),
    });
    Tf::Known(Migration {
        command: strings(&r["command"]),
        args: strings(&r["args"]),
        timeout: string(&r["timeout"]),
        backoff_limit: Tf::from_option(r["backoff_limit"].as_i64()),
        ttl_seconds_after_finished: Tf::from_option(r["ttl_seconds_after_finished"].as_i64()),
        resources: Tf::from_option(resources),
    })
}

/// The migration Job for `revision`, from the rendered Deployment: its pod template with the migration's
/// command in the app's container, no probes, ports or spreading (one pod that runs to completion), and
/// `restartPolicy: Never`. Its labels keep it out of the Deployment's selector and the Service.
pub(super) fn job(app: &AppModel, deployment: &Json, revision: &str) -> Option<Object> {
    let m = app.migration.get()?;
    let name = job_name(app.name(), revision);
    let mut labels = known(&app.labels);
    labels.insert(MANAGED_BY.0.into(), MANAGED_BY.1.into());
    labels.insert("app.kubernetes.io/instance".into(), app.name().into());
    labels.insert("app.kubernetes.io/component".into(), "migration".into());
    labels.insert(MIGRATION_LABEL.into(), app.name().into());
    let template = deployment.pointer("/spec/template")?;
    let mut pod = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    pod["restartPolicy"] = json!("Never");
    if let Some(spec) = pod.as_object_mut() {
        spec.remove("topologySpreadConstraints");
    }
    let no_affinity_left = match pod.get_mut("affinity").and_then(Json::as_object_mut) {
        Some(affinity) => {
            affinity.remove("podAntiAffinity");
            affinity.is_empty()
        }
        None => false,
    };
    if let (true, Some(spec)) = (no_affinity_left, pod.as_object_mut()) {
        spec.remove("affinity");
    }
    let container = pod.pointer_mut("/containers/0")?.as_object_mut()?;
    container.insert("name".into(), json!(CONTAINER));
    for field in [
        "ports",
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
        "lifecycle",
        "args",
    ] {
        container.remove(field);
    }
    container.insert("command".into(), json!(m.command.get()));
    if let Some(args) = m.args.get().filter(|a| !a.is_empty()) {
        container.insert("args".into(), json!(args));
    }
    let wanted = resources(m);
    let slot = container.entry("resources").or_insert_with(|| json!({}));
    for (field, q) in &wanted {
        let (kind, section) = field.split_once('_').unwrap_or_default();
        let section = if section == "request" { "requests" } else { "limits" };
        slot[section][kind] = q.clone();
    }
    let annotations = template.pointer("/metadata/annotations").cloned();
    let mut pod_meta = json!({"labels": labels});
    if let Some(a) = annotations {
        pod_meta["annotations"] = a;
    }
    let manifest = json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": app.namespace(), "labels": labels},
        "spec": {
            "backoffLimit": m.backoff_limit.value().unwrap_or(0),
            "activeDeadlineSeconds": timeout_secs(m),
            "ttlSecondsAfterFinished": m.ttl_seconds_after_finished.value().unwrap_or(DEFAULT_TTL),
            "template": {"metadata": pod_meta, "spec": pod},
        },
    });
    Some(Object {
        key: format!("Job/{name}"),
        manifest,
    })
}
