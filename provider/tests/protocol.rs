//! Drives the tfplugin6 service in-process (no transport): the RPC contracts of protocol.md §5 and the
//! invariants of §6, without a cluster or a CLI.

use hub_provider::proto::tfplugin6 as pb;
use hub_provider::proto::tfplugin6::provider_server::Provider;
use hub_provider::server::{ProviderService, service};
use hub_provider::value::{Type, Value, msgpack};
use tonic::Request;

fn namespace_type() -> Type {
    hub_provider::resources::registry().resources["hub_namespace"]
        .ty
        .clone()
}

fn dv(value: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: msgpack::encode(value, ty).expect("encodes"),
        json: Vec::new(),
    })
}

fn decode(dv: &Option<pb::DynamicValue>, ty: &Type) -> Value {
    msgpack::decode(&dv.as_ref().expect("a value").msgpack, ty).expect("decodes")
}

fn ns_config(name: &str) -> Value {
    let Type::Object(attrs) = namespace_type() else {
        panic!("object type")
    };
    let mut v = Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect());
    *v.attr_mut("name").unwrap() = Value::string(name);
    v
}

async fn configure(svc: &ProviderService, config: Value) -> pb::configure_provider::Response {
    let ty = hub_provider::config::schema().implied_type();
    svc.configure_provider(Request::new(pb::configure_provider::Request {
        config: dv(&config, &ty),
        ..Default::default()
    }))
    .await
    .expect("configure answers")
    .into_inner()
}

fn provider_config(host: Value) -> Value {
    Value::object([
        ("host", host),
        ("cluster_ca_certificate", Value::Null),
        ("token", Value::Null),
        ("client_certificate", Value::Null),
        ("client_key", Value::Null),
        ("insecure", Value::Null),
        ("config_path", Value::Null),
        ("config_context", Value::Null),
        ("cluster_name", Value::Null),
        ("region", Value::Null),
        ("aws", Value::Null),
    ])
}

#[tokio::test]
async fn schema_lists_every_type_with_capabilities() {
    let resp = service()
        .get_provider_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .unwrap()
        .into_inner();
    let mut resources: Vec<_> = resp.resource_schemas.keys().cloned().collect();
    resources.sort();
    assert_eq!(
        resources,
        ["hub_app", "hub_irsa_binding", "hub_namespace", "hub_network_policy"]
    );
    assert!(resp.data_source_schemas.contains_key("hub_cluster"));
    assert!(resp.provider.is_some());
    let caps = resp.server_capabilities.unwrap();
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);
    // The token is sensitive in the schema, so Terraform redacts it in plans and logs.
    let token = resp
        .provider
        .unwrap()
        .block
        .unwrap()
        .attributes
        .into_iter()
        .find(|a| a.name == "token")
        .unwrap();
    assert!(token.sensitive);
}

#[tokio::test]
async fn invalid_name_is_refused_at_validate_with_its_path() {
    let resp = service()
        .validate_resource_config(Request::new(pb::validate_resource_config::Request {
            type_name: "hub_namespace".into(),
            config: dv(&ns_config("Bad_Name"), &namespace_type()),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.diagnostics.len(), 1, "{:?}", resp.diagnostics);
    let d = &resp.diagnostics[0];
    assert_eq!(d.severity, pb::diagnostic::Severity::Error as i32);
    assert!(d.detail.contains("Bad_Name"), "{}", d.detail);
    let step = &d.attribute.as_ref().unwrap().steps[0];
    assert_eq!(
        step.selector,
        Some(pb::attribute_path::step::Selector::AttributeName("name".into()))
    );
}

#[tokio::test]
async fn unknown_values_are_never_an_error_at_validate() {
    let mut config = ns_config("x");
    *config.attr_mut("name").unwrap() = Value::unknown();
    let resp = service()
        .validate_resource_config(Request::new(pb::validate_resource_config::Request {
            type_name: "hub_namespace".into(),
            config: dv(&config, &namespace_type()),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
}

#[tokio::test]
async fn create_plan_marks_computed_unknown_and_applies_defaults_without_a_cluster() {
    let svc = service();
    let configured = configure(&svc, provider_config(Value::unknown())).await;
    assert!(
        configured.diagnostics.is_empty(),
        "unknown provider config must not fail: {:?}",
        configured.diagnostics
    );
    let ty = namespace_type();
    let config = ns_config("team-a");
    let resp = svc
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: "hub_namespace".into(),
            prior_state: None,
            proposed_new_state: dv(&config, &ty),
            config: dv(&config, &ty),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let planned = decode(&resp.planned_state, &ty);
    assert_eq!(planned.attr("uid"), Some(&Value::unknown()));
    assert_eq!(planned.attr("id"), Some(&Value::unknown()));
    assert_eq!(planned.attr("delete_timeout"), Some(&Value::string("5m")));
    assert!(resp.requires_replace.is_empty());
}

#[tokio::test]
async fn destroy_plan_is_null_and_echoes_private() {
    let ty = namespace_type();
    let resp = service()
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: "hub_namespace".into(),
            prior_state: dv(&ns_config("a"), &ty),
            proposed_new_state: dv(&Value::Null, &ty),
            config: dv(&Value::Null, &ty),
            prior_private: b"{\"k\":1}".to_vec(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty());
    assert_eq!(decode(&resp.planned_state, &ty), Value::Null);
    assert_eq!(resp.planned_private, b"{\"k\":1}");
}

#[tokio::test]
async fn refresh_with_unknown_provider_config_keeps_prior_state_and_private_with_a_warning() {
    let svc = service();
    configure(&svc, provider_config(Value::unknown())).await;
    let ty = namespace_type();
    let state = dv(&ns_config("a"), &ty);
    let resp = svc
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "hub_namespace".into(),
            current_state: state.clone(),
            private: b"p".to_vec(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.new_state, state);
    assert_eq!(resp.private, b"p");
    assert_eq!(resp.diagnostics.len(), 1);
    assert_eq!(resp.diagnostics[0].severity, pb::diagnostic::Severity::Warning as i32);
}

#[tokio::test]
async fn upgrade_drops_removed_attributes_and_fills_new_ones() {
    let ty = namespace_type();
    let resp = service()
        .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
            type_name: "hub_namespace".into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: br#"{"name":"a","id":"a","uid":"u","gone_attribute":true}"#.to_vec(),
                flatmap: Default::default(),
            }),
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let v = decode(&resp.upgraded_state, &ty);
    assert_eq!(v.attr("uid"), Some(&Value::string("u")));
    assert_eq!(v.attr("labels"), Some(&Value::Null));
}

#[tokio::test]
async fn import_of_an_invalid_id_is_a_diagnostic_not_a_panic() {
    let resp = service()
        .import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: "hub_namespace".into(),
            id: "Not A Name".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(resp.imported_resources.is_empty());
    assert_eq!(resp.diagnostics[0].summary, "Invalid Import ID");
}

#[tokio::test]
async fn garbage_msgpack_is_a_diagnostic() {
    let resp = service()
        .validate_resource_config(Request::new(pb::validate_resource_config::Request {
            type_name: "hub_namespace".into(),
            config: Some(pb::DynamicValue {
                msgpack: vec![0xc1, 0xff, 0x00],
                json: Vec::new(),
            }),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.diagnostics.len(), 1);
    assert_eq!(resp.diagnostics[0].severity, pb::diagnostic::Severity::Error as i32);
}

async fn plan_create(svc: &ProviderService, type_name: &str, config: &Value, ty: &Type) -> Vec<pb::Diagnostic> {
    svc.plan_resource_change(Request::new(pb::plan_resource_change::Request {
        type_name: type_name.into(),
        prior_state: None,
        proposed_new_state: dv(config, ty),
        config: dv(config, ty),
        ..Default::default()
    }))
    .await
    .unwrap()
    .into_inner()
    .diagnostics
}

/// `provider "hub" {}`: known and naming no cluster. A create of a resource in the cluster fails at plan
/// with the message apply would give; hub_irsa_binding needs only AWS and is not refused for it.
#[tokio::test]
async fn a_known_provider_block_without_a_cluster_fails_the_plan() {
    let svc = service();
    let configured = configure(&svc, provider_config(Value::Null)).await;
    assert!(configured.diagnostics.is_empty(), "{:?}", configured.diagnostics);
    let diags = plan_create(&svc, "hub_namespace", &ns_config("team-a"), &namespace_type()).await;
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].severity, pb::diagnostic::Severity::Error as i32);
    assert_eq!(diags[0].summary, "Provider Not Configured");
    let irsa_ty = hub_provider::resources::registry().resources["hub_irsa_binding"]
        .ty
        .clone();
    let Type::Object(attrs) = &irsa_ty else {
        panic!("object type")
    };
    let mut irsa = Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect());
    for (k, v) in [
        (
            "oidc_provider_arn",
            "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
        ),
        ("namespace", "team-a"),
        ("service_account", "api"),
    ] {
        *irsa.attr_mut(k).unwrap() = Value::string(v);
    }
    let diags = plan_create(&svc, "hub_irsa_binding", &irsa, &irsa_ty).await;
    assert!(
        diags.iter().all(|d| d.summary != "Provider Not Configured"),
        "{diags:?}"
    );
}

/// A provider block naming a cluster that does not answer fails the plan once, with the reason; the answer
/// is remembered, so a second plan in the same process does not ask again (and gives the same error).
#[tokio::test]
async fn an_unreachable_cluster_fails_the_plan() {
    let svc = service();
    // Port 9 (discard) refuses connections on the loopback interface.
    let configured = configure(&svc, provider_config(Value::string("https://127.0.0.1:9"))).await;
    assert!(configured.diagnostics.is_empty(), "{:?}", configured.diagnostics);
    for _ in 0..2 {
        let diags = plan_create(&svc, "hub_namespace", &ns_config("team-a"), &namespace_type()).await;
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].summary, "Cluster Not Reachable");
        assert!(diags[0].detail.contains("GET /version"), "{}", diags[0].detail);
    }
}
