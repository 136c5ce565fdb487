//! Rollouts without dropped requests behind the ALB (`ingress.graceful_shutdown`): a `preStop` sleep keeps a
//! terminating pod serving until the AWS Load Balancer Controller has deregistered it and the ALB has drained
//! it, the target group's deregistration delay is set to match (an Ingress annotation), and the termination
//! grace period outlasts both. On by default for apps with an ingress. The plan fills in the defaults
//! ([`plan`]), so the plan shows them; rendering reads only the planned values.
//!
//! The pod readiness gate (new pods count as ready only once the ALB sees them healthy) is injected by the
//! controller's webhook in namespaces labelled for it: `hub_namespace.alb_pod_readiness_gate`.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use crate::diag::Diagnostics;
use crate::value::{AttributePath, Tf};

use super::model::{AppModel, GracefulShutdown, Ingress};

/// The Ingress (or Service) annotation of target group attributes: `key=value` pairs joined by commas.
pub(super) const TARGET_GROUP_ATTRIBUTES: &str = "alb.ingress.kubernetes.io/target-group-attributes";
/// The target group attribute of the deregistration delay.
pub(super) const DELAY_KEY: &str = "deregistration_delay.timeout_seconds";
/// The delay by default: the ALB's own (300 s) holds every rollout up for minutes.
const DEFAULT_DELAY: i64 = 30;
/// How much longer than the delay the pod serves by default: the controller needs a few seconds to see the
/// pod terminating and deregister it.
const PROPAGATION: i64 = 10;
/// The time the app has to stop after SIGTERM when hub derives the grace period: Kubernetes' default.
const APP_SHUTDOWN: i64 = 30;

/// What the plan holds for `ingress.graceful_shutdown` and `termination_grace_period_seconds`, from the
/// configuration alone: defaults filled in, unknown where they depend on a value not known yet.
fn settings(config: &AppModel) -> (Tf<GracefulShutdown>, Tf<i64>) {
    let grace_set = &config.termination_grace_period_seconds;
    let grace = |derived: Tf<i64>| {
        if grace_set.is_null() {
            derived
        } else {
            grace_set.clone()
        }
    };
    let ingress = match &config.ingress {
        Tf::Known(i) => i,
        Tf::Null => return (Tf::Null, grace(Tf::Known(APP_SHUTDOWN))),
        Tf::Unknown => return (Tf::Unknown, grace(Tf::Unknown)),
    };
    let configured = match &ingress.graceful_shutdown {
        Tf::Known(g) => g.clone(),
        Tf::Null => GracefulShutdown::default(),
        Tf::Unknown => return (Tf::Unknown, grace(Tf::Unknown)),
    };
    let or = |value: &Tf<i64>, default: Tf<i64>| if value.is_null() { default } else { value.clone() };
    let enabled = if configured.enabled.is_null() {
        Tf::Known(true)
    } else {
        configured.enabled.clone()
    };
    let g = match enabled {
        Tf::Known(false) => {
            let off = GracefulShutdown {
                enabled: Tf::Known(false),
                ..configured
            };
            return (Tf::Known(off), grace(Tf::Known(APP_SHUTDOWN)));
        }
        Tf::Unknown => GracefulShutdown {
            enabled: Tf::Unknown,
            deregistration_delay_seconds: or(&configured.deregistration_delay_seconds, Tf::Unknown),
            pre_stop_sleep_seconds: or(&configured.pre_stop_sleep_seconds, Tf::Unknown),
            pre_stop: if configured.pre_stop.is_null() {
                Tf::Unknown
            } else {
                configured.pre_stop.clone()
            },
        },
        _ => {
            let delay = or(
                &configured.deregistration_delay_seconds,
                annotated_delay(ingress).map(|d| d.unwrap_or(DEFAULT_DELAY)),
            );
            GracefulShutdown {
                enabled: Tf::Known(true),
                pre_stop_sleep_seconds: or(
                    &configured.pre_stop_sleep_seconds,
                    delay.clone().map(|d| d + PROPAGATION),
                ),
                deregistration_delay_seconds: delay,
                pre_stop: if configured.pre_stop.is_null() {
                    Tf::Known("sleep".into())
                } else {
                    configured.pre_stop.clone()
                },
            }
        }
    };
    let derived = match (g.pre_stop_sleep_seconds.value(), g.deregistration_delay_seconds.value()) {
        (Some(sleep), Some(delay)) => Tf::Known(sleep.max(delay) + APP_SHUTDOWN),
        _ => Tf::Unknown,
    };
    (Tf::Known(g), grace(derived))
}

/// Fills the plan's `ingress.graceful_shutdown` and, when the configuration leaves it null,
/// `termination_grace_period_seconds`.
pub(super) fn plan(planned: &mut AppModel, config: &AppModel) {
    let (shutdown, grace) = settings(config);
    if let Some(ingress) = planned.ingress.get_mut() {
        ingress.graceful_shutdown = shutdown;
    }
    planned.termination_grace_period_seconds = grace;
}

/// The entries of a target group attributes annotation, as (key, value), trimmed.
fn entries(annotation: &str) -> impl Iterator<Item = (&str, &str)> {
    annotation
        .split(',')
        .filter(|e| !e.trim().is_empty())
        .map(|e| e.split_once('=').map_or((e.trim(), ""), |(k, v)| (k.trim(), v.trim())))
}

/// The deregistration delay the ingress's own annotations set, if any (unknown while they are).
fn annotated_delay(ingress: &Ingress) -> Tf<Option<i64>> {
    match &ingress.annotations {
        Tf::Null => Tf::Known(None),
        Tf::Unknown => Tf::Unknown,
        Tf::Known(map) => match map.get(TARGET_GROUP_ATTRIBUTES) {
            None => Tf::Known(None),
            Some(value) => value.as_ref().map(|v| delay_in(v).and_then(|d| d.parse().ok())),
        },
    }
}

/// The deregistration delay entry of an annotation, as written.
fn delay_in(annotation: &str) -> Option<&str> {
    entries(annotation).find(|(k, _)| *k == DELAY_KEY).map(|(_, v)| v)
}

/// The planned settings when they are on: (sleep seconds, `sleep` or `exec`, delay seconds).
fn active(app: &AppModel) -> Option<(i64, &str, i64)> {
    let g = app.ingress.get()?.graceful_shutdown.get()?;
    if g.enabled.value() != Some(true) {
        return None;
    }
    Some((
        g.pre_stop_sleep_seconds.value()?,
        g.pre_stop.as_deref().unwrap_or("sleep"),
        g.deregistration_delay_seconds.value()?,
    ))
}

/// Whether the planned preStop hook is the kubelet's `sleep` action (Kubernetes 1.30 and later).
pub(super) fn uses_sleep_action(app: &AppModel) -> bool {
    active(app).is_some_and(|(_, hook, _)| hook == "sleep")
}

/// The container's `lifecycle.preStop`: the kubelet's own sleep (Kubernetes 1.30 and later), or `sleep`
/// run in the container for older clusters.
pub(super) fn render_pre_stop(app: &AppModel, container: &mut Json) {
    let Some((seconds, hook, _)) = active(app) else { return };
    let handler = if hook == "exec" {
        json!({"exec": {"command": ["sleep", seconds.to_string()]}})
    } else {
        json!({"sleep": {"seconds": seconds}})
    };
    container["lifecycle"] = json!({"preStop": handler});
}

/// The deregistration delay, merged into the Ingress's target group attributes (after the user's).
pub(super) fn render_annotation(app: &AppModel, annotations: &mut BTreeMap<String, String>) {
    let Some((_, _, delay)) = active(app) else { return };
    let entry = format!("{DELAY_KEY}={delay}");
    let merged = match annotations.get(TARGET_GROUP_ATTRIBUTES) {
        Some(user) if delay_in(user).is_some() => user
            .split(',')
            .map(|e| {
                if e.split_once('=').is_some_and(|(k, _)| k.trim() == DELAY_KEY) {
                    entry.as_str()
                } else {
                    e
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(user) if !user.trim().is_empty() => format!("{user},{entry}"),
        _ => entry,
    };
    annotations.insert(TARGET_GROUP_ATTRIBUTES.to_owned(), merged);
}

/// The reverse of [`render_annotation`] for an import: the user's annotation without the delay hub added
/// (none when it held only the delay), and the delay.
pub(super) fn split_annotation(merged: &str) -> (Option<String>, Option<i64>) {
    let Some(delay) = delay_in(merged).and_then(|d| d.parse().ok()) else {
        return (Some(merged.to_owned()), None);
    };
    let rest: Vec<&str> = merged
        .split(',')
        .filter(|e| e.split_once('=').is_none_or(|(k, _)| k.trim() != DELAY_KEY))
        .collect();
    let rest = rest.join(",");
    ((!rest.trim().is_empty()).then_some(rest), Some(delay))
}

/// The planned settings a container's `preStop` hook records: (sleep seconds, `sleep` or `exec`).
pub(super) fn read_pre_stop(container: &Json) -> Option<(i64, &'static str)> {
    let hook = container.pointer("/lifecycle/preStop")?;
    if let Some(seconds) = hook.pointer("/sleep/seconds").and_then(Json::as_i64) {
        return Some((seconds, "sleep"));
    }
    match hook.pointer("/exec/command").and_then(Json::as_array)?.as_slice() {
        [program, seconds] if program == "sleep" => Some((seconds.as_str()?.parse().ok()?, "exec")),
        _ => None,
    }
}

/// Checks with attribute paths: settings that would do nothing, a grace period the sleep or the delay
/// outlasts, and a delay set twice (in `graceful_shutdown` and in a target group attributes annotation).
pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    let Some(ingress) = app.ingress.get() else { return };
    let base = AttributePath::attrs(&["ingress", "graceful_shutdown"]);
    if let Some(g) = ingress.graceful_shutdown.get()
        && g.enabled.value() == Some(false)
    {
        for (field, set) in [
            ("deregistration_delay_seconds", g.deregistration_delay_seconds.is_set()),
            ("pre_stop_sleep_seconds", g.pre_stop_sleep_seconds.is_set()),
            ("pre_stop", g.pre_stop.is_set()),
        ] {
            if set {
                let path = base.then_attr(field);
                diags.error_at(
                    &path,
                    "Graceful Shutdown Setting Unused",
                    format!(
                        "{path} has no effect with {base}.enabled = false: remove it, or turn graceful shutdown on."
                    ),
                );
            }
        }
        return;
    }
    let annotation = |path: AttributePath, map: &Tf<super::model::UserMap>| {
        map.get()
            .and_then(|m| m.get(TARGET_GROUP_ATTRIBUTES))
            .and_then(Tf::get)
            .map(|v| (path.then_key(TARGET_GROUP_ATTRIBUTES), v.clone()))
    };
    let configured = ingress.graceful_shutdown.get();
    let configured_delay = configured.map_or(Tf::Null, |g| g.deregistration_delay_seconds.clone());
    if let Some((path, value)) = annotation(AttributePath::attrs(&["ingress", "annotations"]), &ingress.annotations)
        && let Some(written) = delay_in(&value)
    {
        match (written.parse::<i64>(), configured_delay.value()) {
            (Ok(n), _) if !(0..=3600).contains(&n) => diags.error_at(
                &path,
                "Invalid Deregistration Delay",
                format!("{path} sets {DELAY_KEY}={written}: the ALB accepts 0 to 3600 seconds."),
            ),
            (Err(_), _) => diags.error_at(
                &path,
                "Invalid Deregistration Delay",
                format!("{path} sets {DELAY_KEY}={written:?}, which is not a whole number of seconds."),
            ),
            (Ok(n), Some(set)) if n != set => diags.error_at(
                &path,
                "Deregistration Delay Set Twice",
                format!(
                    "{path} sets {DELAY_KEY}={n}, but {base}.deregistration_delay_seconds = {set}: hub merges the \
                     delay into this annotation. Remove the entry from the annotation."
                ),
            ),
            _ => {}
        }
    }
    let (planned, _) = settings(app);
    let Some(g) = planned.get() else { return };
    let (Some(sleep), Some(delay)) = (g.pre_stop_sleep_seconds.value(), g.deregistration_delay_seconds.value()) else {
        return;
    };
    // The controller prefers the Service's target group attributes to the Ingress's, whole.
    let none = Tf::Null;
    if let Some((path, value)) = annotation(
        AttributePath::attrs(&["service", "annotations"]),
        app.service.get().map_or(&none, |s| &s.annotations),
    ) && delay_in(&value).and_then(|d| d.parse::<i64>().ok()) != Some(delay)
    {
        diags.error_at(
            &path,
            "Deregistration Delay Overridden",
            format!(
                "{path} overrides the Ingress's target group attributes for the AWS Load Balancer Controller, so the \
                 deregistration delay hub sets there ({delay} s) would not apply. Add {DELAY_KEY}={delay} to it, move \
                 it to ingress.annotations (hub merges the delay in), or set {base}.enabled = false."
            ),
        );
    }
    if let Some(set) = app.termination_grace_period_seconds.value() {
        let (what, outlast) = if sleep >= delay {
            (format!("{base}.pre_stop_sleep_seconds"), sleep)
        } else {
            (format!("{base}.deregistration_delay_seconds"), delay)
        };
        if set <= outlast {
            diags.error_at(
                &AttributePath::attr("termination_grace_period_seconds"),
                "Grace Period Too Short",
                format!(
                    "termination_grace_period_seconds = {set} does not outlast {what} ({outlast} s): the pod would be \
                     killed while the ALB may still send it requests. Set it above {outlast} (with time for the app \
                     to stop after SIGTERM), or leave it null for {}.",
                    outlast + APP_SHUTDOWN
                ),
            );
        }
    }
}

/// `ingress.graceful_shutdown`.
pub(super) fn schema() -> crate::schema::Attribute {
    use crate::schema::{Attribute, Nesting, validators};
    let seconds = |name: &str, min: i64, what: &str| {
        Attribute::number(name)
            .optional_computed()
            .validate(validators::int_between(min, 3600))
            .description(what)
    };
    Attribute::nested(
        "graceful_shutdown",
        Nesting::Single,
        vec![
            Attribute::bool("enabled").optional_computed().description("Default `true`. `false`: no `preStop` hook, no deregistration delay, and a grace period of 30 s unless `termination_grace_period_seconds` says otherwise."),
            seconds("deregistration_delay_seconds", 0, &format!("How long the ALB drains a deregistered pod's in-flight requests (the target group attribute `{DELAY_KEY}`, set on the Ingress's `{TARGET_GROUP_ATTRIBUTES}` annotation, merged with one in `annotations`). Default: the delay that annotation already sets, else {DEFAULT_DELAY}.")),
            seconds("pre_stop_sleep_seconds", 1, &format!("How long a terminating pod keeps serving before it gets SIGTERM (`preStop`). Default: the deregistration delay plus {PROPAGATION}, the time the AWS Load Balancer Controller takes to deregister the pod.")),
            Attribute::string("pre_stop").optional_computed().validate(validators::one_of(&["sleep", "exec"])).description("How the pod sleeps: `sleep`, the kubelet's sleep action (Kubernetes 1.30 and later; older API servers refuse it at plan, in the server-side dry-run), or `exec`, which runs `sleep <seconds>` in the container (the image must have a `sleep` program). Default: `sleep`."),
        ],
    )
    .optional_computed()
    .description(format!("Rollouts and scale-ins without dropped requests: a terminating pod keeps serving until the ALB has deregistered and drained it, then gets SIGTERM. On by default with an ingress; the plan shows the settings. When `termination_grace_period_seconds` is null, the plan raises it to the longer of the sleep and the delay plus {APP_SHUTDOWN} s for the app to stop; a value that does not outlast them is refused. New pods should also wait for the ALB: `hub_namespace`'s `alb_pod_readiness_gate` (target type `ip`)."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::app::model::{Service, UserMap};

    fn app(ingress: Option<Ingress>, grace: Option<i64>) -> AppModel {
        AppModel {
            name: Tf::Known("api".into()),
            namespace: Tf::Known("prod".into()),
            ingress: Tf::from_option(ingress),
            termination_grace_period_seconds: Tf::from_option(grace),
            ..AppModel::default()
        }
    }

    fn ingress(shutdown: Option<GracefulShutdown>, annotations: &[(&str, &str)]) -> Ingress {
        let map: UserMap = annotations
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Tf::Known((*v).to_owned())))
            .collect();
        Ingress {
            annotations: if map.is_empty() { Tf::Null } else { Tf::Known(map) },
            graceful_shutdown: Tf::from_option(shutdown),
            ..Ingress::default()
        }
    }

    /// The plan of `config`, and what it renders: (container, Ingress annotations).
    fn planned(config: &AppModel) -> (AppModel, Json, BTreeMap<String, String>) {
        let mut planned = config.clone();
        plan(&mut planned, config);
        let mut container = json!({});
        render_pre_stop(&planned, &mut container);
        let mut annotations: BTreeMap<String, String> = config
            .ingress
            .get()
            .map(|i| super::super::model::known(&i.annotations))
            .unwrap_or_default();
        render_annotation(&planned, &mut annotations);
        (planned, container, annotations)
    }

    fn errors(config: &AppModel) -> Vec<String> {
        let mut diags = Diagnostics::new();
        check(config, &mut diags);
        diags.iter().map(|d| format!("{}: {}", d.summary, d.detail)).collect()
    }

    #[test]
    fn an_ingress_turns_it_on_with_defaults_the_plan_shows() {
        let (plan, container, annotations) = planned(&app(Some(ingress(None, &[])), None));
        let g = plan.ingress.get().and_then(|i| i.graceful_shutdown.get()).cloned();
        assert_eq!(
            g,
            Some(GracefulShutdown {
                enabled: Tf::Known(true),
                deregistration_delay_seconds: Tf::Known(30),
                pre_stop_sleep_seconds: Tf::Known(40),
                pre_stop: Tf::Known("sleep".into()),
            })
        );
        assert_eq!(plan.termination_grace_period_seconds, Tf::Known(70));
        assert_eq!(container, json!({"lifecycle": {"preStop": {"sleep": {"seconds": 40}}}}));
        assert_eq!(
            annotations[TARGET_GROUP_ATTRIBUTES],
            "deregistration_delay.timeout_seconds=30"
        );
    }

    #[test]
    fn without_an_ingress_or_turned_off_nothing_changes() {
        let (plan, container, _) = planned(&app(None, None));
        assert_eq!(plan.termination_grace_period_seconds, Tf::Known(30));
        assert_eq!(container, json!({}));
        let off = GracefulShutdown {
            enabled: Tf::Known(false),
            ..GracefulShutdown::default()
        };
        let (plan, container, annotations) = planned(&app(Some(ingress(Some(off.clone()), &[])), Some(10)));
        assert_eq!(
            plan.ingress.get().map(|i| i.graceful_shutdown.clone()),
            Some(Tf::Known(off))
        );
        assert_eq!(plan.termination_grace_period_seconds, Tf::Known(10));
        assert_eq!((container, annotations.is_empty()), (json!({}), true));
    }

    #[test]
    fn settings_and_an_exec_hook_render_as_set() {
        let g = GracefulShutdown {
            deregistration_delay_seconds: Tf::Known(5),
            pre_stop_sleep_seconds: Tf::Known(15),
            pre_stop: Tf::Known("exec".into()),
            ..GracefulShutdown::default()
        };
        let (plan, container, annotations) = planned(&app(Some(ingress(Some(g), &[])), Some(20)));
        assert_eq!(plan.termination_grace_period_seconds, Tf::Known(20));
        assert_eq!(
            container["lifecycle"]["preStop"],
            json!({"exec": {"command": ["sleep", "15"]}})
        );
        assert_eq!(
            annotations[TARGET_GROUP_ATTRIBUTES],
            "deregistration_delay.timeout_seconds=5"
        );
        assert_eq!(read_pre_stop(&container), Some((15, "exec")));
    }

    #[test]
    fn the_users_target_group_attributes_are_kept_and_read_back() {
        let user = [(TARGET_GROUP_ATTRIBUTES, "stickiness.enabled=true")];
        let (_, _, annotations) = planned(&app(Some(ingress(None, &user)), None));
        let merged = &annotations[TARGET_GROUP_ATTRIBUTES];
        assert_eq!(
            merged,
            "stickiness.enabled=true,deregistration_delay.timeout_seconds=30"
        );
        assert_eq!(
            split_annotation(merged),
            (Some("stickiness.enabled=true".into()), Some(30))
        );
        assert_eq!(
            split_annotation("deregistration_delay.timeout_seconds=30"),
            (None, Some(30))
        );
        // A delay the annotation already sets is the default, and stays where it is.
        let user = [(
            TARGET_GROUP_ATTRIBUTES,
            "deregistration_delay.timeout_seconds=60, stickiness.enabled=true",
        )];
        let (plan, container, annotations) = planned(&app(Some(ingress(None, &user)), None));
        assert_eq!(annotations[TARGET_GROUP_ATTRIBUTES], user[0].1);
        assert_eq!(container["lifecycle"]["preStop"]["sleep"]["seconds"], 70);
        assert_eq!(plan.termination_grace_period_seconds, Tf::Known(100));
    }

    #[test]
    fn drift_shows_a_changed_sleep_or_delay_not_foreign_fields() {
        use super::super::drift::project;
        let (_, container, annotations) = planned(&app(Some(ingress(None, &[])), None));
        let desired = json!({"metadata": {"annotations": annotations},
            "spec": {"containers": [{"name": "api", "lifecycle": container["lifecycle"]}]}});
        let mut live = desired.clone();
        live["metadata"]["annotations"]["example.com/other"] = json!("x");
        live["spec"]["containers"][0]["lifecycle"]["postStart"] = json!({"sleep": {"seconds": 1}});
        assert_eq!(project(&desired, &live), desired, "foreign fields are not drift");
        for (pointer, value) in [
            ("/spec/containers/0/lifecycle/preStop/sleep/seconds", json!(5)),
            (
                "/metadata/annotations/alb.ingress.kubernetes.io~1target-group-attributes",
                json!("x=1"),
            ),
        ] {
            let mut changed = live.clone();
            if let Some(slot) = changed.pointer_mut(pointer) {
                *slot = value;
            }
            assert_ne!(project(&desired, &changed), desired, "{pointer} changed is drift");
        }
    }

    #[test]
    fn unknown_settings_plan_unknown() {
        let g = GracefulShutdown {
            deregistration_delay_seconds: Tf::Unknown,
            ..GracefulShutdown::default()
        };
        let (plan, container, _) = planned(&app(Some(ingress(Some(g), &[])), None));
        let g = plan
            .ingress
            .get()
            .and_then(|i| i.graceful_shutdown.get())
            .cloned()
            .unwrap_or_default();
        assert!(g.pre_stop_sleep_seconds.is_unknown() && plan.termination_grace_period_seconds.is_unknown());
        assert_eq!(container, json!({}));
    }

    #[test]
    fn refusals_name_the_attribute() {
        let cases: Vec<(AppModel, &str)> = vec![
            (
                app(Some(ingress(None, &[])), Some(40)),
                "does not outlast ingress.graceful_shutdown.pre_stop_sleep_seconds (40 s)",
            ),
            (
                app(
                    Some(ingress(
                        Some(GracefulShutdown {
                            deregistration_delay_seconds: Tf::Known(120),
                            pre_stop_sleep_seconds: Tf::Known(5),
                            ..GracefulShutdown::default()
                        }),
                        &[],
                    )),
                    Some(60),
                ),
                "does not outlast ingress.graceful_shutdown.deregistration_delay_seconds (120 s)",
            ),
            (
                app(
                    Some(ingress(
                        Some(GracefulShutdown {
                            enabled: Tf::Known(false),
                            pre_stop: Tf::Known("exec".into()),
                            ..GracefulShutdown::default()
                        }),
                        &[],
                    )),
                    None,
                ),
                "ingress.graceful_shutdown.pre_stop has no effect",
            ),
            (
                app(
                    Some(ingress(
                        Some(GracefulShutdown {
                            deregistration_delay_seconds: Tf::Known(10),
                            ..GracefulShutdown::default()
                        }),
                        &[(TARGET_GROUP_ATTRIBUTES, "deregistration_delay.timeout_seconds=60")],
                    )),
                    None,
                ),
                "Set Twice",
            ),
            (
                app(
                    Some(ingress(
                        None,
                        &[(TARGET_GROUP_ATTRIBUTES, "deregistration_delay.timeout_seconds=soon")],
                    )),
                    None,
                ),
                "not a whole number",
            ),
        ];
        for (config, want) in cases {
            let got = errors(&config);
            assert!(got.iter().any(|e| e.contains(want)), "want {want:?}: {got:?}");
        }
        let mut overridden = app(Some(ingress(None, &[])), None);
        overridden.service = Tf::Known(Service {
            annotations: Tf::Known(
                [(
                    TARGET_GROUP_ATTRIBUTES.to_owned(),
                    Tf::Known("stickiness.enabled=true".into()),
                )]
                .into(),
            ),
            ..Service::default()
        });
        assert!(errors(&overridden).iter().any(|e| e.contains("Overridden")));
        assert!(errors(&app(Some(ingress(None, &[])), Some(41))).is_empty());
    }
}
