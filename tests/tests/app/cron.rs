//! `cron_jobs` (issue 20): CronJobs that run the app's pod with their own command, under every CLI. They are
//! planned as objects of their own, never select as the app's pods, change in place, import back whole, and
//! go when removed.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, fixture_config, with_kube};
use hub_acceptance::tf::{self, Action, ImportId, Step, TestCase};
use k8s_openapi::api::batch::v1::CronJob;
use k8s_openapi::api::core::v1::Service;
use kube::Api;
use serde_json::Value;

use super::unverifiable::{rendered_is_contained, unverifiable};

fn cron_job(ns: &str, name: &str) -> tf::Result<Option<Value>> {
    let (ns, name) = (ns.to_owned(), name.to_owned());
    let found = with_kube(|c| async move { Api::<CronJob>::namespaced(c, &ns).get_opt(&name).await })?;
    Ok(found.map(|c| serde_json::to_value(c).unwrap_or_default()))
}

/// The nightly job runs the app's image and environment with its own command and schedule, in its time
/// zone; its pods do not carry the app's selector.
fn check_jobs(ns: &str, schedule: &str) -> tf::Result<()> {
    let nightly = cron_job(ns, "api-nightly")?.unwrap_or_default();
    let pod = &nightly["spec"]["jobTemplate"]["spec"]["template"];
    let container = &pod["spec"]["containers"][0];
    expect(
        nightly["spec"]["schedule"] == schedule
            && nightly["spec"]["timeZone"] == "Europe/Paris"
            && container["image"] == "hub-workload:1.0"
            && container["command"] == serde_json::json!(["/hub-workload", "report"])
            && container["env"].to_string().contains("MODE")
            && pod["spec"]["restartPolicy"] == "Never",
        &format!("CronJob api-nightly as configured: {nightly}"),
    )?;
    let (svc_ns, labels) = (ns.to_owned(), pod["metadata"]["labels"].clone());
    let service = with_kube(|c| async move { Api::<Service>::namespaced(c, &svc_ns).get("api").await })?;
    let selector = service.spec.and_then(|s| s.selector).unwrap_or_default();
    expect(
        !selector.is_empty() && !selector.iter().all(|(k, v)| labels[k] == v.as_str()),
        &format!("the Service selector {selector:?} does not select the job's pods {labels}"),
    )?;
    let sweep = cron_job(ns, "api-sweep")?.unwrap_or_default();
    expect(
        sweep["spec"]["concurrencyPolicy"] == "Replace"
            && sweep["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"]
                == serde_json::json!(["--sweep"]),
        &format!("CronJob api-sweep as configured: {sweep}"),
    )
}

#[test]
fn acc_app_cron_jobs() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let scope = Scope::new("app-cron");
        let ns = scope.name("apps");
        let config = |file: &str, nightly: &str| {
            fixture_config(
                &format!("app/{file}"),
                &[("namespace", ns.as_str()), ("nightly", nightly)],
            )
        };
        let (first, changed, gone) = (ns.clone(), ns.clone(), ns.clone());
        TestCase::new()
            .step(
                Step::new(config("cron_1_jobs.tf", "0 3 * * *"))
                    .plan_check(|plan| {
                        let rc = plan.resource_change("hub_app.api")?;
                        rc.expect_actions(&[Action::Create])?;
                        let rendered = rc.after("rendered").cloned().unwrap_or_default();
                        expect(
                            rendered.get("CronJob/api-nightly").is_some()
                                && rendered.get("CronJob/api-sweep").is_some(),
                            "each job is planned as a CronJob of its own",
                        )
                    })
                    .check(move |_: &tf::State| check_jobs(&first, "0 3 * * *"))
                    .import_verify("hub_app.api", ImportId::Attribute("id".into()), &unverifiable())
                    .import_check(rendered_is_contained)
                    .import_plans_no_change("hub_app.api", ImportId::Attribute("id".into())),
            )
            .step(
                // A new schedule changes the CronJob in place.
                Step::new(config("cron_1_jobs.tf", "30 4 * * 1-5"))
                    .plan_check(|plan| {
                        plan.resource_change("hub_app.api")?
                            .expect_actions(&[Action::Update])
                            .map(drop)
                    })
                    .check(move |_: &tf::State| check_jobs(&changed, "30 4 * * 1-5")),
            )
            .step(
                // Removed from the configuration, they are deleted.
                Step::new(config("cron_2_none.tf", "")).check(move |_: &tf::State| {
                    let left = (cron_job(&gone, "api-nightly")?, cron_job(&gone, "api-sweep")?);
                    let deleting =
                        |c: &Option<Value>| c.as_ref().is_none_or(|c| !c["metadata"]["deletionTimestamp"].is_null());
                    expect(deleting(&left.0) && deleting(&left.1), "the CronJobs are gone")
                }),
            )
            .run(cli)
    })
}
