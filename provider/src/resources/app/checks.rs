//! Checks of `hub_app` values that the API server would otherwise reject halfway through an apply (after
//! the ConfigMap or Secret were already written): keys, names, paths, int-or-percent fields and
//! tolerations, in the rules Kubernetes validates them with. Unknown values are skipped.

use crate::diag::Diagnostics;
use crate::schema::validators::{
    dns1123_label_problem, dns1123_subdomain_problem, label_value_problem, qualified_name_problem,
};
use crate::value::AttributePath;

use super::model::{AppModel, keys, known, strings};

pub(super) use crate::schema::validators::data_key_problem;

/// Refuses `value` at `path` when it is not a name of a `kind` object (a DNS-1123 subdomain); says whether it
/// is one (true when null).
pub(super) fn subdomain_name(
    path: &AttributePath,
    value: Option<&String>,
    kind: &str,
    diags: &mut Diagnostics,
) -> bool {
    let Some(p) = value.and_then(|v| dns1123_subdomain_problem(v).map(|p| (v, p))) else {
        return true;
    };
    let (v, p) = p;
    diags.error_at(
        path,
        "Invalid Kubernetes Name",
        format!("{path} = {v:?} is not a valid {kind} name (DNS-1123 subdomain): it {p}."),
    );
    false
}

/// Why `name` is not an environment variable name (printable ASCII without '='), or `None`.
pub(super) fn env_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("must not be empty");
    }
    (!name.chars().all(|c| c.is_ascii_graphic() && c != '=')).then_some("may contain only printable ASCII except '='")
}

/// Why `s` is not an int-or-percent (`"2"`, `"25%"`), or `None`; `percent_max` caps percentages.
fn int_or_percent_problem(s: &str, percent_max: Option<u64>) -> Option<String> {
    let (digits, percent) = match s.strip_suffix('%') {
        Some(d) => (d, true),
        None => (s, false),
    };
    let Ok(n) = digits.parse::<u64>() else {
        return Some("is not a whole number or a percentage such as \"25%\"".into());
    };
    match percent_max {
        Some(max) if percent && n > max => Some(format!("is a percentage above {max}%")),
        _ => None,
    }
}

/// Why `host` is not an Ingress host (a DNS-1123 subdomain, optionally starting with `*.`), or `None`.
fn host_problem(host: &str) -> Option<String> {
    dns1123_subdomain_problem(host.strip_prefix("*.").unwrap_or(host))
}

pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    check_keys(app, diags);
    check_paths(app, diags);
    check_int_or_percent(app, diags);
    check_names(app, diags);
    check_tolerations(app, diags);
}

fn check_keys(app: &AppModel, diags: &mut Diagnostics) {
    for (attr, map, kind) in [
        ("config", &app.config, "ConfigMap"),
        ("secret_env", &app.secret_env, "Secret"),
        ("secret_env_wo", &app.secret_env_wo, "Secret"),
    ] {
        for key in keys(map) {
            if let Some(p) = data_key_problem(key).or_else(|| env_name_problem(key)) {
                diags.error_at(
                    &AttributePath::attrs(&[attr]).then_key(key),
                    "Invalid Key",
                    format!("{attr} key {key:?} {p}: it becomes a {kind} key and an environment variable name."),
                );
            }
        }
    }
    for key in keys(&app.env) {
        if let Some(p) = env_name_problem(key) {
            diags.error_at(
                &AttributePath::attrs(&["env"]).then_key(key),
                "Invalid Environment Variable",
                format!("env key {key:?} is not an environment variable name: it {p}."),
            );
        }
    }
    for (key, value) in known(&app.node_selector) {
        let problem = qualified_name_problem(&key)
            .map(|p| format!("key {key:?} {p}"))
            .or_else(|| label_value_problem(&value).map(|p| format!("[{key:?}] = {value:?}: a label value {p}")));
        if let Some(p) = problem {
            diags.error_at(
                &AttributePath::attrs(&["node_selector"]).then_key(&key),
                "Invalid Node Selector",
                format!("node_selector {p}."),
            );
        }
    }
}

fn check_paths(app: &AppModel, diags: &mut Diagnostics) {
    if let Some(p) = app.config_mount_path.as_deref()
        && !p.starts_with('/')
    {
        diags.error_at(
            &AttributePath::attrs(&["config_mount_path"]),
            "Invalid Mount Path",
            format!("config_mount_path = {p:?} must be an absolute path, e.g. \"/etc/app\"."),
        );
    }
    let Some(ingress) = app.ingress.get() else {
        return;
    };
    for (name, value) in [
        ("path", &ingress.path),
        ("health_check_path", &ingress.health_check_path),
    ] {
        if let Some(p) = value.as_deref()
            && !p.starts_with('/')
        {
            diags.error_at(
                &AttributePath::attrs(&["ingress", name]),
                "Invalid Path",
                format!("ingress.{name} = {p:?} must start with '/'."),
            );
        }
    }
    for (i, host) in strings(&ingress.hosts).iter().enumerate() {
        if let Some(p) = host_problem(host) {
            let path = AttributePath::attrs(&["ingress", "hosts"]).then_index(i);
            diags.error_at(
                &path,
                "Invalid Host",
                format!("{path} = {host:?} is not a host name: it {p}."),
            );
        }
    }
}

fn check_int_or_percent(app: &AppModel, diags: &mut Diagnostics) {
    let mut fields: Vec<(Vec<&str>, Option<&str>, Option<u64>)> = vec![
        (vec!["max_surge"], app.max_surge.as_deref(), None),
        (vec!["max_unavailable"], app.max_unavailable.as_deref(), Some(100)),
    ];
    if let Some(pdb) = app.disruption_budget.get() {
        for (name, value) in [
            ("min_available", &pdb.min_available),
            ("max_unavailable", &pdb.max_unavailable),
        ] {
            fields.push((vec!["disruption_budget", name], value.as_deref(), Some(100)));
        }
    }
    for (steps, value, max) in fields {
        if let Some(s) = value
            && let Some(p) = int_or_percent_problem(s, max)
        {
            diags.error_at(
                &AttributePath::attrs(&steps),
                "Invalid Number Or Percentage",
                format!("{} = {s:?} {p}.", steps.join(".")),
            );
        }
    }
}

fn check_names(app: &AppModel, diags: &mut Diagnostics) {
    let names = [
        (
            AttributePath::attrs(&["priority_class_name"]),
            app.priority_class_name.as_deref(),
        ),
        (
            AttributePath::attrs(&["service_account", "name"]),
            app.service_account.get().and_then(|sa| sa.name.as_deref()),
        ),
        (
            AttributePath::attrs(&["config_map_name"]),
            app.config_map_name.as_deref(),
        ),
        (AttributePath::attrs(&["secret_name"]), app.secret_name.as_deref()),
    ];
    for (path, value) in names {
        if let Some(s) = value
            && let Some(p) = dns1123_subdomain_problem(s)
        {
            diags.error_at(
                &path,
                "Invalid Kubernetes Name",
                format!("{path} = {s:?} is not a valid name (DNS-1123 subdomain): it {p}."),
            );
        }
    }
    if let Some(s) = app.service.get().and_then(|s| s.name.as_deref()) {
        let problem = dns1123_label_problem(s, 63).or_else(|| {
            (!s.starts_with(|c: char| c.is_ascii_lowercase())).then(|| "must start with a lower-case letter".to_owned())
        });
        if let Some(p) = problem {
            diags.error_at(
                &AttributePath::attrs(&["service", "name"]),
                "Invalid Kubernetes Name",
                format!("service.name = {s:?} is not a valid Service name (DNS-1035 label): it {p}."),
            );
        }
    }
}

fn check_tolerations(app: &AppModel, diags: &mut Diagnostics) {
    let tolerations = app.tolerations.get().into_iter().flatten().enumerate();
    for (i, t) in tolerations.filter_map(|(i, t)| Some((i, t.get()?))) {
        let here = AttributePath::attrs(&["tolerations"]).then_index(i);
        let key = t.key.as_deref().unwrap_or_default();
        // The schema's default operator is "Equal".
        let operator = if t.operator.is_null() {
            Some("Equal")
        } else {
            t.operator.as_deref()
        };
        if let Some(p) = (!key.is_empty()).then(|| qualified_name_problem(key)).flatten() {
            let path = here.then_attr("key");
            diags.error_at(&path, "Invalid Toleration", format!("{path} = {key:?} {p}."));
        }
        if key.is_empty() && !t.key.is_unknown() && operator == Some("Equal") {
            let path = here.then_attr("key");
            diags.error_at(
                &path,
                "Invalid Toleration",
                format!("{here}: a toleration without a key must use operator \"Exists\"; set {path}."),
            );
        }
        if operator == Some("Exists") && t.value.as_deref().is_some_and(|v| !v.is_empty()) {
            let path = here.then_attr("value");
            diags.error_at(
                &path,
                "Invalid Toleration",
                format!("{path} must be empty when operator is \"Exists\"."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn details(config: Value) -> Vec<String> {
        let mut d = Diagnostics::new();
        check(&super::super::tests::model_of(config), &mut d);
        d.0.into_iter().map(|d| d.detail).collect()
    }

    fn map(entries: &[(&str, &str)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::string(*v)))
                .collect(),
        )
    }

    #[test]
    fn rules() {
        assert_eq!(data_key_problem("DB_PASSWORD.v1"), None);
        assert!(data_key_problem("db/password").is_some());
        assert_eq!(env_name_problem("A.B-c"), None);
        assert!(env_name_problem("A=B").is_some());
        assert_eq!(int_or_percent_problem("25%", Some(100)), None);
        assert_eq!(int_or_percent_problem("3", Some(100)), None);
        assert!(int_or_percent_problem("150%", Some(100)).is_some());
        assert_eq!(int_or_percent_problem("150%", None), None);
        assert!(int_or_percent_problem("-1", None).is_some());
        assert!(int_or_percent_problem("lots", None).is_some());
        assert_eq!(host_problem("*.shop.example.com"), None);
        assert!(host_problem("shop!.example.com").is_some());
    }

    #[test]
    fn a_good_app_passes_and_bad_values_name_their_attribute() {
        let good = Value::object([
            ("env", map(&[("LOG_LEVEL", "info")])),
            ("config", map(&[("app.yaml", "x")])),
            ("max_surge", Value::string("25%")),
            ("max_unavailable", Value::string("0")),
            ("node_selector", map(&[("kubernetes.io/os", "linux")])),
        ]);
        assert!(details(good).is_empty());
        let bad = Value::object([
            ("secret_env", map(&[("db/password", "x")])),
            ("max_unavailable", Value::string("120%")),
            ("config_mount_path", Value::string("etc/app")),
            (
                "tolerations",
                Value::List(vec![Value::object([
                    ("key", Value::string("dedicated")),
                    ("operator", Value::string("Exists")),
                    ("value", Value::string("x")),
                    ("effect", Value::Null),
                ])]),
            ),
        ]);
        let d = details(bad);
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(d[0].starts_with("secret_env key \"db/password\""), "{d:?}");
        assert!(d[1].starts_with("config_mount_path = \"etc/app\""), "{d:?}");
        assert!(d[2].starts_with("max_unavailable = \"120%\""), "{d:?}");
        assert!(d[3].starts_with("tolerations[0].value must be empty"), "{d:?}");
    }
}
