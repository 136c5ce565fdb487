//! Rendering and validation tests, with seed 003's policy as the reference.

use serde_json::json;

use super::model::{CidrPorts, Policy};
use super::render::{network_policy, rendered};
use crate::diag::Diagnostics;
use crate::value::{Type, Value, json as vjson};

fn seed_003() -> Policy {
    Policy {
        name: "api".into(),
        namespace: "prod".into(),
        pod_selector: [("app".to_string(), "api".to_string())].into(),
        allow_dns: true,
        https_egress: Some((vec!["0.0.0.0/0".into()], vec!["169.254.169.254/32".into()])),
        databases: vec![CidrPorts {
            cidrs: vec!["10.0.20.0/24".into()],
            ports: vec![5432, 6379],
        }],
        same_namespace: Some(vec![5000]),
        ..Default::default()
    }
}

#[test]
fn seed_003_renders_as_a_reviewer_would_write_it() {
    let spec = serde_json::to_value(network_policy(&seed_003()).spec).unwrap();
    assert_eq!(
        spec,
        json!({
            "podSelector": {"matchLabels": {"app": "api"}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": 5000, "protocol": "TCP"}]}],
            "egress": [
                {
                    "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                    "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]
                },
                {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}],
                 "ports": [{"port": 443, "protocol": "TCP"}]},
                {"to": [{"ipBlock": {"cidr": "10.0.20.0/24"}}],
                 "ports": [{"port": 5432, "protocol": "TCP"}, {"port": 6379, "protocol": "TCP"}]}
            ]
        })
    );
}

/// A default-deny namespace keeps Pod Identity working: the agent's link-local endpoints on TCP 80, after
/// DNS, in both address families.
#[test]
fn the_pod_identity_agent_preset_allows_its_link_local_endpoints() {
    let m = Policy {
        name: "api".into(),
        namespace: "prod".into(),
        deny_all_egress: true,
        pod_identity_agent: true,
        ..Default::default()
    };
    let spec = serde_json::to_value(network_policy(&m).spec).unwrap();
    assert_eq!(
        spec,
        json!({
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "169.254.170.23/32"}}, {"ipBlock": {"cidr": "fd00:ec2::23/128"}}],
                        "ports": [{"port": 80, "protocol": "TCP"}]}]
        })
    );
    let d = validate(&config(
        json!({"deny_all_egress": false, "allow_pod_identity_agent": true}),
    ));
    assert_eq!(paths(&d), ["deny_all_egress"]);
    assert!(validate(&config(json!({"allow_pod_identity_agent": true}))).is_empty());
}

#[test]
fn deny_all_alone_isolates_without_rules() {
    let m = Policy {
        name: "deny".into(),
        namespace: "a".into(),
        deny_all_ingress: true,
        deny_all_egress: true,
        ..Default::default()
    };
    let spec = serde_json::to_value(network_policy(&m).spec).unwrap();
    assert_eq!(spec, json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}));
}

#[test]
fn rendered_is_stable() {
    assert_eq!(
        rendered(&network_policy(&seed_003())),
        rendered(&network_policy(&seed_003()))
    );
}

fn config(extra: serde_json::Value) -> Value {
    let ty: Type = super::schema::schema().implied_type();
    let mut base = json!({"name": "p", "namespace": "a"});
    base.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    vjson::decode(base.to_string().as_bytes(), &ty).unwrap()
}

fn validate(v: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let schema = super::schema::schema();
    crate::framework::validate::validate_block(
        &schema.block,
        v,
        &crate::value::AttributePath::root(),
        true,
        &mut diags,
    );
    crate::framework::AnyResource::validate(&super::NetworkPolicyResource, v, &mut diags);
    diags
}

fn paths(d: &Diagnostics) -> Vec<String> {
    d.iter()
        .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
        .collect()
}

#[test]
fn bad_input_is_refused_with_paths() {
    let d = validate(&config(
        json!({"allow_egress_to_databases": [{"cidrs": ["10.0.0.1/24"], "ports": [70000]}]}),
    ));
    assert_eq!(
        paths(&d),
        [
            "allow_egress_to_databases[0].cidrs[0]",
            "allow_egress_to_databases[0].ports[0]"
        ]
    );

    let d = validate(&config(
        json!({"allow_https_egress": {"cidrs": ["10.0.0.0/16"], "except": ["192.168.0.0/24"]}}),
    ));
    assert_eq!(paths(&d), ["allow_https_egress.except"]);

    let d = validate(&config(
        json!({"egress": [{"to": [{"cidr": "10.0.0.0/8", "pod_selector": {"a": "b"}}], "ports": [{"port": "80", "end_port": 70}]}]}),
    ));
    assert_eq!(paths(&d), ["egress[0].to[0]", "egress[0].ports[0].end_port"]);

    let d = validate(&config(json!({"deny_all_egress": false, "allow_dns": true})));
    assert_eq!(paths(&d), ["deny_all_egress"]);

    let d = validate(&config(json!({})));
    assert!(d.iter().any(|d| d.summary == "Empty Network Policy"));
}

#[test]
fn good_input_passes() {
    let d = validate(&config(json!({
        "pod_selector": {"app": "api"},
        "allow_dns": true,
        "allow_https_egress": {"except": ["169.254.169.254/32"]},
        "allow_egress_to_databases": [{"cidrs": ["10.0.20.0/24"], "ports": [5432, 6379]}],
        "allow_ingress_from_same_namespace": {"ports": [5000]},
        "ingress": [{"from": [{"namespace_selector": {"team": "obs"}}], "ports": [{"port": "metrics"}]}]
    })));
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn known_elements_are_checked_while_their_neighbours_are_unknown() {
    let mut v = config(json!({"egress": [{"to": [{"cidr": "10.0.0.0/16", "except": ["x", "192.168.0.0/24"]}]}]}));
    fn except(v: &mut Value) -> Option<&mut Value> {
        let Value::Object(attrs) = v else { return None };
        let Value::List(rules) = attrs.get_mut("egress")? else {
            return None;
        };
        let Value::Object(rule) = rules.first_mut()? else {
            return None;
        };
        let Value::List(peers) = rule.get_mut("to")? else {
            return None;
        };
        let Value::Object(peer) = peers.first_mut()? else {
            return None;
        };
        peer.get_mut("except")
    }
    if let Some(Value::List(items)) = except(&mut v) {
        items[0] = Value::unknown();
    }
    let d = validate(&v);
    assert_eq!(paths(&d), ["egress[0].to[0].except[1]"], "{d:?}");
}
