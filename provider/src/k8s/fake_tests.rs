//! The Kubernetes apply path and error mapping against the scripted API server ([`super::fake`]).

use http::Method;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use serde_json::json;

use super::fake::{Fake, field_conflict, status};
use super::{Apply, Error};

const CM: &str = "/api/v1/namespaces/ns/configmaps/cm";

fn config_map() -> ConfigMap {
    serde_json::from_value(json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "cm", "namespace": "ns"}, "data": {"k": "v"}}))
    .expect("config map")
}

fn live() -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "cm", "namespace": "ns", "resourceVersion": "7"}, "data": {"k": "v"}})
}

#[tokio::test]
async fn apply_is_a_forced_server_side_apply_as_hub() {
    let fake = Fake::new();
    fake.on(Method::PATCH, CM)
        .query("fieldManager", "hub")
        .query("force", "true")
        .once(200, live());
    let api: Api<ConfigMap> = Api::namespaced(fake.client(), "ns");
    let got = super::apply(&api, "cm", &config_map(), "ConfigMap ns/cm")
        .await
        .expect("applied");
    assert_eq!(got.metadata.resource_version.as_deref(), Some("7"));
    fake.verify();
    let seen = &fake.seen()[0];
    assert_eq!(seen.content_type.as_deref(), Some("application/apply-patch+yaml"));
    assert_eq!(seen.param("dryRun"), None, "a real apply is written");
    assert_eq!(seen.body["data"], json!({"k": "v"}));
    assert_eq!(seen.body["metadata"]["name"], "cm");
}

#[tokio::test]
async fn apply_dry_run_as_another_manager_is_not_forced() {
    let fake = Fake::new();
    fake.on(Method::PATCH, CM)
        .query("fieldManager", "kubectl-edit")
        .query("dryRun", "All")
        .once(200, live());
    let api: Api<ConfigMap> = Api::namespaced(fake.client(), "ns");
    Apply::manager("kubectl-edit")
        .dry_run()
        .send(&api, "cm", &config_map())
        .await
        .expect("dry-run");
    fake.verify();
    assert_ne!(fake.seen()[0].param("force"), Some("true"));
}

/// An HTTP status, the `reason` the server gives with it, and the test of the kind it must become.
type Case = (u16, &'static str, fn(&Error) -> bool);

#[tokio::test]
async fn every_refusal_becomes_its_kind_with_the_servers_status() {
    let cases: [Case; 8] = [
        (401, "Unauthorized", |e| matches!(e, Error::Forbidden(_))),
        (403, "Forbidden", |e| matches!(e, Error::Forbidden(_))),
        (404, "NotFound", Error::is_not_found),
        (409, "Conflict", |e| matches!(e, Error::Conflict(_))),
        (422, "Invalid", |e| matches!(e, Error::Invalid(_))),
        (429, "TooManyRequests", |e| matches!(e, Error::Throttled(_))),
        (500, "InternalError", |e| matches!(e, Error::Other(_))),
        (503, "ServiceUnavailable", |e| matches!(e, Error::Other(_))),
    ];
    for (code, reason, is_kind) in cases {
        let fake = Fake::new();
        fake.on(Method::PATCH, CM)
            .once(code, status(code, reason, &format!("refused with {code}")));
        let api: Api<ConfigMap> = Api::namespaced(fake.client(), "ns");
        let err = Apply::hub().send(&api, "cm", &config_map()).await.unwrap_err();
        assert!(is_kind(&err), "HTTP {code} became {err:?}");
        let s = err.status().expect("the server's status");
        assert_eq!((s.code, s.reason.as_str()), (code, reason));
        assert_eq!(err.to_string(), format!("refused with {code} ({reason}, HTTP {code})"));
        fake.verify();
    }
}

#[tokio::test]
async fn an_answer_that_is_not_a_status_keeps_its_code() {
    let fake = Fake::new();
    // A proxy in front of the API server answering 403 with a body that is no Kubernetes Status.
    fake.on(Method::GET, CM).once(403, json!("<html>denied</html>"));
    let api: Api<ConfigMap> = Api::namespaced(fake.client(), "ns");
    let err: Error = api.get("cm").await.unwrap_err().into();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
}

#[tokio::test]
async fn diagnostics_say_what_to_do() {
    let fake = Fake::new();
    fake.on(Method::PATCH, CM)
        .once(409, field_conflict("kubectl-edit", &[".data.k"]));
    fake.on(Method::PATCH, CM).once(
        403,
        status(
            403,
            "Forbidden",
            "configmaps \"cm\" is forbidden: exceeded quota: q, requested: count/configmaps=1",
        ),
    );
    fake.on(Method::PATCH, CM)
        .once(429, status(429, "TooManyRequests", "slow down"));
    let api: Api<ConfigMap> = Api::namespaced(fake.client(), "ns");
    let mut details = Vec::new();
    for _ in 0..3 {
        let diags = super::apply(&api, "cm", &config_map(), "ConfigMap ns/cm")
            .await
            .unwrap_err();
        assert_eq!(diags.0[0].summary, "Kubernetes API Error");
        details.push(diags.0[0].detail.clone());
    }
    fake.verify();
    assert!(
        details[0]
            .starts_with("Applying ConfigMap ns/cm: Apply failed with 1 conflict: conflict with \"kubectl-edit\"")
    );
    assert!(
        details[0].ends_with("Another field manager holds fields hub sets (named in the message)."),
        "{}",
        details[0]
    );
    assert!(details[1].contains("hub_namespace.resource_quota"), "{}", details[1]);
    assert!(
        details[2].ends_with("(TooManyRequests, HTTP 429). The API server is throttling requests; retry later."),
        "{}",
        details[2]
    );
}

#[tokio::test]
async fn reads_and_deletes_treat_absent_as_a_value() {
    let fake = Fake::new();
    fake.on(Method::GET, CM)
        .once(404, status(404, "NotFound", "configmaps \"cm\" not found"));
    fake.on(Method::DELETE, CM)
        .once(404, status(404, "NotFound", "configmaps \"cm\" not found"));
    fake.on(Method::DELETE, CM).once(403, status(403, "Forbidden", "no"));
    let api: Api<ConfigMap> = Api::namespaced(fake.client(), "ns");
    assert!(super::get(&api, "cm", "ConfigMap ns/cm").await.expect("read").is_none());
    super::delete(&api, "cm", "ConfigMap ns/cm")
        .await
        .expect("already gone is deleted");
    let diags = super::delete(&api, "cm", "ConfigMap ns/cm").await.unwrap_err();
    assert!(
        diags.0[0]
            .detail
            .starts_with("Deleting ConfigMap ns/cm: no (Forbidden, HTTP 403). The identity hub uses")
    );
    fake.verify();
}

#[tokio::test]
async fn the_fake_reports_requests_it_was_not_told_about() {
    let fake = Fake::new();
    fake.on(Method::GET, CM).once(200, live());
    let api: Api<ConfigMap> = Api::namespaced(fake.client(), "ns");
    let err: Error = api.get("other").await.unwrap_err().into();
    assert!(matches!(err, Error::Other(_)));
    let unmatched = std::panic::catch_unwind(|| fake.verify());
    assert!(
        unmatched.is_err(),
        "an unscripted request and an unused rule fail verify"
    );
}
