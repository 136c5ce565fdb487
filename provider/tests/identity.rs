//! Resource identity through the tfplugin6 service in-process: the identity schemas, import by identity
//! (and its refusals, as diagnostics, never a panic), identities in plan, refresh and upgrade.

use hub_provider::proto::tfplugin6 as pb;
use hub_provider::proto::tfplugin6::provider_server::Provider;
use hub_provider::server::service;
use hub_provider::value::{Type, Value, msgpack};
use tonic::Request;

fn string_object(names: &[&str]) -> Type {
    Type::Object(names.iter().map(|n| ((*n).to_owned(), Type::String)).collect())
}

fn identity(ty: &Type, value: &Value) -> Option<pb::ResourceIdentityData> {
    Some(pb::ResourceIdentityData {
        identity_data: Some(pb::DynamicValue {
            msgpack: msgpack::encode(value, ty).expect("encodes"),
            json: Vec::new(),
        }),
    })
}

fn decode_identity(data: &Option<pb::ResourceIdentityData>, ty: &Type) -> Value {
    let dv = data
        .as_ref()
        .and_then(|d| d.identity_data.as_ref())
        .expect("an identity");
    msgpack::decode(&dv.msgpack, ty).expect("decodes")
}

async fn import_by_identity(
    type_name: &str,
    data: Option<pb::ResourceIdentityData>,
) -> pb::import_resource_state::Response {
    service()
        .import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: type_name.into(),
            identity: data,
            ..Default::default()
        }))
        .await
        .expect("import answers")
        .into_inner()
}

#[tokio::test]
async fn every_resource_type_has_an_identity_schema_with_required_string_attributes() {
    let resp = service()
        .get_resource_identity_schemas(Request::new(pb::get_resource_identity_schemas::Request {}))
        .await
        .unwrap()
        .into_inner();
    let names = |t: &str| -> Vec<String> {
        resp.identity_schemas[t]
            .identity_attributes
            .iter()
            .inspect(|a| {
                assert!(a.required_for_import && !a.optional_for_import, "{t}.{}", a.name);
                assert_eq!(a.r#type, br#""string""#, "{t}.{}", a.name);
                assert!(!a.description.is_empty(), "{t}.{}", a.name);
            })
            .map(|a| a.name.clone())
            .collect()
    };
    assert_eq!(names("hub_app"), ["namespace", "name"]);
    assert_eq!(names("hub_network_policy"), ["namespace", "name"]);
    assert_eq!(names("hub_namespace"), ["name"]);
    assert_eq!(names("hub_irsa_binding"), ["role_name"]);
    assert_eq!(
        resp.identity_schemas.len(),
        4,
        "one per resource type; hub_cluster is a data source"
    );
}

#[tokio::test]
async fn import_by_identity_gives_the_same_skeleton_as_the_id_and_echoes_the_identity() {
    let ty = string_object(&["namespace", "name"]);
    let given = Value::object([("namespace", Value::string("shop")), ("name", Value::string("api"))]);
    let resp = import_by_identity("hub_app", identity(&ty, &given)).await;
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let imported = &resp.imported_resources[0];
    assert_eq!(decode_identity(&imported.identity, &ty), given);
    let state_ty = hub_provider::resources::registry().resources["hub_app"].ty.clone();
    let state = msgpack::decode(&imported.state.as_ref().unwrap().msgpack, &state_ty).unwrap();
    assert_eq!(state.attr("id"), Some(&Value::string("shop/api")));

    let by_id = service()
        .import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: "hub_app".into(),
            id: "shop/api".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(by_id.imported_resources[0].state, imported.state);
    assert_eq!(by_id.imported_resources[0].identity, imported.identity);
}

#[tokio::test]
async fn an_identity_missing_a_required_attribute_names_it() {
    let ty = string_object(&["namespace", "name"]);
    let given = Value::object([("namespace", Value::string("shop")), ("name", Value::Null)]);
    let resp = import_by_identity("hub_network_policy", identity(&ty, &given)).await;
    assert!(resp.imported_resources.is_empty());
    assert_eq!(resp.diagnostics.len(), 1, "{:?}", resp.diagnostics);
    let d = &resp.diagnostics[0];
    assert_eq!(d.summary, "Missing Import Identity Attribute");
    assert!(d.detail.contains("name"), "{}", d.detail);
}

#[tokio::test]
async fn an_invalid_identity_value_is_refused_in_identity_terms() {
    let ty = string_object(&["name"]);
    let given = Value::object([("name", Value::string("Not_A_Name"))]);
    let resp = import_by_identity("hub_namespace", identity(&ty, &given)).await;
    assert!(resp.imported_resources.is_empty());
    assert_eq!(resp.diagnostics[0].summary, "Invalid Import Identity");
    assert!(resp.diagnostics[0].detail.contains("Not_A_Name"));
}

#[tokio::test]
async fn an_identity_of_the_wrong_type_is_a_diagnostic_not_a_panic() {
    let wrong = Type::Object([("role_name".to_owned(), Type::List(Box::new(Type::String)))].into());
    let given = Value::object([("role_name", Value::List(vec![Value::string("a")]))]);
    let resp = import_by_identity("hub_irsa_binding", identity(&wrong, &given)).await;
    assert!(resp.imported_resources.is_empty());
    assert_eq!(resp.diagnostics[0].severity, pb::diagnostic::Severity::Error as i32);
    let garbage = Some(pb::ResourceIdentityData {
        identity_data: Some(pb::DynamicValue {
            msgpack: vec![0xc1],
            json: Vec::new(),
        }),
    });
    let resp = import_by_identity("hub_irsa_binding", garbage).await;
    assert_eq!(resp.diagnostics[0].severity, pb::diagnostic::Severity::Error as i32);
}

#[tokio::test]
async fn a_stored_identity_upgrades_from_json_and_a_newer_version_is_refused() {
    let upgrade = |version| async move {
        service()
            .upgrade_resource_identity(Request::new(pb::upgrade_resource_identity::Request {
                type_name: "hub_namespace".into(),
                version,
                raw_identity: Some(pb::RawState {
                    json: br#"{"name":"team-a"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
            }))
            .await
            .unwrap()
            .into_inner()
    };
    let ok = upgrade(0).await;
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
    let ty = string_object(&["name"]);
    assert_eq!(
        decode_identity(&ok.upgraded_identity, &ty),
        Value::object([("name", Value::string("team-a"))])
    );
    assert_eq!(
        upgrade(1).await.diagnostics[0].summary,
        "Identity From A Newer Provider"
    );
}
