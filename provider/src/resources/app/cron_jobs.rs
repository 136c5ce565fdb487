//! `cron_jobs`: scheduled work that runs the app's own pod (image, environment, Secrets, volumes, service
//! account and security context) with its own command, as CronJobs named `<app>-<job>`. Checks with
//! attribute paths, and pure rendering from the app's rendered Deployment.
//!
//! The job pods carry the app's labels except `app.kubernetes.io/instance` (`<app>-<job>`), so the app's
//! Service, disruption budget and spreading never count them as the app's pods; network policies that select
//! the app by `app.kubernetes.io/name` still apply to them.

use serde_json::{Value as Json, json};

use crate::diag::Diagnostics;
use crate::schema::validators::dns1123_label_problem;
use crate::value::AttributePath;

use super::model::{AppModel, CronJob, strings};
use super::render::{self, Object};

/// The kind of the objects.
pub(super) const KIND: &str = "CronJob";

/// The longest CronJob name Kubernetes accepts (its Jobs add a suffix of 11 characters).
const MAX_NAME: usize = 52;

/// Container fields of the app that a job has no use for (it serves no traffic).
const SERVING_FIELDS: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe", "lifecycle"];

/// The known entries of `cron_jobs`.
pub(super) fn entries(app: &AppModel) -> impl Iterator<Item = (&String, &CronJob)> {
    app.cron_jobs
        .get()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k, v.get()?)))
}

/// The CronJob's name for job `job`.
pub(super) fn name(app: &AppModel, job: &str) -> String {
    format!("{}-{job}", app.name())
}

/// The CronJobs, each from the app's rendered Deployment's pod template.
pub(super) fn objects(app: &AppModel, deployment: &Object) -> Vec<Object> {
    let Some(template) = deployment.manifest.pointer("/spec/template") else {
        return Vec::new();
    };
    entries(app)
        .map(|(job, j)| {
            let name = name(app, job);
            let mut pod = template.clone();
            // Out of the app's selector (its Service, budget and autoscaler): a `pod_selector` may not
            // hold the instance key, so its other keys go too.
            if !app.pod_selector.is_null()
                && let Some(labels) = pod.pointer_mut("/metadata/labels").and_then(Json::as_object_mut)
            {
                for key in render::selector(app).keys() {
                    labels.remove(key);
                }
            }
            pod["metadata"]["labels"]["app.kubernetes.io/instance"] = json!(name);
            pod["metadata"]["labels"]["app.kubernetes.io/component"] = json!(job);
            if let Some(spec) = pod.get_mut("spec").and_then(Json::as_object_mut) {
                // Spreading rules select the app's pods; a job's pod has no replicas to spread.
                spec.remove("topologySpreadConstraints");
                if let Some(affinity) = spec.get_mut("affinity").and_then(Json::as_object_mut) {
                    affinity.remove("podAntiAffinity");
                    if affinity.is_empty() {
                        spec.remove("affinity");
                    }
                }
                spec.insert("restartPolicy".into(), json!("Never"));
            }
            if let Some(container) = pod.pointer_mut("/spec/containers/0").and_then(Json::as_object_mut) {
                for field in SERVING_FIELDS {
                    container.remove(*field);
                }
                for (field, value) in [("command", &j.command), ("args", &j.args)] {
                    let list = strings(value);
                    if !list.is_empty() {
                        container.insert(field.into(), json!(list));
                    }
                }
            }
            let mut job_spec = json!({
                "backoffLimit": j.backoff_limit.value().unwrap_or(0),
                "template": pod,
            });
            if let Some(s) = j.active_deadline_seconds.value() {
                job_spec["activeDeadlineSeconds"] = json!(s);
            }
            let mut spec = json!({
                "schedule": j.schedule.as_deref().unwrap_or_default(),
                "concurrencyPolicy": j.concurrency_policy.as_deref().unwrap_or("Forbid"),
                "suspend": j.suspend.value().unwrap_or(false),
                "successfulJobsHistoryLimit": j.successful_jobs_history_limit.value().unwrap_or(3),
                "failedJobsHistoryLimit": j.failed_jobs_history_limit.value().unwrap_or(1),
                "jobTemplate": {"spec": job_spec},
            });
            if let Some(tz) = j.time_zone.get() {
                spec["timeZone"] = json!(tz);
            }
            if let Some(s) = j.starting_deadline_seconds.value() {
                spec["startingDeadlineSeconds"] = json!(s);
            }
            let mut manifest = deployment.manifest.clone();
            manifest["apiVersion"] = json!("batch/v1");
            manifest["kind"] = json!(KIND);
            manifest["metadata"]["name"] = json!(name);
            if let Some(meta) = manifest["metadata"].as_object_mut() {
                // The Deployment's own annotations (secret revision, user annotations) stay on it.
                meta.remove("annotations");
            }
            manifest["spec"] = spec;
            Object {
                key: format!("{KIND}/{name}"),
                manifest,
            }
        })
        .collect()
}

/// The range each of the five schedule fields allows.
const FIELDS: [(&str, u32, u32); 5] = [
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
];

const MACROS: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// Why `schedule` is not a standard cron schedule (five fields, or a macro), or `None`.
fn schedule_problem(schedule: &str) -> Option<String> {
    let s = schedule.trim();
    if s.starts_with("TZ=") || s.starts_with("CRON_TZ=") {
        return Some("sets a time zone inside the schedule, which Kubernetes refuses: use `time_zone`".into());
    }
    if s.starts_with('@') {
        return (!MACROS.contains(&s)).then(|| format!("is not one of the macros {}", MACROS.join(", ")));
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!(
            "has {} fields, not the five of a standard schedule (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\"",
            fields.len()
        ));
    }
    for (field, (what, lo, hi)) in fields.iter().zip(FIELDS) {
        for part in field.split(',') {
            let (range, step) = part.split_once('/').map_or((part, None), |(r, s)| (r, Some(s)));
            if let Some(step) = step
                && step.parse::<u32>().map_or(true, |n| n == 0)
            {
                return Some(format!(
                    "has the step {step:?} in its {what} field: a step is a whole number above 0"
                ));
            }
            if range == "*" || (range == "?" && what.starts_with("day")) {
                continue;
            }
            let bounds: Vec<&str> = range.split('-').collect();
            for b in &bounds {
                // Month and weekday names (JAN, MON) are allowed as robfig/cron allows them.
                let named = b.len() == 3
                    && b.chars().all(|c| c.is_ascii_alphabetic())
                    && (what == "month" || what == "day of week");
                if named {
                    continue;
                }
                match b.parse::<u32>() {
                    Ok(n) if (lo..=hi).contains(&n) => {}
                    _ => return Some(format!("has {b:?} in its {what} field, which allows {lo} to {hi}")),
                }
            }
            if bounds.len() > 2 {
                return Some(format!("has the range {range:?} in its {what} field"));
            }
        }
    }
    None
}

/// Why `tz` does not look like an IANA time zone name, or `None`. The tz database itself is the cluster's:
/// an unknown zone is refused by the API server, before anything of the app is written (the server-side
/// dry run of the plan).
fn time_zone_problem(tz: &str) -> Option<&'static str> {
    if tz.is_empty() || tz.len() > 255 {
        return Some("must be 1 to 255 characters");
    }
    let segment_ok = |s: &str| {
        !s.is_empty() && s != "." && s != ".." && s.chars().all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c))
    };
    (!tz.split('/').all(segment_ok)).then_some("is not an IANA time zone name such as \"Europe/Paris\" or \"UTC\"")
}

/// Refuses what the API server would refuse halfway through an apply.
pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    for (job, j) in app.cron_jobs.get().into_iter().flatten() {
        let here = AttributePath::attr("cron_jobs").then_key(job);
        if let Some(p) = dns1123_label_problem(job, 63) {
            diags.error_at(
                &here,
                "Invalid Job Name",
                format!("{here}: {job:?} is not a DNS label: it {p}."),
            );
        } else if let Some(app_name) = app.name.get()
            && app_name.len() + 1 + job.len() > MAX_NAME
        {
            diags.error_at(
                &here,
                "Job Name Too Long",
                format!(
                    "{here}: the CronJob would be named \"{app_name}-{job}\", {} characters; Kubernetes allows {MAX_NAME} for a CronJob. Use a shorter key.",
                    app_name.len() + 1 + job.len()
                ),
            );
        }
        let Some(j) = j.get() else { continue };
        if let Some(s) = j.schedule.get()
            && let Some(p) = schedule_problem(s)
        {
            let path = here.then_attr("schedule");
            diags.error_at(&path, "Invalid Schedule", format!("{path} = {s:?} {p}."));
        }
        if let Some(tz) = j.time_zone.get()
            && let Some(p) = time_zone_problem(tz)
        {
            let path = here.then_attr("time_zone");
            diags.error_at(&path, "Invalid Time Zone", format!("{path} = {tz:?} {p}."));
        }
        if j.command.get().is_some_and(Vec::is_empty) {
            let path = here.then_attr("command");
            diags.error_at(
                &path,
                "Empty Command",
                format!("{path} is empty: leave it out to run the app's own command, or name one."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{app_with, get, render, validate};
    use super::schedule_problem;

    #[test]
    fn a_cron_job_runs_the_apps_pod_with_its_own_command() {
        let objs = render(app_with(json!({
            "env": {"MODE": "prod"},
            "cron_jobs": {"report": {"schedule": "0 3 * * *", "time_zone": "Europe/Paris", "command": ["/bin/report"]}},
        })));
        let c = get(&objs, "CronJob/api-report");
        assert_eq!(c["apiVersion"], "batch/v1");
        assert_eq!(c["spec"]["schedule"], "0 3 * * *");
        assert_eq!(c["spec"]["timeZone"], "Europe/Paris");
        assert_eq!(c["spec"]["concurrencyPolicy"], "Forbid");
        let pod = &c["spec"]["jobTemplate"]["spec"]["template"];
        assert_eq!(pod["spec"]["restartPolicy"], "Never");
        assert_eq!(pod["metadata"]["labels"]["app.kubernetes.io/instance"], "api-report");
        let container = &pod["spec"]["containers"][0];
        assert_eq!(container["command"], json!(["/bin/report"]));
        assert!(container.get("livenessProbe").is_none() && container.get("readinessProbe").is_none());
        assert!(container["env"].to_string().contains("MODE"), "{container}");
        assert!(pod["spec"].get("topologySpreadConstraints").is_none());
        // The CronJob itself is the app's; its pods are not the app's serving pods.
        assert_eq!(c["metadata"]["labels"]["app.kubernetes.io/instance"], "api");
        let at = |key: &str| objs.iter().position(|(k, _)| k == key);
        assert!(at("Deployment/api") < at("CronJob/api-report"));
    }

    #[test]
    fn a_cron_jobs_pods_stay_out_of_a_pod_selector() {
        let objs = render(app_with(json!({
            "pod_selector": {"app": "api"},
            "cron_jobs": {"report": {"schedule": "0 3 * * *", "command": ["/bin/report"]}},
        })));
        let deployment = get(&objs, "Deployment/api");
        assert_eq!(deployment["spec"]["template"]["metadata"]["labels"]["app"], "api");
        let labels = &get(&objs, "CronJob/api-report")["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"];
        assert!(labels.get("app").is_none(), "{labels}");
        assert_eq!(labels["app.kubernetes.io/instance"], "api-report");
    }

    #[test]
    fn schedules() {
        for ok in [
            "0 3 * * *",
            "*/15 9-17 * * MON-FRI",
            "0 0 1 JAN,JUL ?",
            "@hourly",
            "5,35 */2 1-31/2 * 0-7",
        ] {
            assert_eq!(schedule_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("0 3 * *", "fields"),
            ("61 3 * * *", "minute"),
            ("*/0 * * * *", "step"),
            ("CRON_TZ=UTC 0 3 * * *", "time_zone"),
            ("@often", "macros"),
            ("1-2-3 * * * *", "range"),
        ] {
            assert!(
                schedule_problem(bad).is_some_and(|p| p.contains(why)),
                "{bad}: {:?}",
                schedule_problem(bad)
            );
        }
    }

    #[test]
    fn bad_cron_jobs_are_refused_naming_the_attribute() {
        let bad = |job: serde_json::Value| validate(app_with(json!({"cron_jobs": {"nightly": job}})));
        assert_eq!(
            bad(json!({"schedule": "0 3 * *"})),
            ["cron_jobs[\"nightly\"].schedule: Invalid Schedule"]
        );
        assert_eq!(
            bad(json!({"schedule": "@daily", "time_zone": "Europe/../Paris"})),
            ["cron_jobs[\"nightly\"].time_zone: Invalid Time Zone"]
        );
        assert_eq!(
            bad(json!({"schedule": "@daily", "command": []})),
            ["cron_jobs[\"nightly\"].command: Empty Command"]
        );
        assert_eq!(
            bad(json!({"schedule": "@daily", "concurrency_policy": "Sometimes"})).len(),
            1,
            "one of Allow, Forbid, Replace"
        );
        let named = |job: &str| validate(app_with(json!({"cron_jobs": {job: {"schedule": "@daily"}}})));
        assert_eq!(named("Nightly"), ["cron_jobs[\"Nightly\"]: Invalid Job Name"]);
        let long = "x".repeat(49);
        assert_eq!(named(&long), [format!("cron_jobs[\"{long}\"]: Job Name Too Long")]);
        assert!(
            bad(json!({"schedule": "0 3 * * *", "time_zone": "Europe/Paris", "command": ["/bin/report"]})).is_empty()
        );
    }
}
