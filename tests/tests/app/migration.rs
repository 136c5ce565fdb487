//! Issue 20's migration before the rollout, on kwok: a Job's pod succeeds through kwok's pod-complete
//! Stage, and fails through the sandbox's `job-fail` Stage when its command starts with `hub-test-fail`.
//! The migration runs on create and on an image change, each time as a new Job before the Deployment
//! changes, never for a replicas change; a failing one stops the apply and the old ReplicaSet keeps serving.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, with_kube};
use hub_acceptance::tf::{self, Action, Workspace};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::batch::v1::Job;
use kube::Api;
use kube::api::ListParams;

use super::config;

const MIGRATE: &str = r#"["/hub-workload", "migrate"]"#;
const FAIL: &str = r#"["hub-test-fail", "migrate"]"#;

fn body(image: &str, replicas: u32, command: &str) -> String {
    format!(
        "  image = {image:?}\n  replicas = {replicas}\n  rollout = {{ timeout = \"90s\" }}\n  secret_env = {{ DB_PASSWORD = \"s3cret-pw\" }}\n  migration = {{ command = {command} }}\n"
    )
}

/// The app's migration Jobs by name, with whether each succeeded and when it finished.
fn jobs(ns: &str) -> tf::Result<Vec<(String, bool, Option<String>)>> {
    let ns = ns.to_owned();
    let list = with_kube(|c| async move {
        Api::<Job>::namespaced(c, &ns)
            .list(&ListParams::default().labels("hub.io/migration-of=api"))
            .await
    })?;
    let mut out: Vec<_> = list
        .items
        .into_iter()
        .filter(|j| j.metadata.deletion_timestamp.is_none())
        .map(|j| {
            let status = j.status.unwrap_or_default();
            let done = status.succeeded.unwrap_or(0) > 0;
            let at = status.completion_time.map(|t| t.0.to_string());
            (j.metadata.name.unwrap_or_default(), done, at)
        })
        .collect();
    out.sort();
    Ok(out)
}

fn deployment(ns: &str) -> tf::Result<Deployment> {
    let ns = ns.to_owned();
    with_kube(|c| async move { Api::<Deployment>::namespaced(c, &ns).get("api").await })
}

fn image(d: &Deployment) -> String {
    d.spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|s| s.containers[0].image.clone())
        .unwrap_or_default()
}

/// One ReplicaSet of the app.
#[derive(Debug, PartialEq)]
struct Set {
    name: String,
    image: String,
    ready: i32,
    created: Option<String>,
}

/// The ReplicaSets of the app, by name.
fn replica_sets(ns: &str) -> tf::Result<Vec<Set>> {
    let ns = ns.to_owned();
    let sets = with_kube(|c| async move {
        Api::<ReplicaSet>::namespaced(c, &ns)
            .list(&ListParams::default().labels("app.kubernetes.io/name=api"))
            .await
    })?;
    let mut out: Vec<_> = sets
        .items
        .into_iter()
        .map(|rs| {
            let image = rs
                .spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref())
                .and_then(|s| s.containers[0].image.clone())
                .unwrap_or_default();
            let ready = rs.status.and_then(|s| s.ready_replicas).unwrap_or(0);
            let created = rs.metadata.creation_timestamp.map(|t| t.0.to_string());
            Set {
                name: rs.metadata.name.unwrap_or_default(),
                image,
                ready,
                created,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn revision(ws: &Workspace) -> tf::Result<String> {
    Ok(ws
        .state()?
        .resource("hub_app.api")?
        .str("migration_revision")?
        .to_owned())
}

/// First apply: the Job runs, then the Deployment rolls out. A replicas change plans and runs no migration.
/// An image change plans a new revision and runs a new Job before the new ReplicaSet exists.
#[test]
fn acc_app_migration_runs_before_the_rollout_only_when_due() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-migrate").name("apps");
        let ws = Workspace::new(cli)?;
        ws.config(&config(&ns, &body("hub-workload:1.0", 2, MIGRATE)))?;
        let plan = ws.plan()?;
        let rc = plan.resource_change("hub_app.api")?;
        rc.expect_actions(&[Action::Create])?;
        let planned = rc
            .after("migration_revision")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        expect(
            planned.len() == 10,
            &format!("the plan names the migration's revision, got {planned:?}"),
        )?;
        ws.apply()?.ok()?;
        let first = format!("api-migrate-{planned}");
        let found = jobs(&ns)?;
        expect(
            found.len() == 1 && found[0].0 == first && found[0].1,
            &format!("one succeeded Job {first}, got {found:?}"),
        )?;
        let d = deployment(&ns)?;
        let created = d.metadata.creation_timestamp.clone().map(|t| t.0.to_string());
        expect(
            found[0].2.is_some() && found[0].2 <= created,
            &format!(
                "the Job finished ({:?}) before the Deployment was created ({created:?})",
                found[0].2
            ),
        )?;
        expect(
            d.status.and_then(|s| s.available_replicas) == Some(2),
            "the Deployment is available",
        )?;
        expect(revision(&ws)? == planned, "the state records the revision")?;

        // Replicas only: no migration in the plan, none run.
        ws.config(&config(&ns, &body("hub-workload:1.0", 3, MIGRATE)))?;
        let plan = ws.plan()?;
        let rc = plan.resource_change("hub_app.api")?;
        rc.expect_actions(&[Action::Update])?;
        expect(
            rc.before("migration_revision") == rc.after("migration_revision"),
            "a replicas change plans no migration",
        )?;
        ws.apply()?.ok()?;
        expect(jobs(&ns)?.len() == 1, "no second Job")?;

        // A new image: a new revision in the plan, a new Job, before the new ReplicaSet.
        ws.config(&config(&ns, &body("hub-workload:1.1", 3, MIGRATE)))?;
        let plan = ws.plan()?;
        let rc = plan.resource_change("hub_app.api")?;
        let next = rc
            .after("migration_revision")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        expect(
            next.len() == 10 && next != planned,
            &format!("the plan shows the new revision: {planned} -> {next:?}"),
        )?;
        ws.apply()?.ok()?;
        let found = jobs(&ns)?;
        let second = found.iter().find(|j| j.0 == format!("api-migrate-{next}"));
        expect(
            second.is_some_and(|j| j.1) && found.len() == 2,
            &format!("a second, succeeded Job, got {found:?}"),
        )?;
        let rs_created = replica_sets(&ns)?
            .into_iter()
            .find(|rs| rs.image == "hub-workload:1.1")
            .and_then(|rs| rs.created);
        expect(
            second
                .and_then(|j| j.2.clone())
                .is_some_and(|done| Some(done) <= rs_created),
            "the Job finished before the new ReplicaSet was created",
        )?;
        expect(
            image(&deployment(&ns)?) == "hub-workload:1.1",
            "the new image rolled out",
        )?;
        ws.plan()?.expect_empty()?;

        ws.destroy()?.ok()?;
        expect(jobs(&ns)?.is_empty(), "destroy deletes the migration Jobs")?;
        Ok(())
    })
}

/// A failing migration stops the apply with the Job's reason and its pod's termination (kwok serves no
/// logs), secret values never shown; the Deployment is unchanged and the old ReplicaSet keeps serving; the
/// state keeps the old revision, so the next plan runs it again; fixed, the apply rolls out.
#[test]
fn acc_app_failing_migration_leaves_the_running_version() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let ns = Scope::new("app-migrate-fail").name("apps");
        let ws = Workspace::new(cli)?;
        ws.config(&config(&ns, &body("hub-workload:1.0", 2, MIGRATE)))?;
        ws.apply()?.ok()?;
        let old_revision = revision(&ws)?;
        let before = deployment(&ns)?;
        let sets_before = replica_sets(&ns)?;

        ws.config(&config(&ns, &body("hub-workload:1.1", 2, FAIL)))?;
        let out = ws.apply_err()?;
        let text = format!("{}{}", out.stdout, out.stderr).replace('\n', " ");
        for want in [
            "Migration Failed",
            "BackoffLimitExceeded",
            "exit code 1",
            "The Deployment was not changed",
        ] {
            expect(text.contains(want), &format!("says {want:?}:\n{text}"))?;
        }
        expect(!text.contains("s3cret-pw"), "no secret value in the error")?;
        let after = deployment(&ns)?;
        expect(
            after.metadata.generation == before.metadata.generation && image(&after) == "hub-workload:1.0",
            &format!("the Deployment is unchanged, got image {}", image(&after)),
        )?;
        let sets = replica_sets(&ns)?;
        expect(
            sets == sets_before && sets.len() == 1 && sets[0].ready == 2,
            &format!("the old ReplicaSet alone, 2 ready: {sets:?}"),
        )?;
        expect(revision(&ws)? == old_revision, "the state keeps the old revision")?;
        let plan = ws.plan()?;
        let rc = plan.resource_change("hub_app.api")?;
        rc.expect_actions(&[Action::Update])?;
        expect(
            rc.before("migration_revision") != rc.after("migration_revision"),
            "the next plan runs the migration again",
        )?;

        ws.config(&config(&ns, &body("hub-workload:1.1", 2, MIGRATE)))?;
        ws.apply()?.ok()?;
        expect(
            image(&deployment(&ns)?) == "hub-workload:1.1",
            "fixed, the new image rolls out",
        )?;
        expect(revision(&ws)? != old_revision, "the new revision recorded")?;
        ws.plan()?.expect_empty()?;
        ws.destroy()?.ok()?;
        Ok(())
    })
}
