//! Environment from Secrets and ConfigMaps hub does not own (`env_from_secret`, `env_from_config_map`,
//! `env_from`): their checks, with attribute paths, and their pure rendering into the container. hub only
//! names those objects; the kubelet reads them, so their values never pass through hub.

use std::collections::BTreeSet;

use serde_json::{Value as Json, json};

use crate::diag::Diagnostics;
use crate::value::{AttributePath, Tf};

use super::checks::{data_key_problem, env_name_problem, subdomain_name};
use super::contradictions::is_c_identifier;
use super::model::{AppModel, EnvFrom, KeyRefs, keys};
use super::render::SECRET_KEYS_ENV;

/// The two single-key attributes, with the kind they read and the Kubernetes field.
fn key_ref_sources(app: &AppModel) -> [(&'static str, &Tf<KeyRefs>, &'static str, &'static str); 2] {
    [
        (
            "env_from_config_map",
            &app.env_from_config_map,
            "ConfigMap",
            "configMapKeyRef",
        ),
        ("env_from_secret", &app.env_from_secret, "Secret", "secretKeyRef"),
    ]
}

/// The entries of a map of key references whose value is known.
fn entries(refs: &Tf<KeyRefs>) -> impl Iterator<Item = (&String, &super::model::KeyRef)> {
    refs.get()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k, v.get()?)))
}

/// The known entries of `env_from`, with their index.
fn env_from_entries(app: &AppModel) -> impl Iterator<Item = (usize, &EnvFrom)> {
    app.env_from
        .get()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, e)| Some((i, e.get()?)))
}

/// A reference's `optional`: hub writes `false` when it is null; without hub's pod defaults only what is set.
fn optional(app: &AppModel, value: &Tf<bool>) -> Option<bool> {
    value.value().or(app.hub_pod_defaults().then_some(false))
}

/// The `env` entries reading single keys, config maps first, each sorted by variable name. They come before
/// the plain `env` values, so those can refer to them as `$(NAME)`.
pub(super) fn key_ref_env(app: &AppModel) -> Vec<Json> {
    let mut out = Vec::new();
    for (_, refs, _, field) in key_ref_sources(app) {
        for (var, r) in entries(refs) {
            let mut source = json!({
                "name": r.name.as_deref().unwrap_or_default(),
                "key": r.key.as_deref().unwrap_or_default(),
            });
            if let Some(optional) = optional(app, &r.optional) {
                source["optional"] = json!(optional);
            }
            out.push(json!({"name": var, "valueFrom": {field: source}}));
        }
    }
    out
}

/// The names of the variables read from Secrets hub does not own (for `HUB_SECRET_KEYS`).
pub(super) fn secret_variables(app: &AppModel) -> impl Iterator<Item = &str> {
    keys_of(&app.env_from_secret)
}

fn keys_of(refs: &Tf<KeyRefs>) -> impl Iterator<Item = &str> {
    refs.get().into_iter().flatten().map(|(k, _)| k.as_str())
}

/// The `envFrom` entries for `env_from`, in the order written.
pub(super) fn env_from(app: &AppModel) -> Vec<Json> {
    env_from_entries(app)
        .filter_map(|(_, e)| {
            let (field, name) = match (e.secret.get(), e.config_map.get()) {
                (Some(s), None) => ("secretRef", s),
                (None, Some(c)) => ("configMapRef", c),
                _ => return None,
            };
            let mut entry = json!({field: {"name": name}});
            if let Some(optional) = optional(app, &e.optional) {
                entry[field]["optional"] = json!(optional);
            }
            if let Some(prefix) = e.prefix.get().filter(|p| !p.is_empty()) {
                entry["prefix"] = json!(prefix);
            }
            Some(entry)
        })
        .collect()
}

/// Whether hub renders the app's own Secret / ConfigMap and puts it in the container's `envFrom` (so
/// their names are taken). Without hub's pod defaults `env_from` lists them like any other.
fn own_objects(app: &AppModel) -> (Option<String>, Option<String>) {
    if !app.surely_hub_pod_defaults() {
        return (None, None);
    }
    let secret = (keys(&app.secret_env).next().is_some()
        || keys(&app.secret_env_wo).next().is_some()
        || app.secret_env_wo_version.is_set())
    .then(|| app.secret_name());
    let config = keys(&app.config).next().is_some().then(|| app.config_map_name());
    (secret, config)
}

pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    let (own_secret, own_config) = own_objects(app);
    // Every other source of variable names, in the order the error names them.
    let others: [(&str, Vec<&str>); 5] = [
        ("env", keys(&app.env).collect()),
        ("secret_env", keys(&app.secret_env).collect()),
        ("secret_env_wo", keys(&app.secret_env_wo).collect()),
        ("config", keys(&app.config).collect()),
        ("env_from_config_map", keys_of(&app.env_from_config_map).collect()),
    ];
    // Without hub's pod defaults the app's own objects are variables only through `env_from`.
    let others = others.map(|(attr, names)| {
        let own = matches!(attr, "secret_env" | "secret_env_wo" | "config");
        (
            attr,
            if own && !app.surely_hub_pod_defaults() {
                Vec::new()
            } else {
                names
            },
        )
    });
    for (attr, refs, kind, _) in key_ref_sources(app) {
        for var in keys_of(refs) {
            let here = AttributePath::attr(attr).then_key(var);
            if let Some(p) = env_name_problem(var) {
                diags.error_at(
                    &here,
                    "Invalid Environment Variable",
                    format!("{here}: {var:?} is not an environment variable name: it {p}."),
                );
            } else if !is_c_identifier(var) {
                diags.warning_at(
                    &here,
                    "Environment Variable Name Needs Kubernetes 1.34",
                    format!(
                        "{attr}[{var:?}] is not a C identifier (letters, digits and '_', not starting with a digit): \
                         API servers older than 1.34 reject the Deployment."
                    ),
                );
            }
            if var == SECRET_KEYS_ENV {
                diags.error_at(
                    &here,
                    "Key Set By hub",
                    format!(
                        "{attr}[{var:?}] is set by hub from the keys of `secret_env`, `secret_env_wo` and \
                         `env_from_secret`; name the variable differently."
                    ),
                );
            }
            for (other, names) in &others {
                if *other != attr && names.contains(&var) {
                    diags.error_at(
                        &here,
                        "Environment Variable Set Twice",
                        format!(
                            "{attr}[{var:?}] and {other}[{var:?}] both set the environment variable {var:?}; the \
                             container would see only one of them. Keep one."
                        ),
                    );
                }
            }
        }
        for (var, r) in entries(refs) {
            let here = AttributePath::attr(attr).then_key(var);
            if let Some(name) = r.name.get() {
                let own = if kind == "Secret" { &own_secret } else { &own_config };
                if subdomain_name(&here.then_attr("name"), Some(name), kind, diags)
                    && own.as_deref() == Some(name.as_str())
                {
                    diags.error_at(
                        &here.then_attr("name"),
                        "Reference To The App's Own Object",
                        format!(
                            "{attr}[{var:?}].name = {name:?} is the {kind} hub makes for this app; its keys are already \
                             environment variables. Use `{}` for it, and {attr} for objects hub does not own.",
                            if kind == "Secret" { "secret_env" } else { "config" }
                        ),
                    );
                }
            }
            if let Some(key) = r.key.get()
                && let Some(p) = data_key_problem(key)
            {
                let path = here.then_attr("key");
                diags.error_at(
                    &path,
                    "Invalid Key",
                    format!("{path} = {key:?} is not a {kind} key: it {p}."),
                );
            }
        }
    }
    check_env_from(app, (own_secret, own_config), diags);
}

fn check_env_from(app: &AppModel, (own_secret, own_config): (Option<String>, Option<String>), diags: &mut Diagnostics) {
    let mut seen = BTreeSet::new();
    for (i, e) in env_from_entries(app) {
        let here = AttributePath::attr("env_from").then_index(i);
        if e.secret.is_unknown() || e.config_map.is_unknown() {
            continue;
        }
        let (attr, kind, name, own) = match (e.secret.get(), e.config_map.get()) {
            (Some(s), None) => ("secret", "Secret", s, &own_secret),
            (None, Some(c)) => ("config_map", "ConfigMap", c, &own_config),
            _ => {
                diags.error_at(
                    &here,
                    "Invalid Environment Source",
                    format!(
                        "{here} must name exactly one of `secret` and `config_map` (write two entries for two objects)."
                    ),
                );
                continue;
            }
        };
        let path = here.then_attr(attr);
        if subdomain_name(&path, Some(name), kind, diags) && own.as_deref() == Some(name.as_str()) {
            diags.error_at(
                &path,
                "Reference To The App's Own Object",
                format!("{path} = {name:?} is the {kind} hub makes for this app, which the container already reads; remove this entry."),
            );
        }
        let prefix = e.prefix.as_deref().unwrap_or_default();
        if !seen.insert((kind, name.as_str(), prefix)) {
            diags.error_at(
                &here,
                "Duplicate Environment Source",
                format!("{here} reads {kind} {name:?} a second time with the same prefix; remove one."),
            );
        }
        if !prefix.is_empty()
            && let Some(p) = env_name_problem(prefix)
        {
            let path = here.then_attr("prefix");
            diags.error_at(
                &path,
                "Invalid Environment Variable",
                format!("{path} = {prefix:?} cannot start an environment variable name: it {p}."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{app_with, get, render, validate};

    #[test]
    fn references_render_before_env_and_are_listed_as_secret_names() {
        let objs = render(app_with(json!({
            "env": {"DATABASE_URL": "postgres://app:$(DB_PASSWORD)@db/app"},
            "env_from_secret": {"DB_PASSWORD": {"name": "db", "key": "password"}},
            "env_from_config_map": {"FLAGS": {"name": "flags", "key": "current", "optional": true}},
            "env_from": [{"secret": "shared"}, {"config_map": "tuning", "prefix": "TUNE_", "optional": true}],
            "config": {"LOG_LEVEL": "info"},
        })));
        let c = &get(&objs, "Deployment/api")["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(
            c["env"],
            json!([
                {"name": "FLAGS", "valueFrom": {"configMapKeyRef": {"name": "flags", "key": "current", "optional": true}}},
                {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password", "optional": false}}},
                {"name": "DATABASE_URL", "value": "postgres://app:$(DB_PASSWORD)@db/app"},
                {"name": "HUB_SECRET_KEYS", "value": "DB_PASSWORD"},
            ])
        );
        assert_eq!(
            c["envFrom"],
            json!([
                {"secretRef": {"name": "shared", "optional": false}},
                {"configMapRef": {"name": "tuning", "optional": true}, "prefix": "TUNE_"},
                {"configMapRef": {"name": "api-config"}},
            ])
        );
        // Nothing hub does not own is rendered as an object.
        assert!(objs.iter().all(|(k, _)| !k.ends_with("/db") && !k.ends_with("/shared")));
    }

    #[test]
    fn secret_names_merge_with_the_apps_own_secret_keys() {
        let objs = render(app_with(json!({
            "secret_env": {"API_KEY": "k"},
            "env_from_secret": {"DB_PASSWORD": {"name": "db", "key": "password"}},
        })));
        let c = &get(&objs, "Deployment/api")["spec"]["template"]["spec"]["containers"][0];
        let keys = c["env"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "HUB_SECRET_KEYS")
            .unwrap();
        assert_eq!(keys["value"], "API_KEY,DB_PASSWORD");
    }

    #[test]
    fn bad_references_are_refused_naming_the_attribute() {
        let refused = |extra| validate(app_with(extra));
        assert_eq!(
            refused(json!({"env": {"A": "1"}, "env_from_secret": {"A": {"name": "db", "key": "a"}}})),
            ["env_from_secret[\"A\"]: Environment Variable Set Twice"]
        );
        assert_eq!(
            refused(
                json!({"env_from_config_map": {"A": {"name": "c", "key": "a"}}, "env_from_secret": {"A": {"name": "db", "key": "a"}}})
            ),
            ["env_from_secret[\"A\"]: Environment Variable Set Twice"]
        );
        assert_eq!(
            refused(json!({"env_from_secret": {"HUB_SECRET_KEYS": {"name": "db", "key": "a"}}})),
            ["env_from_secret[\"HUB_SECRET_KEYS\"]: Key Set By hub"]
        );
        assert_eq!(
            refused(json!({"env_from_secret": {"A": {"name": "Db_Secret", "key": "a"}}})),
            ["env_from_secret[\"A\"].name: Invalid Kubernetes Name"]
        );
        assert_eq!(
            refused(json!({"env_from_config_map": {"A": {"name": "c", "key": "a/b"}}})),
            ["env_from_config_map[\"A\"].key: Invalid Key"]
        );
        assert_eq!(
            refused(json!({"secret_env": {"K": "v"}, "env_from_secret": {"A": {"name": "api-secret", "key": "K"}}})),
            ["env_from_secret[\"A\"].name: Reference To The App's Own Object"]
        );
        assert_eq!(
            refused(json!({"env_from": [{"secret": "a", "config_map": "b"}]})),
            ["env_from[0]: Invalid Environment Source"]
        );
        assert_eq!(
            refused(json!({"env_from": [{"prefix": "P_"}]})),
            ["env_from[0]: Invalid Environment Source"]
        );
        assert_eq!(
            refused(json!({"env_from": [{"secret": "a"}, {"secret": "a"}]})),
            ["env_from[1]: Duplicate Environment Source"]
        );
        assert_eq!(
            refused(json!({"env_from": [{"config_map": "a", "prefix": "A=B"}]})),
            ["env_from[0].prefix: Invalid Environment Variable"]
        );
        assert_eq!(
            refused(json!({"config": {"K": "v"}, "env_from": [{"config_map": "api-config"}]})),
            ["env_from[0].config_map: Reference To The App's Own Object"]
        );
        assert!(refused(json!({"env_from": [{"secret": "a"}, {"secret": "a", "prefix": "B_"}]})).is_empty());
    }
}
