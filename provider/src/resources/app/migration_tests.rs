//! `migration`: the Job rendered from the Deployment, the revision that decides whether it runs, its
//! checks, and running it against the scripted API server (success, failure with log lines, a log that
//! cannot be read, a revision that already ran, a failed one run again).

use http::Method;
use serde_json::{Value as Json, json};

use super::migration::{self, MIGRATION_ANNOTATION};
use super::migration_run::{self, Outcome};
use super::model::AppModel;
use super::render::objects;
use super::tests::{app_with, planned};
use crate::diag::Diagnostics;
use crate::framework::ProviderContext;
use crate::k8s::fake::{Fake, status};
use crate::value::{AttributePath, Tf};

const JOBS: &str = "/apis/batch/v1/namespaces/prod/jobs";
const PODS: &str = "/api/v1/namespaces/prod/pods";

fn app(extra: Json) -> AppModel {
    let mut base = json!({"migration": {"command": ["./manage", "migrate"]}, "secret_env": {"DB_PASSWORD": "hunter2"},
        "config": {"LOG_LEVEL": "info"}, "volumes": {"data": {"empty_dir": {}}},
        "volume_mounts": [{"volume": "data", "mount_path": "/data"}], "node_spread": "one_per_node"});
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    planned(app_with(base))
}

fn deployment(app: &AppModel) -> Json {
    objects(app, app, 1)
        .into_iter()
        .find(|o| o.key == "Deployment/api")
        .expect("a Deployment")
        .manifest
}

fn revision(app: &AppModel) -> String {
    migration::revision(app).known().expect("a known revision")
}

fn job(app: &AppModel) -> Json {
    migration::job(app, &deployment(app), &revision(app))
        .expect("a Job")
        .manifest
}

#[test]
fn the_job_runs_the_command_in_the_apps_pod_without_probes_ports_or_spreading() {
    let app = app(
        json!({"migration": {"command": ["./manage", "migrate"], "args": ["--all"],
        "resources": {"memory_limit": "1Gi"}}}),
    );
    let job = job(&app);
    let name = format!("api-migrate-{}", revision(&app));
    assert_eq!(job["metadata"]["name"], json!(name));
    assert_eq!(job["spec"]["backoffLimit"], 0);
    assert_eq!(job["spec"]["activeDeadlineSeconds"], 600);
    assert_eq!(job["spec"]["ttlSecondsAfterFinished"], 3600);
    let pod = &job["spec"]["template"]["spec"];
    let app_pod = deployment(&app)["spec"]["template"]["spec"].clone();
    assert_eq!(pod["restartPolicy"], "Never");
    for same in [
        "serviceAccountName",
        "securityContext",
        "volumes",
        "automountServiceAccountToken",
    ] {
        assert_eq!(pod[same], app_pod[same], "{same} is the app's");
    }
    assert!(pod.get("topologySpreadConstraints").is_none());
    assert!(
        pod.get("affinity").is_none(),
        "no anti-affinity against the app's pods: {pod}"
    );
    let c = &pod["containers"][0];
    let app_c = &app_pod["containers"][0];
    assert_eq!(c["name"], "migrate");
    assert_eq!(c["image"], "x:1");
    assert_eq!(c["command"], json!(["./manage", "migrate"]));
    assert_eq!(c["args"], json!(["--all"]));
    for same in ["env", "envFrom", "volumeMounts", "securityContext"] {
        assert_eq!(c[same], app_c[same], "{same} is the app's");
    }
    for gone in ["ports", "livenessProbe", "readinessProbe", "startupProbe"] {
        assert!(c.get(gone).is_none(), "{gone} left out");
    }
    assert_eq!(c["resources"]["limits"]["memory"], "1Gi");
    assert_eq!(c["resources"]["requests"], app_c["resources"]["requests"]);
    // Not the Deployment's pods: neither its selector nor the Service picks them.
    let labels = &job["spec"]["template"]["metadata"]["labels"];
    assert!(labels.get("app.kubernetes.io/name").is_none());
    assert_eq!(labels["hub.io/migration-of"], "api");
    assert!(!job.to_string().contains("hunter2"), "secret values stay in the Secret");
}

#[test]
fn the_revision_follows_the_image_and_the_command_only() {
    let base = revision(&app(json!({})));
    assert_eq!(base.len(), 10);
    let same = [
        json!({"replicas": 5}),
        json!({"migration": {"command": ["./manage", "migrate"], "timeout": "20m", "backoff_limit": 2}}),
    ];
    for extra in same {
        assert_eq!(revision(&app(extra.clone())), base, "{extra}");
    }
    let other = [
        json!({"image": "x:2"}),
        json!({"migration": {"command": ["./manage", "upgrade"]}}),
        json!({"migration": {"command": ["./manage", "migrate"], "args": ["--fake"]}}),
    ];
    for extra in other {
        assert_ne!(revision(&app(extra.clone())), base, "{extra}");
    }
    assert_eq!(migration::revision(&planned(app_with(json!({})))), Tf::Null);
    let mut unknown = app(json!({}));
    unknown.image = Tf::Unknown;
    assert_eq!(migration::revision(&unknown), Tf::Unknown);
}

#[test]
fn it_is_due_when_the_revision_changed_and_after_a_failure() {
    let mut now = app(json!({}));
    now.migration_revision = migration::revision(&now);
    assert!(migration::due(&now, None).is_some(), "a create runs it");
    let mut prior = now.clone();
    assert_eq!(migration::due(&now, Some(&prior)), None, "the same revision succeeded");
    prior.migration_revision = Tf::Known("0123456789".into());
    assert!(migration::due(&now, Some(&prior)).is_some());
    prior.migration_revision = Tf::Null;
    assert!(migration::due(&now, Some(&prior)).is_some(), "just added");
}

#[test]
fn long_app_names_give_job_names_that_are_labels() {
    let name = migration::job_name(&"a".repeat(63), "0123456789");
    assert_eq!(name.len(), 63);
    assert!(name.ends_with("-migrate-0123456789"));
    assert_eq!(migration::job_name("api", "0123456789"), "api-migrate-0123456789");
    assert!(!migration::job_name(&format!("{}-b", "a".repeat(43)), "0123456789").contains("--"));
}

#[test]
fn the_deployment_records_the_migration_and_import_reads_it_back() {
    let app = app(
        json!({"migration": {"command": ["./m"], "args": ["-x"], "timeout": "90s",
        "resources": {"cpu_request": "250m"}}}),
    );
    let d = deployment(&app);
    assert!(
        d["metadata"]["annotations"][MIGRATION_ANNOTATION]
            .as_str()
            .is_some_and(|t| t.contains(&revision(&app))),
        "{d}"
    );
    assert!(
        d["spec"]["template"]["metadata"]["annotations"]
            .get(MIGRATION_ANNOTATION)
            .is_none(),
        "not on the template: a migration change alone rolls no pod"
    );
    assert_eq!(migration::read_back(&d), app.migration);
    let without = planned(app_with(json!({})));
    assert_eq!(migration::read_back(&deployment(&without)), Tf::Null);
}

fn problems(extra: Json) -> Vec<(String, String)> {
    let config = super::tests::model(app_with(json!({"migration": extra})));
    let mut diags = Diagnostics::new();
    migration::check(&config, &mut diags);
    diags
        .iter()
        .map(|d| {
            let path = d.path.as_ref().map(AttributePath::to_string).unwrap_or_default();
            (path, d.summary.clone())
        })
        .collect()
}

#[test]
fn bad_migrations_are_refused_naming_the_attribute() {
    let cases = [
        (json!({"command": []}), "migration.command"),
        (json!({"command": ["", "x"]}), "migration.command[0]"),
        (json!({"command": ["x"], "timeout": "soon"}), "migration.timeout"),
        (json!({"command": ["x"], "timeout": "0s"}), "migration.timeout"),
        (json!({"command": ["x"], "timeout": "25h"}), "migration.timeout"),
    ];
    for (extra, path) in cases {
        let found = problems(extra.clone());
        assert!(found.iter().any(|(p, _)| p == path), "{extra}: {found:?}");
    }
    assert!(problems(json!({"command": ["x"], "timeout": "2h"})).is_empty());
}

fn job_status(condition: Option<(&str, &str, &str)>) -> Json {
    let mut job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": {"template": {}}});
    if let Some((kind, reason, message)) = condition {
        job["status"] = json!({"conditions": [{"type": kind, "status": "True", "reason": reason, "message": message}]});
    }
    job
}

fn failed_pod(name: &str) -> Json {
    json!({"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": [{"metadata": {"name": name,
        "creationTimestamp": "2026-01-01T00:00:00Z"}, "status": {"phase": "Failed", "containerStatuses": [{
        "name": "migrate", "image": "x:1", "imageID": "", "ready": false, "restartCount": 0,
        "state": {"terminated": {"exitCode": 3, "reason": "Error"}}}]}}]})
}

struct Run {
    fake: Fake,
    app: AppModel,
    name: String,
}

fn run_setup() -> Run {
    let mut app = app(json!({}));
    app.migration_revision = migration::revision(&app);
    let name = format!("api-migrate-{}", revision(&app));
    Run {
        fake: Fake::new(),
        app,
        name,
    }
}

impl Run {
    async fn run(&self) -> Result<(), Diagnostics> {
        let d = deployment(&self.app);
        let client = self.fake.client();
        let ctx = ProviderContext::default();
        migration_run::run_if_due(&ctx, &client, (None, &self.app, &self.app), &d, "inst").await
    }
    fn job(&self) -> String {
        format!("{JOBS}/{}", self.name)
    }
    /// The Job is not there yet and is created.
    fn expect_create(&self) {
        self.fake
            .on(Method::GET, &self.job())
            .once(404, status(404, "NotFound", "no"));
        self.fake.on(Method::PATCH, &self.job()).once(201, job_status(None));
    }
}

#[tokio::test(start_paused = true)]
async fn a_new_revision_creates_the_job_and_waits_for_it() {
    let r = run_setup();
    r.expect_create();
    r.fake.on(Method::GET, &r.job()).each(vec![
        (200, job_status(None)),
        (200, job_status(Some(("Complete", "", "")))),
    ]);
    r.run().await.expect("the migration succeeded");
    r.fake.verify();
    let applied = &r.fake.seen()[1].body;
    assert_eq!(applied["metadata"]["annotations"]["hub.io/instance"], "inst");
    assert_eq!(
        applied["spec"]["template"]["spec"]["containers"][0]["command"][0],
        "./manage"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_migration_says_why_with_the_last_log_lines_and_masks_secrets() {
    let r = run_setup();
    r.expect_create();
    r.fake.on(Method::GET, &r.job()).once(
        200,
        job_status(Some((
            "Failed",
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
        ))),
    );
    r.fake
        .on(Method::GET, PODS)
        .query("labelSelector", &format!("batch.kubernetes.io/job-name={}", r.name))
        .once(200, failed_pod("m-1"));
    r.fake
        .on(Method::GET, &format!("{PODS}/m-1/log"))
        .query("tailLines", "20")
        .query("container", "migrate")
        .once(
            200,
            json!("connecting with password hunter2\nrelation \"users\" already exists\n"),
        );
    let diags = r.run().await.expect_err("the migration failed");
    r.fake.verify();
    let d = diags.iter().next().expect("one error");
    assert_eq!(d.summary, "Migration Failed");
    assert!(
        d.detail
            .contains("BackoffLimitExceeded: Job has reached the specified backoff limit"),
        "{}",
        d.detail
    );
    assert!(d.detail.contains("Pod m-1: exit code 3 (Error)"), "{}", d.detail);
    assert!(d.detail.contains("relation \"users\" already exists"), "{}", d.detail);
    assert!(d.detail.contains("The Deployment was not changed"), "{}", d.detail);
    assert!(!d.detail.contains("hunter2"), "secret values masked: {}", d.detail);
}

#[tokio::test(start_paused = true)]
async fn a_log_that_cannot_be_read_falls_back_to_the_containers_termination() {
    let r = run_setup();
    r.expect_create();
    r.fake
        .on(Method::GET, &r.job())
        .once(200, job_status(Some(("Failed", "BackoffLimitExceeded", "limit"))));
    r.fake.on(Method::GET, PODS).once(200, failed_pod("m-1"));
    r.fake.on(Method::GET, &format!("{PODS}/m-1/log")).once(
        500,
        status(
            500,
            "InternalError",
            "dial tcp 10.0.1.10:10250: connect: no route to host",
        ),
    );
    let diags = r.run().await.expect_err("the migration failed");
    r.fake.verify();
    let detail = &diags.iter().next().expect("one error").detail;
    assert!(
        detail.contains("Pod m-1: exit code 3 (Error); its log could not be read."),
        "{detail}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_revision_that_already_succeeded_is_not_run_again() {
    let r = run_setup();
    r.fake
        .on(Method::GET, &r.job())
        .once(200, job_status(Some(("Complete", "", ""))));
    r.run().await.expect("nothing to do");
    r.fake.verify();
}

#[tokio::test(start_paused = true)]
async fn a_failed_job_of_the_same_revision_is_deleted_and_run_again() {
    let r = run_setup();
    r.fake
        .on(Method::GET, &r.job())
        .once(200, job_status(Some(("Failed", "DeadlineExceeded", "late"))));
    r.fake.on(Method::DELETE, &r.job()).once(200, job_status(None));
    r.fake
        .on(Method::GET, &r.job())
        .once(404, status(404, "NotFound", "gone"));
    r.fake.on(Method::PATCH, &r.job()).once(201, job_status(None));
    r.fake
        .on(Method::GET, &r.job())
        .once(200, job_status(Some(("Complete", "", ""))));
    r.run().await.expect("run again and succeeded");
    r.fake.verify();
    let delete = r
        .fake
        .seen()
        .into_iter()
        .find(|s| s.method == Method::DELETE)
        .expect("a delete");
    assert_eq!(delete.body["propagationPolicy"], "Background");
}

#[tokio::test(start_paused = true)]
async fn nothing_runs_when_the_revision_did_not_change() {
    let r = run_setup();
    let d = deployment(&r.app);
    let ctx = ProviderContext::default();
    let done = migration_run::run_if_due(&ctx, &r.fake.client(), (Some(&r.app), &r.app, &r.app), &d, "inst").await;
    assert!(done.is_ok());
    assert!(r.fake.seen().is_empty(), "no request");
}

#[test]
fn job_conditions_decide_the_outcome() {
    let job = |j: Json| serde_json::from_value(j).expect("a Job");
    assert_eq!(migration_run::outcome(&job(job_status(None))), Outcome::Running);
    assert_eq!(
        migration_run::outcome(&job(job_status(Some(("Complete", "", ""))))),
        Outcome::Succeeded
    );
    assert_eq!(
        migration_run::outcome(&job(job_status(Some(("Failed", "DeadlineExceeded", "late"))))),
        Outcome::Failed("DeadlineExceeded: late".into())
    );
}
