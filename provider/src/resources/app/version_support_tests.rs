//! The minimum-version refusals against the scripted API server: sidecars (1.29) and the preStop sleep
//! action (1.30).

use http::Method;
use serde_json::json;

use super::model::AppModel;
use super::tests::{app_with, planned};
use super::version_support;
use crate::diag::Severity;
use crate::k8s::Cluster;
use crate::k8s::fake::Fake;

fn version(fake: &Fake, minor: &str) {
    fake.on(Method::GET, "/version").always(
        200,
        json!({"major": "1", "minor": minor, "gitVersion": format!("v1.{}.3-eks-1", minor.trim_end_matches('+'))}),
    );
}

fn sidecars() -> AppModel {
    planned(app_with(json!({"init_containers": [
        {"name": "wait", "image": "x:1"},
        {"name": "logs", "image": "x:1", "sidecar": true},
    ]})))
}

#[tokio::test]
async fn a_sidecar_on_a_cluster_older_than_its_version_is_refused_naming_it() {
    let fake = Fake::new();
    version(&fake, "28+");
    let cluster = Cluster::new(fake.client());
    let diags = version_support::check(&cluster, &sidecars()).await;
    fake.verify();
    let [d] = &diags.0[..] else {
        panic!("one refusal, got {diags:#?}")
    };
    assert_eq!(
        (d.severity, d.summary.as_str()),
        (Severity::Error, "Sidecars Need Kubernetes 1.29")
    );
    assert_eq!(
        d.path.as_ref().map(ToString::to_string).as_deref(),
        Some("init_containers[1].sidecar")
    );
    assert!(d.detail.contains("v1.28.3-eks-1"), "{}", d.detail);
    // Asked once per connection.
    let again = version_support::check(&cluster, &sidecars()).await;
    assert!(again.has_errors());
    assert_eq!(fake.seen().len(), 1);
}

#[tokio::test]
async fn a_sidecar_on_a_recent_cluster_passes_and_no_sidecar_asks_nothing() {
    let fake = Fake::new();
    version(&fake, "29");
    let cluster = Cluster::new(fake.client());
    assert!(version_support::check(&cluster, &sidecars()).await.is_empty());
    let plain = planned(app_with(json!({"init_containers": [{"name": "wait", "image": "x:1"}]})));
    let quiet = Fake::new();
    assert!(
        version_support::check(&Cluster::new(quiet.client()), &plain)
            .await
            .is_empty()
    );
    assert!(quiet.seen().is_empty(), "no sidecar: the cluster is not asked");
    fake.verify();
}

#[tokio::test]
async fn an_unreadable_version_refuses_a_sidecar() {
    let fake = Fake::new();
    fake.on(Method::GET, "/version")
        .always(403, json!({"kind": "Status", "code": 403, "message": "forbidden"}));
    let diags = version_support::check(&Cluster::new(fake.client()), &sidecars()).await;
    assert!(
        diags.iter().any(|d| d.summary == "Kubernetes Version Unknown"),
        "{diags:#?}"
    );
}

fn graceful(pre_stop: Option<&str>) -> AppModel {
    let mut shutdown = json!({});
    if let Some(hook) = pre_stop {
        shutdown["pre_stop"] = json!(hook);
    }
    planned(app_with(
        json!({"ingress": {"hosts": ["api.example.com"], "graceful_shutdown": shutdown}}),
    ))
}

/// The kubelet's sleep action (the default preStop of an app behind the ALB) needs 1.30; `exec` runs anywhere.
#[tokio::test]
async fn the_sleep_pre_stop_on_a_cluster_older_than_1_30_is_refused_and_exec_passes() {
    let fake = Fake::new();
    version(&fake, "29");
    let cluster = Cluster::new(fake.client());
    let diags = version_support::check(&cluster, &graceful(None)).await;
    let [d] = &diags.0[..] else {
        panic!("one refusal, got {diags:#?}")
    };
    assert_eq!(d.summary, "preStop Sleep Needs Kubernetes 1.30");
    assert_eq!(
        d.path.as_ref().map(ToString::to_string).as_deref(),
        Some("ingress.graceful_shutdown.pre_stop")
    );
    assert!(d.detail.contains("pre_stop = \"exec\""), "{}", d.detail);
    assert!(
        version_support::check(&cluster, &graceful(Some("exec")))
            .await
            .is_empty()
    );
    let recent = Fake::new();
    version(&recent, "30");
    assert!(
        version_support::check(&Cluster::new(recent.client()), &graceful(None))
            .await
            .is_empty()
    );
}
