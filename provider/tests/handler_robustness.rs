//! The request handlers against malformed input, in-process: arbitrary and mutated msgpack (and JSON raw
//! state) for every resource and data source, through every RPC that decodes a value. A handler must never
//! panic, and input that does not decode must come back as an error diagnostic, not a crash or a success.
//! (The value decoders themselves are fuzzed with cargo-fuzz in provider/fuzz.)

use hub_provider::proto::tfplugin6 as pb;
use hub_provider::proto::tfplugin6::provider_server::Provider;
use hub_provider::server::service;
use hub_provider::value::{Type, Value, msgpack};
use proptest::prelude::*;
use tonic::Request;

fn types() -> Vec<(String, Type, bool)> {
    let registry = hub_provider::resources::registry();
    let mut out: Vec<(String, Type, bool)> = registry
        .resources
        .iter()
        .map(|(name, r)| (name.to_string(), r.ty.clone(), true))
        .collect();
    out.extend(
        registry
            .data_sources
            .iter()
            .map(|(name, d)| (name.to_string(), d.ty.clone(), false)),
    );
    out
}

/// A valid encoding of an all-null object of `ty`, to mutate into near-valid input.
fn valid(ty: &Type) -> Vec<u8> {
    let Type::Object(attrs) = ty else { return Vec::new() };
    let value = Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect());
    msgpack::encode(&value, ty).unwrap_or_default()
}

fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8)]) -> Vec<u8> {
    for (at, byte) in edits {
        if bytes.is_empty() {
            bytes.push(*byte);
        } else {
            let i = at % bytes.len();
            bytes[i] = *byte;
        }
    }
    bytes
}

fn dv(bytes: &[u8]) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: bytes.to_vec(),
        json: Vec::new(),
    })
}

fn has_error(diags: &[pb::Diagnostic]) -> bool {
    diags
        .iter()
        .any(|d| d.severity == pb::diagnostic::Severity::Error as i32)
}

/// Runs every value-decoding RPC on `bytes` for `name`; returns whether each answered with an error when
/// the bytes do not decode.
async fn exercise(name: &str, ty: &Type, resource: bool, bytes: &[u8]) -> Result<(), String> {
    let svc = service();
    // Empty bytes are the protocol's "no value" (e.g. no prior state on create), not malformed input.
    let undecodable = !bytes.is_empty() && msgpack::decode(bytes, ty).is_err();
    let must_fail = |rpc: &str, diags: &[pb::Diagnostic]| {
        if undecodable && !has_error(diags) {
            Err(format!("{rpc} of {name} accepted undecodable input {bytes:02x?}"))
        } else {
            Ok(())
        }
    };
    let rpc_err = |rpc: &str, e: tonic::Status| format!("{rpc} of {name} failed at the transport level: {e}");
    if !resource {
        let r = svc
            .read_data_source(Request::new(pb::read_data_source::Request {
                type_name: name.into(),
                config: dv(bytes),
                ..Default::default()
            }))
            .await
            .map_err(|e| rpc_err("ReadDataSource", e))?
            .into_inner();
        return must_fail("ReadDataSource", &r.diagnostics);
    }
    let r = svc
        .validate_resource_config(Request::new(pb::validate_resource_config::Request {
            type_name: name.into(),
            config: dv(bytes),
            ..Default::default()
        }))
        .await
        .map_err(|e| rpc_err("ValidateResourceConfig", e))?
        .into_inner();
    must_fail("ValidateResourceConfig", &r.diagnostics)?;
    let r = svc
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: name.into(),
            prior_state: dv(bytes),
            proposed_new_state: dv(bytes),
            config: dv(bytes),
            ..Default::default()
        }))
        .await
        .map_err(|e| rpc_err("PlanResourceChange", e))?
        .into_inner();
    must_fail("PlanResourceChange", &r.diagnostics)?;
    let r = svc
        .apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: name.into(),
            prior_state: dv(bytes),
            planned_state: dv(bytes),
            config: dv(bytes),
            ..Default::default()
        }))
        .await
        .map_err(|e| rpc_err("ApplyResourceChange", e))?
        .into_inner();
    // Unconfigured: even a decodable apply must fail (and reach no API). Empty prior and planned state
    // (null to null) is a no-op.
    if !bytes.is_empty() && !has_error(&r.diagnostics) {
        return Err(format!(
            "ApplyResourceChange of {name} succeeded unconfigured on {bytes:02x?}"
        ));
    }
    let r = svc
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: name.into(),
            current_state: dv(bytes),
            ..Default::default()
        }))
        .await
        .map_err(|e| rpc_err("ReadResource", e))?
        .into_inner();
    must_fail("ReadResource", &r.diagnostics)?;
    let r = svc
        .upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
            type_name: name.into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: bytes.to_vec(),
                ..Default::default()
            }),
        }))
        .await
        .map_err(|e| rpc_err("UpgradeResourceState", e))?
        .into_inner();
    if !bytes.is_empty() && serde_json::from_slice::<serde_json::Value>(bytes).is_err() && !has_error(&r.diagnostics) {
        return Err(format!(
            "UpgradeResourceState of {name} accepted non-JSON raw state {bytes:02x?}"
        ));
    }
    for source_type in ["kubernetes_deployment_v1", "kubernetes_manifest"] {
        let r = svc
            .move_resource_state(Request::new(pb::move_resource_state::Request {
                source_provider_address: "registry.terraform.io/hashicorp/kubernetes".into(),
                source_type_name: source_type.into(),
                source_schema_version: 1,
                source_state: Some(pb::RawState {
                    json: bytes.to_vec(),
                    ..Default::default()
                }),
                target_type_name: name.into(),
                ..Default::default()
            }))
            .await
            .map_err(|e| rpc_err("MoveResourceState", e))?
            .into_inner();
        if serde_json::from_slice::<serde_json::Value>(bytes).is_err() && !has_error(&r.diagnostics) {
            return Err(format!(
                "MoveResourceState to {name} accepted non-JSON source state {bytes:02x?}"
            ));
        }
    }
    let id = String::from_utf8_lossy(bytes).into_owned();
    svc.import_resource_state(Request::new(pb::import_resource_state::Request {
        type_name: name.into(),
        id,
        ..Default::default()
    }))
    .await
    .map_err(|e| rpc_err("ImportResourceState", e))?;
    Ok(())
}

/// Source states of the right type with every block in an unexpected shape: refused or moved, never a
/// crash, and a state only without errors.
#[test]
fn odd_kubernetes_deployment_states_never_crash_a_move() {
    let states = [
        serde_json::json!({}),
        serde_json::json!({"metadata": "api", "spec": 3}),
        serde_json::json!({"metadata": [{}], "spec": [{}]}),
        serde_json::json!({"metadata": [{"name": 7, "namespace": ["x"]}], "spec": [{"template": "t"}]}),
        serde_json::json!({"metadata": [{"name": "api"}], "spec": [{"template": [{"spec": [{"container": [{"port": [[]], "env": [{"value_from": [{}]}]}], "volume": [{}]}]}]}]}),
        serde_json::json!({"metadata": [{"name": "api", "namespace": "n"}], "spec": [{"replicas": "x", "selector": [], "strategy": [{"rolling_update": [{"max_surge": 5}]}]}]}),
        serde_json::json!({"manifest": {"value": [], "type": "x"}, "object": null}),
        serde_json::json!({"manifest": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}, "spec": {"template": {"spec": {"containers": "c"}}}}}),
    ];
    runtime().block_on(async {
        let svc = service();
        for (i, state) in states.iter().enumerate() {
            for source_type in ["kubernetes_deployment", "kubernetes_manifest"] {
                let r = svc
                    .move_resource_state(Request::new(pb::move_resource_state::Request {
                        source_provider_address: "registry.opentofu.org/hashicorp/kubernetes".into(),
                        source_type_name: source_type.into(),
                        source_state: Some(pb::RawState {
                            json: serde_json::to_vec(state).unwrap(),
                            ..Default::default()
                        }),
                        target_type_name: "hub_app".into(),
                        ..Default::default()
                    }))
                    .await
                    .expect("an answer, not a transport error")
                    .into_inner();
                assert!(
                    r.target_state.is_some() != has_error(&r.diagnostics),
                    "state {i} from {source_type}: a state exactly when there is no error: {:?}",
                    r.diagnostics
                );
            }
        }
    });
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Found by the `handlers` fuzz target (provider/fuzz-handlers): a destroy plan (null proposed state) did
/// not decode its prior state, so a malformed one was accepted without an error.
#[test]
fn a_destroy_plan_with_undecodable_prior_state_is_an_error() {
    let rt = runtime();
    for (name, ty, resource) in types() {
        if !resource {
            continue;
        }
        // The fuzzer's input: a valid all-null object whose map header byte became 0x00.
        let prior = mutate(valid(&ty), &[(0, 0x00)]);
        assert!(msgpack::decode(&prior, &ty).is_err());
        let r = rt
            .block_on(
                service().plan_resource_change(Request::new(pb::plan_resource_change::Request {
                    type_name: name.clone(),
                    prior_state: dv(&prior),
                    proposed_new_state: None,
                    config: None,
                    ..Default::default()
                })),
            )
            .expect("a response")
            .into_inner();
        assert!(
            has_error(&r.diagnostics),
            "the destroy plan of {name} accepted {prior:02x?}"
        );
        assert_eq!(r.planned_state, None, "{name}");
    }
}

/// Found by the `handlers` fuzz target: a `token` with a line break (as `file()` reads one) made kube panic
/// while ConfigureProvider built the client.
#[test]
fn configure_with_a_token_holding_a_line_break_is_an_error() {
    let registry = hub_provider::resources::registry();
    let Some(Type::Object(attrs)) = registry.provider.as_ref().map(|p| &p.ty) else {
        panic!("the provider block is an object");
    };
    let config = Value::Object(
        attrs
            .keys()
            .map(|k| {
                let v = match k.as_str() {
                    "host" => Value::string("https://127.0.0.1:6443"),
                    "token" => Value::string("abc\n"),
                    _ => Value::Null,
                };
                (k.clone(), v)
            })
            .collect(),
    );
    let ty = Type::Object(attrs.clone());
    let bytes = msgpack::encode(&config, &ty).expect("encodes");
    let r = runtime()
        .block_on(
            service().configure_provider(Request::new(pb::configure_provider::Request {
                config: dv(&bytes),
                ..Default::default()
            })),
        )
        .expect("a response")
        .into_inner();
    assert!(has_error(&r.diagnostics), "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!(d.summary, "Invalid Token");
    assert!(!d.detail.contains("abc"), "the token must not be quoted: {}", d.detail);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_crash_a_handler(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
        let rt = runtime();
        for (name, ty, resource) in types() {
            if let Err(e) = rt.block_on(exercise(&name, &ty, resource, &bytes)) {
                prop_assert!(false, "{}", e);
            }
        }
    }

    #[test]
    fn mutated_valid_values_never_crash_a_handler(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
        let rt = runtime();
        for (name, ty, resource) in types() {
            let bytes = mutate(valid(&ty), &edits);
            if let Err(e) = rt.block_on(exercise(&name, &ty, resource, &bytes)) {
                prop_assert!(false, "{}", e);
            }
        }
    }
}
