//! `hub_app`'s calls to the cluster against the scripted API server ([`crate::k8s::fake`]): the plan's
//! dry-runs (conflicts, immutable fields, refusals), rollout waiting, taking over another tool's fields,
//! the ownership checks of create and delete, and taking a Service's ports back.

use std::collections::BTreeMap;
use std::time::Duration;

use http::Method;
use serde_json::{Value as Json, json};

use crate::diag::{Diagnostics, Severity};
use crate::framework::ProviderContext;
use crate::k8s::fake::{Fake, field_conflict, immutable, status};

use super::conflicts;
use super::ownership::{self, COMPLETE_ANNOTATION, Deleted};
use super::reconcile::api;
use super::render::{INSTANCE_ANNOTATION, Object};
use super::{preflight, renames, replicas, rollout, service_ports, takeover};

const DEPLOYMENT: &str = "/apis/apps/v1/namespaces/ns/deployments/api";
const SERVICE: &str = "/api/v1/namespaces/ns/services/api";
const PODS: &str = "/api/v1/namespaces/ns/pods";
const REPLICA_SETS: &str = "/apis/apps/v1/namespaces/ns/replicasets";

fn deployment_manifest() -> Json {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "ns"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
            "template": {"spec": {"containers": [{"name": "api", "image": "api:2"}]}}}})
}

fn deployment() -> Object {
    Object {
        key: "Deployment/api".into(),
        manifest: deployment_manifest(),
    }
}

/// The detail of the one diagnostic in `diags`, which must have `severity` and `summary`.
fn one<'a>(diags: &'a Diagnostics, severity: Severity, summary: &str) -> &'a str {
    match &diags.0[..] {
        [d] if d.severity == severity && d.summary == summary => &d.detail,
        _ => panic!("expected only {severity:?} {summary:?}, got {diags:#?}"),
    }
}

fn summaries(diags: &Diagnostics) -> Vec<(Severity, &str)> {
    diags.iter().map(|d| (d.severity, d.summary.as_str())).collect()
}

// Plan: server-side dry-runs.

#[tokio::test]
async fn a_clean_dry_run_sends_a_plain_then_a_forced_dry_run_and_finds_nothing() {
    let fake = Fake::new();
    fake.on(Method::PATCH, DEPLOYMENT)
        .query("dryRun", "All")
        .query("fieldManager", "hub")
        .each(vec![(200, deployment_manifest()), (200, deployment_manifest())]);
    let (key, replaced, diags) =
        preflight::dry_run(&fake.client(), "ns", &deployment(), "planning", None, false, false).await;
    fake.verify();
    assert_eq!((key.as_str(), replaced), ("Deployment/api", None));
    assert!(diags.is_empty(), "{diags:#?}");
    let seen = fake.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].param("force"), None, "the first asks for conflicts");
    assert_eq!(seen[1].param("force"), Some("true"), "the second judges the rest");
    assert_eq!(
        seen[0].body["metadata"]["annotations"][INSTANCE_ANNOTATION], "planning",
        "the object is sent as apply will write it"
    );
    assert_eq!(
        seen[0].body["spec"]["template"]["spec"]["containers"][0]["image"],
        "api:2"
    );
}

#[tokio::test]
async fn helms_fields_are_no_refusal_with_adopt_from_helm_only_where_its_entry_can_be_taken() {
    for (version, refused) in [("apps/v1", false), ("apps/v1beta2", true)] {
        let fake = Fake::new();
        fake.on(Method::PATCH, DEPLOYMENT).once(
            409,
            field_conflict("helm", &[".metadata.labels.app.kubernetes.io/managed-by"]),
        );
        fake.on(Method::GET, DEPLOYMENT).once(
            200,
            json!({"apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadata",
                "metadata": {"name": "api", "namespace": "ns",
                    "managedFields": [{"manager": "helm", "operation": "Update", "apiVersion": version}]}}),
        );
        fake.on(Method::PATCH, DEPLOYMENT)
            .query("force", "true")
            .once(200, deployment_manifest());
        let (_, _, diags) =
            preflight::dry_run(&fake.client(), "ns", &deployment(), "planning", None, false, true).await;
        fake.verify();
        assert_eq!(diags.has_errors(), refused, "Helm's entry of {version}: {diags:#?}");
    }
}

#[tokio::test]
async fn a_field_hub_never_applied_held_by_another_manager_fails_the_plan_naming_both() {
    let fake = Fake::new();
    fake.on(Method::PATCH, DEPLOYMENT).once(
        409,
        field_conflict("kubectl-edit", &[".spec.replicas", ".metadata.labels.team"]),
    );
    fake.on(Method::PATCH, DEPLOYMENT)
        .query("force", "true")
        .once(200, deployment_manifest());
    let (_, replaced, diags) =
        preflight::dry_run(&fake.client(), "ns", &deployment(), "planning", None, false, false).await;
    fake.verify();
    assert_eq!(replaced, None);
    let detail = one(&diags, Severity::Error, "Field Owned By Another Manager");
    assert_eq!(
        detail,
        "Deployment ns/api: applying it would take fields hub never applied from another field manager: \
         .spec.replicas (held by \"kubectl-edit\"), .metadata.labels.team (held by \"kubectl-edit\"). Remove them \
         from the configuration, or set force_conflicts = true to take them over."
    );
}

#[tokio::test]
async fn fields_hub_applied_before_are_taken_back_with_a_warning_and_only_foreign_ones_are_refused() {
    let before = deployment_manifest();
    // .spec.replicas was hub's; .metadata.labels.team never was.
    let fake = Fake::new();
    // Rules are tried in order: the forced dry-run's first, as the plain ones would match it too.
    fake.on(Method::PATCH, DEPLOYMENT)
        .query("force", "true")
        .always(200, deployment_manifest());
    fake.on(Method::PATCH, DEPLOYMENT)
        .once(409, field_conflict("kubectl-scale", &[".spec.replicas"]));
    fake.on(Method::PATCH, DEPLOYMENT).once(
        409,
        field_conflict("kubectl-edit", &[".spec.replicas", ".metadata.labels.team"]),
    );
    let client = fake.client();
    let (_, _, taken) =
        preflight::dry_run(&client, "ns", &deployment(), "id-1", Some(before.clone()), false, false).await;
    let detail = one(
        &taken,
        Severity::Warning,
        "Fields Changed Outside Terraform Are Taken Back",
    );
    assert!(
        detail.starts_with("Deployment ns/api: .spec.replicas (held by \"kubectl-scale\") changed"),
        "{}",
        detail
    );
    let (_, _, refused) = preflight::dry_run(&client, "ns", &deployment(), "id-1", Some(before), false, false).await;
    let detail = one(&refused, Severity::Error, "Field Owned By Another Manager");
    assert!(
        detail.contains(": .metadata.labels.team (held by \"kubectl-edit\")."),
        "{}",
        detail
    );
    assert!(
        !detail.contains(".spec.replicas"),
        "a field hub applied is not refused: {}",
        detail
    );
    fake.verify();
}

#[tokio::test]
async fn force_conflicts_skips_the_conflict_check() {
    let fake = Fake::new();
    fake.on(Method::PATCH, DEPLOYMENT)
        .query("dryRun", "All")
        .query("force", "true")
        .once(200, deployment_manifest());
    let (_, replaced, diags) =
        preflight::dry_run(&fake.client(), "ns", &deployment(), "planning", None, true, false).await;
    fake.verify();
    assert_eq!(fake.seen().len(), 1, "only the forced dry-run");
    assert_eq!(replaced, None);
    assert!(diags.is_empty(), "{diags:#?}");
}

#[tokio::test]
async fn an_immutable_field_plans_a_replacement_not_an_error() {
    let fake = Fake::new();
    fake.on(Method::PATCH, DEPLOYMENT)
        .query("force", "true")
        .once(422, immutable("Deployment", "api", "spec.selector"));
    fake.on(Method::PATCH, DEPLOYMENT).once(200, deployment_manifest());
    let (_, replaced, diags) =
        preflight::dry_run(&fake.client(), "ns", &deployment(), "id-1", None, false, false).await;
    fake.verify();
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(
        replaced.as_deref(),
        Some("spec.selector cannot change in place (immutable): apply deletes the Deployment and creates it again")
    );
}

#[tokio::test]
async fn any_other_refusal_of_the_dry_run_fails_the_plan() {
    let invalid = status(
        422,
        "Invalid",
        "Deployment.apps \"api\" is invalid: spec.template.spec.containers[0].image: Required value",
    );
    let quota = status(403, "Forbidden", "deployments \"api\" is forbidden: exceeded quota: q");
    for (code, body, hint) in [
        (422, invalid, "The API server rejected the object as invalid."),
        (403, quota, "hub_namespace.resource_quota"),
    ] {
        let fake = Fake::new();
        fake.on(Method::PATCH, DEPLOYMENT)
            .query("force", "true")
            .once(code, body);
        fake.on(Method::PATCH, DEPLOYMENT).once(200, deployment_manifest());
        let (_, replaced, diags) =
            preflight::dry_run(&fake.client(), "ns", &deployment(), "id-1", None, false, false).await;
        fake.verify();
        assert_eq!(replaced, None, "HTTP {code}");
        assert_eq!(
            summaries(&diags),
            [
                (Severity::Error, "Kubernetes API Error"),
                (Severity::Error, "Apply Would Fail")
            ],
            "HTTP {code}"
        );
        assert!(
            diags.0[0]
                .detail
                .starts_with("Checking Deployment ns/api (server-side dry-run): ")
        );
        assert!(diags.0[0].detail.contains(hint), "HTTP {code}: {}", diags.0[0].detail);
    }
}

#[tokio::test]
async fn a_service_port_collision_is_taken_back_only_where_hub_may() {
    let service = Object {
        key: "Service/api".into(),
        manifest: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},
            "spec": {"ports": [{"name": "http", "port": 80}]}}),
    };
    let duplicate = status(
        422,
        "Invalid",
        "Service \"api\" is invalid: spec.ports[1].name: Duplicate value: \"http\"",
    );
    let fake = Fake::new();
    fake.on(Method::PATCH, SERVICE)
        .query("force", "true")
        .always(422, duplicate);
    fake.on(Method::PATCH, SERVICE).always(200, service.manifest.clone());
    let client = fake.client();
    let (_, _, foreign) = preflight::dry_run(&client, "ns", &service, "id-1", None, false, false).await;
    assert_eq!(
        summaries(&foreign),
        [(Severity::Error, "Service Port Changed Outside Terraform")]
    );
    let (_, _, forced) = preflight::dry_run(&client, "ns", &service, "id-1", None, true, false).await;
    assert_eq!(
        summaries(&forced),
        [(Severity::Warning, "Fields Changed Outside Terraform Are Taken Back")]
    );
    let before = Some(service.manifest.clone());
    let (_, _, owned) = preflight::dry_run(&client, "ns", &service, "id-1", before, false, false).await;
    assert_eq!(
        summaries(&owned),
        [(Severity::Warning, "Fields Changed Outside Terraform Are Taken Back")]
    );
}

#[tokio::test]
async fn conflicts_are_read_from_what_the_api_server_answered() {
    let fake = Fake::new();
    fake.on(Method::PATCH, DEPLOYMENT).once(
        409,
        field_conflict("helm", &[".spec.template.spec.containers[name=\"api\"].image"]),
    );
    let deployments = api(&fake.client(), "ns", "Deployment");
    let err = crate::k8s::Apply::hub()
        .send(&deployments, "api", &deployment_manifest())
        .await
        .unwrap_err();
    let found = conflicts::of(&err);
    assert_eq!(
        conflicts::describe(&found),
        ".spec.template.spec.containers[name=\"api\"].image (held by \"helm\")"
    );
    let before = deployment_manifest();
    assert!(
        matches!(conflicts::judge(found, Some(&before)), conflicts::Verdict::TakeBack(c) if c.len() == 1),
        "hub applied the image before"
    );
}

// Apply: rollout waiting.

/// A Deployment at `generation`, with the controller's view of it.
fn live_deployment(generation: i64, observed: i64, updated: i32, available: i32, replicas: i32) -> Json {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "ns", "generation": generation},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
            "template": {"spec": {"containers": [{"name": "api", "image": "api:2"}]}}},
        "status": {"observedGeneration": observed, "updatedReplicas": updated,
            "availableReplicas": available, "replicas": replicas}})
}

fn list(kind: &str, items: Vec<Json>) -> Json {
    json!({"apiVersion": "v1", "kind": format!("{kind}List"), "metadata": {}, "items": items})
}

#[tokio::test(start_paused = true)]
async fn the_rollout_wait_polls_until_the_new_generation_is_available() {
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT).each(vec![
        (404, status(404, "NotFound", "not yet")),
        // The controller has not seen generation 2.
        (200, live_deployment(2, 1, 2, 2, 2)),
        // Half rolled out, the old pod still running.
        (200, live_deployment(2, 2, 1, 2, 3)),
        // All updated, one not available yet.
        (200, live_deployment(2, 2, 2, 1, 2)),
        (200, live_deployment(2, 2, 2, 2, 2)),
    ]);
    let ctx = ProviderContext::default();
    let started = tokio::time::Instant::now();
    let done = rollout::wait(&ctx, fake.client(), ("ns", "api"), APP_PODS, Duration::from_secs(300)).await;
    assert!(done.is_ok());
    fake.verify();
    // 250 ms, 500 ms, 1 s, 2 s between the five reads (on the paused clock).
    assert_eq!(started.elapsed(), Duration::from_millis(3750));
}

#[tokio::test(start_paused = true)]
async fn a_rollout_that_never_completes_times_out_and_says_what_the_pods_say() {
    let mut stuck = live_deployment(2, 2, 1, 1, 2);
    stuck["status"]["conditions"] = json!([{"type": "Progressing", "status": "False",
        "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"api-2\" has timed out progressing."}]);
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT).always(200, stuck);
    let selector = APP_PODS;
    fake.on(Method::GET, REPLICA_SETS)
        .query("labelSelector", selector)
        .once(
            200,
            list(
                "ReplicaSet",
                vec![
                    json!({"metadata": {"name": "api-2"}, "status": {"replicas": 0, "conditions": [
            {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
             "message": "pods \"api-2-x\" is forbidden: exceeded quota: q, requested: cpu=1, limited: cpu=2/2"}]}}),
                ],
            ),
        );
    fake.on(Method::GET, PODS).query("labelSelector", selector).once(
        200,
        list(
            "Pod",
            vec![
                json!({"metadata": {"name": "api-2-a"}, "status": {"containerStatuses": [{"name": "api",
                "ready": false, "restartCount": 0, "image": "api:2", "imageID": "",
                "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"api:2\""}}}]}}),
                json!({"metadata": {"name": "api-2-b"}, "status": {"containerStatuses": [{"name": "api",
                "ready": false, "restartCount": 4, "image": "api:2", "imageID": "",
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 137}}}]}}),
                json!({"metadata": {"name": "api-2-c"}, "status": {"conditions": [{"type": "PodScheduled",
                "status": "False", "message": "0/3 nodes are available: 3 Insufficient cpu."}]}}),
                json!({"metadata": {"name": "api-1-a"}, "status": {"containerStatuses": [{"name": "api",
                "ready": true, "restartCount": 0, "image": "api:1", "imageID": "", "state": {"running": {}}}]}}),
            ],
        ),
    );
    let ctx = ProviderContext::default();
    let started = tokio::time::Instant::now();
    let failure = rollout::wait(&ctx, fake.client(), ("ns", "api"), APP_PODS, Duration::from_secs(30))
        .await
        .expect_err("not complete");
    fake.verify();
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(30),
        "the whole timeout, on the paused clock"
    );
    assert!(failure.timed_out, "the objects are sound, only the pods are not");
    assert_eq!(
        failure.detail,
        "Deployment ns/api did not become available: the rollout timeout passed. Pods could not be created: \
         pods \"api-2-x\" is forbidden: exceeded quota: q, requested: cpu=1, limited: cpu=2/2. The namespace's \
         ResourceQuota is full: raise it (hub_namespace.resource_quota) or lower this app's resources or replicas. \
         Pods: api-2-a container api: ImagePullBackOff (Back-off pulling image \"api:2\"); api-2-b container api: \
         CrashLoopBackOff, last exit code 137; api-2-c: unschedulable (0/3 nodes are available: 3 Insufficient cpu.)."
    );
}

#[tokio::test(start_paused = true)]
async fn a_stopped_rollout_wait_is_no_timeout() {
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT)
        .once(200, live_deployment(1, 1, 0, 0, 0));
    fake.on(Method::GET, REPLICA_SETS)
        .once(403, status(403, "Forbidden", "no"));
    fake.on(Method::GET, PODS).once(200, list("Pod", vec![]));
    let ctx = ProviderContext::default();
    ctx.stop.cancel();
    let failure = rollout::wait(&ctx, fake.client(), ("ns", "api"), APP_PODS, Duration::from_secs(300))
        .await
        .expect_err("stopped");
    fake.verify();
    assert!(!failure.timed_out);
    assert_eq!(
        failure.detail,
        "Deployment ns/api did not become available: the operation was interrupted. No pod reports a problem yet."
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_read_ends_the_rollout_wait_at_once() {
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT)
        .once(403, status(403, "Forbidden", "deployments \"api\" is forbidden"));
    let ctx = ProviderContext::default();
    let failure = rollout::wait(&ctx, fake.client(), ("ns", "api"), APP_PODS, Duration::from_secs(300))
        .await
        .expect_err("failed");
    fake.verify();
    assert!(!failure.timed_out);
    assert!(
        failure.detail.starts_with("reading the Deployment failed: "),
        "{}",
        failure.detail
    );
    assert!(failure.detail.contains("is forbidden"), "{}", failure.detail);
}

/// The label selector of the app `api`'s pods.
const APP_PODS: &str = "app.kubernetes.io/instance=api,app.kubernetes.io/name=api";

// Adoption with force_conflicts.

/// A Deployment manifest that sets its count (so the count is taken over too).
static COUNTED: std::sync::LazyLock<Json> =
    std::sync::LazyLock::new(|| json!({"apiVersion": "apps/v1", "spec": {"replicas": 3}}));
const TOOLS: takeover::Takers = takeover::Takers {
    tools: true,
    helm: false,
};

#[tokio::test]
async fn take_over_merges_a_configuration_tools_fields_into_hubs_with_a_precondition() {
    let mut live = live_deployment(3, 3, 2, 2, 2);
    live["metadata"]["resourceVersion"] = json!("41");
    live["metadata"]["managedFields"] = json!([
        {"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "apps/v1",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:replicas": {}}}},
        {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {}}, "subresource": "status"}
    ]);
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT).once(200, live.clone());
    fake.on(Method::PATCH, DEPLOYMENT).once(200, live);
    let deployments = api(&fake.client(), "ns", "Deployment");
    let diags = takeover::take_over(&deployments, ("Deployment", "api"), &COUNTED, TOOLS)
        .await
        .expect("taken over");
    fake.verify();
    let detail = one(&diags, Severity::Warning, "Fields Taken Over");
    assert!(
        detail.contains("the fields kubectl-client-side-apply set are hub's now (force_conflicts)"),
        "{}",
        detail
    );
    let patch = &fake.seen()[1];
    assert_eq!(patch.content_type.as_deref(), Some("application/merge-patch+json"));
    assert_eq!(patch.body["metadata"]["resourceVersion"], "41", "a precondition");
    let managers: Vec<&str> = patch.body["metadata"]["managedFields"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["manager"].as_str())
        .collect();
    assert_eq!(managers, ["kube-controller-manager", "hub"]);
}

#[tokio::test]
async fn take_over_of_an_absent_object_does_nothing_and_a_modified_one_is_merged_again() {
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT)
        .once(404, status(404, "NotFound", "gone"));
    let deployments = api(&fake.client(), "ns", "Deployment");
    let diags = takeover::take_over(&deployments, ("Deployment", "api"), &COUNTED, TOOLS)
        .await
        .expect("nothing");
    assert!(diags.is_empty());
    fake.verify();

    let mut live = live_deployment(1, 1, 2, 2, 2);
    live["metadata"]["managedFields"] = json!([{"manager": "kubectl-edit", "operation": "Update",
        "apiVersion": "apps/v1", "fieldsType": "FieldsV1", "fieldsV1": {}}]);
    let modified = || {
        status(
            409,
            "Conflict",
            "Operation cannot be fulfilled: the object has been modified",
        )
    };
    // A controller wrote meanwhile: merged again from the object as it is now.
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT)
        .each(vec![(200, live.clone()), (200, live.clone())]);
    fake.on(Method::PATCH, DEPLOYMENT)
        .each(vec![(409, modified()), (200, live.clone())]);
    let deployments = api(&fake.client(), "ns", "Deployment");
    let diags = takeover::take_over(&deployments, ("Deployment", "api"), &COUNTED, TOOLS)
        .await
        .expect("taken over at the second attempt");
    fake.verify();
    one(&diags, Severity::Warning, "Fields Taken Over");
    // Still changing after every attempt: an error naming the object.
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT).always(200, live);
    fake.on(Method::PATCH, DEPLOYMENT).always(409, modified());
    let deployments = api(&fake.client(), "ns", "Deployment");
    let refused = takeover::take_over(&deployments, ("Deployment", "api"), &COUNTED, TOOLS)
        .await
        .unwrap_err();
    let patches = fake.seen().iter().filter(|r| r.method == Method::PATCH).count();
    assert_eq!(patches, 5, "tried five times");
    assert!(
        one(&refused, Severity::Error, "Kubernetes API Error")
            .starts_with("Taking over the fields of Deployment ns/api: Operation cannot be fulfilled"),
        "{}",
        refused.0[0].detail
    );
}

// Ownership: create refuses other owners' objects, delete leaves them.

fn annotated(annotations: Json, managers: &[&str]) -> Json {
    let mut live = live_deployment(1, 1, 2, 2, 2);
    live["metadata"]["uid"] = json!("uid-1");
    live["metadata"]["annotations"] = annotations;
    live["metadata"]["managedFields"] = managers
        .iter()
        .map(|m| json!({"manager": m, "operation": "Update", "apiVersion": "apps/v1"}))
        .collect();
    live
}

#[tokio::test]
async fn create_refuses_an_object_another_tool_or_hub_app_made_unless_adopting() {
    let service = Object {
        key: "Service/api".into(),
        manifest: json!({}),
    };
    let objects = [&deployment(), &service];
    let script = |deployment: Json| {
        let fake = Fake::new();
        fake.on(Method::GET, DEPLOYMENT).always(200, deployment);
        fake.on(Method::GET, SERVICE)
            .always(404, status(404, "NotFound", "gone"));
        fake
    };
    let fake = script(annotated(json!({}), &["kubectl-create", "kube-controller-manager"]));
    let refused = ownership::check_new_objects(&fake.client(), "ns", &objects, "id-1", false)
        .await
        .unwrap_err();
    let detail = one(&refused, Severity::Error, "Object Already Exists");
    assert!(
        detail.contains("(field managers: kubectl-create, kube-controller-manager)"),
        "{}",
        detail
    );
    let adopted = ownership::check_new_objects(&fake.client(), "ns", &objects, "id-1", true)
        .await
        .expect("adopted");
    one(&adopted, Severity::Warning, "Existing Object Adopted");

    let other = json!({INSTANCE_ANNOTATION: "id-0", COMPLETE_ANNOTATION: "true"});
    let fake = script(annotated(other, &["hub"]));
    let refused = ownership::check_new_objects(&fake.client(), "ns", &objects, "id-1", true)
        .await
        .unwrap_err();
    // Adopting does not take another app's.
    one(&refused, Severity::Error, "Object Owned By Another hub_app");

    let interrupted = json!({INSTANCE_ANNOTATION: "id-0"});
    let fake = script(annotated(interrupted, &["hub"]));
    let completed = ownership::check_new_objects(&fake.client(), "ns", &objects, "id-1", false)
        .await
        .expect("completed");
    one(&completed, Severity::Warning, "Interrupted Create Completed");

    let fake = script(annotated(json!({INSTANCE_ANNOTATION: "id-1"}), &["hub"]));
    let mine = ownership::check_new_objects(&fake.client(), "ns", &objects, "id-1", false)
        .await
        .expect("this instance's");
    assert!(mine.is_empty());
}

#[tokio::test]
async fn delete_removes_only_this_instances_object_with_its_uid_as_precondition() {
    let fake = Fake::new();
    fake.on(Method::GET, DEPLOYMENT)
        .once(200, annotated(json!({INSTANCE_ANNOTATION: "id-1"}), &["hub"]));
    fake.on(Method::DELETE, DEPLOYMENT).once(200, status(200, "", ""));
    fake.on(Method::GET, DEPLOYMENT)
        .once(200, annotated(json!({INSTANCE_ANNOTATION: "id-1"}), &["hub"]));
    fake.on(Method::DELETE, DEPLOYMENT).once(
        409,
        status(409, "Conflict", "Precondition failed: UID in precondition: uid-1"),
    );
    fake.on(Method::GET, DEPLOYMENT)
        .once(200, annotated(json!({INSTANCE_ANNOTATION: "id-2"}), &["hub"]));
    fake.on(Method::GET, DEPLOYMENT)
        .once(404, status(404, "NotFound", "gone"));
    let deployments = api(&fake.client(), "ns", "Deployment");
    let delete = || ownership::delete_owned(&deployments, "ns", ("Deployment", "api"), Some("id-1"));

    assert_eq!(delete().await, Ok(Deleted::Yes));
    assert_eq!(
        fake.seen()[1].body["preconditions"]["uid"],
        "uid-1",
        "an object made again meanwhile is not deleted"
    );
    let Ok(Deleted::LeftInPlace(replaced)) = delete().await else {
        panic!("replaced meanwhile")
    };
    assert!(
        one(&replaced, Severity::Warning, "Object Left In Place")
            .ends_with("it was replaced by a new object while hub deleted it.")
    );
    let Ok(Deleted::LeftInPlace(other)) = delete().await else {
        panic!("another app's")
    };
    assert!(
        one(&other, Severity::Warning, "Object Left In Place")
            .contains("carries hub.io/instance = \"id-2\" of another hub_app")
    );
    assert_eq!(delete().await, Ok(Deleted::Yes), "already gone");
    fake.verify();
    assert_eq!(fake.seen().iter().filter(|s| s.method == Method::DELETE).count(), 2);
}

#[tokio::test]
async fn mark_complete_annotates_the_deployment_and_a_gone_one_is_fine() {
    let fake = Fake::new();
    fake.on(Method::PATCH, DEPLOYMENT)
        .query("fieldManager", "hub")
        .once(200, live_deployment(1, 1, 2, 2, 2));
    fake.on(Method::PATCH, DEPLOYMENT)
        .once(404, status(404, "NotFound", "gone"));
    fake.on(Method::PATCH, DEPLOYMENT)
        .once(403, status(403, "Forbidden", "no"));
    let deployments = api(&fake.client(), "ns", "Deployment");
    ownership::mark_complete(&deployments, "api").await.expect("marked");
    assert_eq!(
        fake.seen()[0].body["metadata"]["annotations"][COMPLETE_ANNOTATION],
        "true"
    );
    ownership::mark_complete(&deployments, "api").await.expect("gone");
    let refused = ownership::mark_complete(&deployments, "api").await.unwrap_err();
    assert!(
        one(&refused, Severity::Error, "Kubernetes API Error")
            .starts_with("Marking the Deployment's create complete: no (Forbidden, HTTP 403).")
    );
    fake.verify();
}

// Service ports changed with kubectl edit.

#[tokio::test]
async fn foreign_service_ports_are_deleted_by_key_and_hubs_put_in_one_patch() {
    let desired = json!({"spec": {"ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}});
    let live = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "ns"},
        "spec": {"ports": [{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "x", "port": 80}]}});
    let fake = Fake::new();
    fake.on(Method::GET, SERVICE).once(200, live.clone());
    fake.on(Method::PATCH, SERVICE)
        .query("fieldManager", "hub")
        .once(200, live);
    let services = api(&fake.client(), "ns", "Service");
    assert!(service_ports::replace_foreign(&services, "api", &desired).await);
    fake.verify();
    let patch = &fake.seen()[1];
    assert_eq!(
        patch.content_type.as_deref(),
        Some("application/strategic-merge-patch+json")
    );
    assert_eq!(
        patch.body,
        json!({"spec": {"ports": [{"port": 8080, "$patch": "delete"}, {"name": "http", "port": 80, "protocol": "TCP"}]}})
    );

    let fake = Fake::new();
    fake.on(Method::GET, SERVICE).once(
        200,
        json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "api"}, "spec": {"ports": [{"name": "http", "port": 80}]}}),
    );
    let services = api(&fake.client(), "ns", "Service");
    assert!(
        !service_ports::replace_foreign(&services, "api", &desired).await,
        "nothing foreign: no patch"
    );
    fake.verify();
}

// Replicas handed to the autoscaler.

#[tokio::test]
async fn the_replica_seed_is_a_forced_apply_of_replicas_alone_by_its_own_manager() {
    let fake = Fake::new();
    fake.on(Method::PATCH, DEPLOYMENT)
        .query("fieldManager", "hub-replicas-seed")
        .query("force", "true")
        .once(200, live_deployment(1, 1, 3, 3, 3));
    fake.on(Method::PATCH, DEPLOYMENT)
        .once(404, status(404, "NotFound", "gone"));
    let deployments = api(&fake.client(), "ns", "Deployment");
    replicas::apply(&deployments, "api", 3).await.expect("seeded");
    let err = replicas::apply(&deployments, "api", 3).await.unwrap_err();
    assert!(err.is_not_found(), "absent: the caller seeds after creating it");
    fake.verify();
    assert_eq!(
        fake.seen()[0].content_type.as_deref(),
        Some("application/apply-patch+yaml")
    );
    assert_eq!(
        fake.seen()[0].body,
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}, "spec": {"replicas": 3}})
    );
}

// A renamed Service keeping its node port.

const OLD_SERVICE: &str = "/api/v1/namespaces/ns/services/old";

fn node_port_service(name: &str) -> Object {
    Object {
        key: format!("Service/{name}"),
        manifest: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"type": "NodePort", "ports": [{"name": "http", "port": 80, "nodePort": 30080}]}}),
    }
}

fn live_old_service() -> Json {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "old", "namespace": "ns", "uid": "uid-old", "annotations": {INSTANCE_ANNOTATION: "id-1"}},
        "spec": {"ports": [{"port": 80, "nodePort": 30080}]}})
}

#[tokio::test(start_paused = true)]
async fn the_old_service_is_deleted_and_gone_before_the_renamed_one_takes_its_node_port() {
    let old = node_port_service("old");
    let applied_before = BTreeMap::from([(old.key.clone(), old.manifest.to_string())]);
    let objects = [node_port_service("new")];
    let fake = Fake::new();
    fake.on(Method::GET, OLD_SERVICE).each(vec![
        (200, live_old_service()),
        // Deleting: still there at the first look.
        (200, live_old_service()),
        (404, status(404, "NotFound", "gone")),
    ]);
    fake.on(Method::DELETE, OLD_SERVICE).once(200, live_old_service());
    let ctx = ProviderContext::default();
    let warnings = renames::free_node_ports(&ctx, &fake.client(), "ns", &applied_before, &objects, Some("id-1"))
        .await
        .expect("freed");
    assert!(warnings.is_empty(), "{warnings:#?}");
    fake.verify();

    let fake = Fake::new();
    fake.on(Method::GET, OLD_SERVICE).always(200, live_old_service());
    fake.on(Method::DELETE, OLD_SERVICE).once(200, live_old_service());
    let started = tokio::time::Instant::now();
    let stuck = renames::free_node_ports(&ctx, &fake.client(), "ns", &applied_before, &objects, Some("id-1"))
        .await
        .unwrap_err();
    fake.verify();
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(120),
        "two minutes on the paused clock"
    );
    let detail = one(&stuck, Severity::Error, "Old Service Not Deleted");
    assert!(detail.contains("it was still there when the 2m passed."), "{detail}");
}

#[tokio::test]
async fn an_old_service_another_app_took_is_left_with_a_warning() {
    let old = node_port_service("old");
    let applied_before = BTreeMap::from([(old.key.clone(), old.manifest.to_string())]);
    let mut taken = live_old_service();
    taken["metadata"]["annotations"][INSTANCE_ANNOTATION] = json!("id-2");
    let fake = Fake::new();
    fake.on(Method::GET, OLD_SERVICE).once(200, taken);
    let warnings = renames::free_node_ports(
        &ProviderContext::default(),
        &fake.client(),
        "ns",
        &applied_before,
        &[node_port_service("new")],
        Some("id-1"),
    )
    .await
    .expect("left in place");
    fake.verify();
    let detail = one(&warnings, Severity::Warning, "Object Left In Place");
    assert!(
        detail.contains("carries hub.io/instance = \"id-2\" of another hub_app"),
        "{detail}"
    );
}
