//! Settings of `hub_app` that contradict each other or would be silently dropped: each is what a reviewer
//! would flag on a pull request (a disruption budget that blocks every node drain, `replicas` next to
//! `autoscaling`, an HTTPS redirect without a certificate, the same environment variable from two sources).
//! Errors name the attribute to change; settings that work on some clusters only are warnings. Unknown
//! values are skipped.

use crate::diag::Diagnostics;
use crate::value::{AttributePath, Tf};

use super::model::{AppModel, UserMap, keys, strings};

/// The attributes whose keys become environment variables, in the order Kubernetes lets them win: `env`
/// over `envFrom`, and among `envFrom` the Secret (listed last) over the ConfigMap.
fn env_sources(app: &AppModel) -> [(&'static str, &Tf<UserMap>); 4] {
    [
        ("env", &app.env),
        ("secret_env", &app.secret_env),
        ("secret_env_wo", &app.secret_env_wo),
        ("config", &app.config),
    ]
}

pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    replicas_with_autoscaling(app, diags);
    disruption_budget(app, diags);
    ingress(app, diags);
    env_set_twice(app, diags);
    env_names(app, diags);
    dropped_settings(app, diags);
}

/// Whether `v` is known and not null.
fn set<T>(v: &Tf<T>) -> bool {
    matches!(v, Tf::Known(_))
}

fn replicas_with_autoscaling(app: &AppModel, diags: &mut Diagnostics) {
    if set(&app.replicas) && set(&app.autoscaling) {
        diags.error_at(
            &AttributePath::attr("replicas"),
            "Replicas With Autoscaling",
            format!(
                "replicas = {} is ignored while autoscaling is set: the HorizontalPodAutoscaler owns the count \
                 (between autoscaling.min_replicas and max_replicas). Remove replicas, or pass replicas = null when \
                 autoscaling is set.",
                app.replicas.value().map_or("?".into(), |n| n.to_string())
            ),
        );
    }
}

/// The number of pods a budget is measured against: `replicas` (default 2), or the autoscaler's floor.
fn pod_floor(app: &AppModel) -> Option<i64> {
    match &app.autoscaling {
        Tf::Known(hpa) => hpa.min_replicas.value(),
        Tf::Unknown => None,
        Tf::Null if app.replicas.is_null() => Some(2),
        Tf::Null => app.replicas.value(),
    }
}
/// An int-or-percent value as pods out of `of` (percentages rounded up, as Kubernetes does for a budget).
fn scaled(s: &str, of: i64) -> Option<i64> {
    match s.strip_suffix('%') {
        Some(p) => p.parse::<i64>().ok().map(|p| (p * of + 99) / 100),
        None => s.parse().ok(),
    }
}

/// Why a disruption budget allows no voluntary eviction at all, or `None`. `pods` is the pod count when known.
pub(super) fn budget_problem(
    min_available: Option<&str>,
    max_unavailable: Option<&str>,
    pods: Option<i64>,
) -> Option<String> {
    if let Some(m) = min_available {
        if m == "100%" {
            return Some("min_available = \"100%\" keeps every pod: no node can ever be drained".into());
        }
        if let Some(n) = pods.filter(|n| *n > 0)
            && scaled(m, n).is_some_and(|needed| needed >= n)
        {
            return Some(format!(
                "min_available = {m:?} is at least the {n} pod(s) the app runs: every node drain and cluster upgrade \
                 would block on it"
            ));
        }
    }
    if let Some(m) = max_unavailable
        && (m == "0" || m == "0%")
    {
        return Some(format!(
            "max_unavailable = {m:?} allows no eviction: every node drain and cluster upgrade would block on it"
        ));
    }
    None
}

fn disruption_budget(app: &AppModel, diags: &mut Diagnostics) {
    let Some(pdb) = app.disruption_budget.get() else {
        return;
    };
    let (min, max) = (pdb.min_available.as_deref(), pdb.max_unavailable.as_deref());
    if let Some(p) = budget_problem(min, max, pod_floor(app)) {
        let which = if min.is_some() {
            "min_available"
        } else {
            "max_unavailable"
        };
        let floor = if app.autoscaling.is_set() {
            " (with autoscaling, at autoscaling.min_replicas)"
        } else {
            ""
        };
        diags.error_at(
            &AttributePath::attrs(&["disruption_budget", which]),
            "Disruption Budget Blocks Drains",
            format!(
                "disruption_budget.{p}{floor}. Allow at least one pod to go, e.g. max_unavailable = \"1\", or run \
                 more replicas."
            ),
        );
    }
}

fn ingress(app: &AppModel, diags: &mut Diagnostics) {
    let Some(ing) = app.ingress.get() else {
        return;
    };
    if ing.ssl_redirect.value() == Some(true) && ing.certificate_arn.is_null() {
        diags.error_at(
            &AttributePath::attrs(&["ingress", "ssl_redirect"]),
            "HTTPS Redirect Without Certificate",
            "ingress.ssl_redirect = true needs ingress.certificate_arn: without a certificate the load balancer has \
             no HTTPS listener and the redirect would be dropped. Set certificate_arn or remove ssl_redirect.",
        );
    }
    let hosts = strings(&ing.hosts);
    for (i, host) in hosts.iter().enumerate() {
        if hosts[..i].contains(host) {
            let path = AttributePath::attrs(&["ingress", "hosts"]).then_index(i);
            diags.error_at(&path, "Duplicate Host", format!("{path} = {host:?} is listed twice."));
        }
    }
    let service_type = match app.service.get().map(|s| &s.kind) {
        Some(Tf::Unknown) => None,
        Some(Tf::Known(t)) => Some(t.as_str()),
        _ => Some("ClusterIP"),
    };
    if ing.target_type.as_deref() == Some("instance") && service_type == Some("ClusterIP") {
        diags.error_at(
            &AttributePath::attrs(&["ingress", "target_type"]),
            "Instance Targets Need A Node Port",
            "ingress.target_type = \"instance\" sends traffic to a node port, but service.type is ClusterIP: the \
             AWS Load Balancer Controller refuses the Ingress. Use target_type = \"ip\" or service.type = \"NodePort\".",
        );
    }
}

fn env_set_twice(app: &AppModel, diags: &mut Diagnostics) {
    let sources = env_sources(app);
    for (i, (first, ours)) in sources.iter().enumerate() {
        for (second, theirs) in &sources[i + 1..] {
            // secret_env and secret_env_wo are one Secret: validate.rs refuses their overlap.
            if (*first, *second) == ("secret_env", "secret_env_wo") {
                continue;
            }
            let theirs = theirs.get();
            for key in keys(ours) {
                if theirs.is_some_and(|m| m.contains_key(key)) {
                    diags.error_at(
                        &AttributePath::attr(*second).then_key(key),
                        "Environment Variable Set Twice",
                        format!(
                            "{second}[{key:?}] and {first}[{key:?}] both set the environment variable {key:?}; the \
                             container would only see {first}'s value. Keep one."
                        ),
                    );
                }
            }
        }
    }
}

/// Whether `name` is a C identifier (`[A-Za-z_][A-Za-z0-9_]*`), the rule of Kubernetes before 1.34.
pub(super) fn is_c_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn env_names(app: &AppModel, diags: &mut Diagnostics) {
    for (attr, map) in env_sources(app) {
        // Mounted ConfigMap entries are files first (`app.yaml`).
        if attr == "config" && !app.config_mount_path.is_null() {
            continue;
        }
        for key in keys(map) {
            // Names Kubernetes rejects outright (empty, '=', not printable ASCII) are errors in checks.rs.
            let valid_today = !key.is_empty() && key.chars().all(|c| c.is_ascii_graphic() && c != '=');
            if valid_today && !is_c_identifier(key) {
                let effect = if attr == "env" {
                    "API servers older than 1.34 reject the Deployment"
                } else {
                    "clusters older than 1.34 skip it (the pods start without it)"
                };
                diags.warning_at(
                    &AttributePath::attr(attr).then_key(key),
                    "Environment Variable Name Needs Kubernetes 1.34",
                    format!(
                        "{attr}[{key:?}] is not a C identifier (letters, digits and '_', not starting with a digit): \
                         {effect}. Rename it, e.g. {:?}, unless every cluster runs 1.34 or later.",
                        key.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                    ),
                );
            }
        }
    }
}

/// Settings that another setting turns off.
fn dropped_settings(app: &AppModel, diags: &mut Diagnostics) {
    if app.probes_enabled.value() == Some(false) {
        for (probe, value) in [
            ("liveness", &app.liveness),
            ("readiness", &app.readiness),
            ("startup", &app.startup),
        ] {
            if set(value) {
                diags.error_at(
                    &AttributePath::attr(probe),
                    "Probe Turned Off",
                    format!("`{probe}` is set, but probes_enabled = false turns every probe off. Remove one of them."),
                );
            }
        }
    }
    if let Some(rollout) = app.rollout.get()
        && rollout.wait.value() == Some(false)
        && rollout.on_failure.as_deref() == Some("rollback")
    {
        diags.error_at(
            &AttributePath::attrs(&["rollout", "on_failure"]),
            "Rollback Without Waiting",
            "rollout.on_failure = \"rollback\" needs rollout.wait = true: without waiting hub never sees the rollout \
             fail, so it never rolls back.",
        );
    }
    if let Some(sa) = app.service_account.get()
        && sa.create.value() == Some(false)
    {
        if set(&sa.annotations) {
            diags.error_at(
                &AttributePath::attrs(&["service_account", "annotations"]),
                "Annotations On A Service Account hub Does Not Create",
                "service_account.annotations are written only on a ServiceAccount hub creates; with create = false \
                 they would be dropped. Annotate the existing account where it is managed, or set create = true.",
            );
        }
        if sa.irsa.get().is_some_and(|irsa| !irsa.is_pod_identity()) {
            diags.warning_at(
                &AttributePath::attrs(&["service_account", "irsa"]),
                "IRSA On A Service Account hub Does Not Create",
                "With service_account.create = false hub does not annotate the existing account with the role: set \
                 annotate_service_account = true on the hub_irsa_binding, or annotate it where it is managed.",
            );
        }
    }
    if set(&app.config_mount_path) && app.config.get().is_none_or(|m| m.is_empty()) && !app.config.is_unknown() {
        diags.warning_at(
            &AttributePath::attr("config_mount_path"),
            "Nothing To Mount",
            "config_mount_path is set but config is empty: nothing is mounted there.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::value::Value;

    fn map(entries: &[(&str, &str)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::string(*v)))
                .collect(),
        )
    }

    fn found(config: Value) -> Vec<(Severity, String, String)> {
        let mut d = Diagnostics::new();
        check(&super::super::tests::model_of(config), &mut d);
        d.0.into_iter()
            .map(|d| {
                let path = d.path.map(|p| p.to_string()).unwrap_or_default();
                (d.severity, path, d.detail)
            })
            .collect()
    }

    fn errors_at(config: Value) -> Vec<String> {
        found(config)
            .into_iter()
            .filter(|(s, ..)| *s == Severity::Error)
            .map(|(_, p, _)| p)
            .collect()
    }

    #[test]
    fn budgets() {
        assert!(budget_problem(Some("2"), None, Some(2)).is_some());
        assert!(budget_problem(Some("3"), None, Some(2)).is_some());
        assert_eq!(budget_problem(Some("1"), None, Some(2)), None);
        assert!(budget_problem(Some("100%"), None, None).is_some());
        assert!(
            budget_problem(Some("60%"), None, Some(2)).is_some(),
            "60 % of 2 rounds up to 2"
        );
        assert_eq!(budget_problem(Some("50%"), None, Some(2)), None);
        assert_eq!(budget_problem(Some("5"), None, None), None, "unknown pod count");
        assert_eq!(
            budget_problem(Some("1"), None, Some(0)),
            None,
            "no pods, nothing to drain"
        );
        assert!(budget_problem(None, Some("0"), Some(3)).is_some());
        assert!(budget_problem(None, Some("0%"), None).is_some());
        assert_eq!(budget_problem(None, Some("1"), Some(1)), None);
    }

    #[test]
    fn c_identifiers() {
        for ok in ["LOG_LEVEL", "_x", "a1"] {
            assert!(is_c_identifier(ok), "{ok}");
        }
        for not in ["1X", "A-B", "a.b", ""] {
            assert!(!is_c_identifier(not), "{not:?}");
        }
    }

    #[test]
    fn contradictions_name_their_attribute() {
        let bad = Value::object([
            ("replicas", Value::from(3i64)),
            (
                "autoscaling",
                Value::object([("min_replicas", Value::from(2i64)), ("max_replicas", Value::from(4i64))]),
            ),
            (
                "disruption_budget",
                Value::object([("min_available", Value::string("2")), ("max_unavailable", Value::Null)]),
            ),
            (
                "ingress",
                Value::object([
                    ("ssl_redirect", Value::Bool(true)),
                    ("certificate_arn", Value::Null),
                    (
                        "hosts",
                        Value::List(vec![Value::string("a.example.com"), Value::string("a.example.com")]),
                    ),
                    ("target_type", Value::string("instance")),
                ]),
            ),
            ("env", map(&[("LOG_LEVEL", "debug")])),
            ("config", map(&[("LOG_LEVEL", "info")])),
        ]);
        assert_eq!(
            errors_at(bad),
            [
                "replicas",
                "disruption_budget.min_available",
                "ingress.ssl_redirect",
                "ingress.hosts[1]",
                "ingress.target_type",
                "config[\"LOG_LEVEL\"]",
            ]
        );
    }

    #[test]
    fn a_consistent_app_passes_and_odd_names_only_warn() {
        let good = Value::object([
            ("replicas", Value::from(3i64)),
            (
                "disruption_budget",
                Value::object([("min_available", Value::string("2")), ("max_unavailable", Value::Null)]),
            ),
            ("env", map(&[("LOG_LEVEL", "debug")])),
            ("config", map(&[("APP_ENV", "prod")])),
        ]);
        assert!(found(good).is_empty());
        let odd = Value::object([("env", map(&[("my-var", "1")]))]);
        let f = found(odd);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, Severity::Warning);
        assert!(f[0].2.contains("1.34"), "{f:?}");
        let unknown = Value::object([
            ("replicas", Value::unknown()),
            ("autoscaling", Value::object([("min_replicas", Value::unknown())])),
        ]);
        assert!(found(unknown).is_empty());
    }
}
