//! Pure rendering: a policy model to the NetworkPolicy a Kubernetes reviewer would write. Testable without a
//! cluster; the JSON form is what the plan shows as `rendered`.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::model::{CidrPorts, Peer, Policy, Port, Rule};
use crate::k8s::labels::MANAGED_BY;
use crate::k8s::network_rules::{dns_egress, pod_identity_agent_egress};

fn selector(labels: &BTreeMap<String, String>) -> LabelSelector {
    LabelSelector {
        match_labels: (!labels.is_empty()).then(|| labels.clone()),
        ..Default::default()
    }
}

fn namespace_named(name: &str) -> LabelSelector {
    selector(&BTreeMap::from([(
        "kubernetes.io/metadata.name".to_owned(),
        name.to_owned(),
    )]))
}

fn tcp(port: i32) -> NetworkPolicyPort {
    NetworkPolicyPort {
        port: Some(IntOrString::Int(port)),
        protocol: Some("TCP".into()),
        end_port: None,
    }
}

fn tcp_ports(ports: &[i32]) -> Option<Vec<NetworkPolicyPort>> {
    (!ports.is_empty()).then(|| ports.iter().copied().map(tcp).collect())
}

fn ip_block(cidr: &str, except: &[String]) -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        ip_block: Some(IPBlock {
            cidr: cidr.to_owned(),
            except: (!except.is_empty()).then(|| except.to_vec()),
        }),
        ..Default::default()
    }
}

fn peer(p: &Peer) -> NetworkPolicyPeer {
    match &p.cidr {
        Some(cidr) => ip_block(cidr, &p.except),
        None => NetworkPolicyPeer {
            pod_selector: p.pod_selector.as_ref().map(selector),
            namespace_selector: p.namespace_selector.as_ref().map(selector),
            ..Default::default()
        },
    }
}

fn port(p: &Port) -> NetworkPolicyPort {
    NetworkPolicyPort {
        port: Some(match p.port.parse::<i32>() {
            Ok(n) => IntOrString::Int(n),
            Err(_) => IntOrString::String(p.port.clone()),
        }),
        end_port: p.end_port,
        protocol: Some(p.protocol.clone()),
    }
}

fn custom<R>(
    rules: &[Rule],
    build: impl Fn(Option<Vec<NetworkPolicyPeer>>, Option<Vec<NetworkPolicyPort>>) -> R,
) -> Vec<R> {
    rules
        .iter()
        .map(|r| {
            build(
                (!r.peers.is_empty()).then(|| r.peers.iter().map(peer).collect()),
                (!r.ports.is_empty()).then(|| r.ports.iter().map(port).collect()),
            )
        })
        .collect()
}

fn cidr_rule(c: &CidrPorts) -> NetworkPolicyEgressRule {
    NetworkPolicyEgressRule {
        to: Some(c.cidrs.iter().map(|cidr| ip_block(cidr, &[])).collect()),
        ports: tcp_ports(&c.ports),
    }
}

/// The NetworkPolicy object for a model.
pub(crate) fn network_policy(m: &Policy) -> NetworkPolicy {
    let mut ingress = Vec::new();
    if let Some(ports) = &m.same_namespace {
        let same = NetworkPolicyPeer {
            pod_selector: Some(LabelSelector::default()),
            ..Default::default()
        };
        ingress.push(NetworkPolicyIngressRule {
            from: Some(vec![same]),
            ports: tcp_ports(ports),
        });
    }
    if let Some((namespaces, ports)) = &m.from_namespaces {
        let from = namespaces
            .iter()
            .map(|n| NetworkPolicyPeer {
                namespace_selector: Some(namespace_named(n)),
                ..Default::default()
            })
            .collect();
        ingress.push(NetworkPolicyIngressRule {
            from: Some(from),
            ports: tcp_ports(ports),
        });
    }
    if let Some(lb) = &m.load_balancer {
        let rule = cidr_rule(lb);
        ingress.push(NetworkPolicyIngressRule {
            from: rule.to,
            ports: rule.ports,
        });
    }
    ingress.extend(custom(&m.ingress, |from, ports| NetworkPolicyIngressRule {
        from,
        ports,
    }));

    let mut egress = Vec::new();
    if m.allow_dns {
        egress.push(dns_egress());
    }
    if m.pod_identity_agent {
        egress.push(pod_identity_agent_egress());
    }
    if let Some((cidrs, except)) = &m.https_egress {
        let to = cidrs
            .iter()
            .map(|cidr| {
                let inside: Vec<String> = except
                    .iter()
                    .filter(|e| {
                        matches!((super::validate::parse_cidr(cidr), super::validate::parse_cidr(e)),
                            (Ok(o), Ok(i)) if super::validate::contains(o, i) && o != i)
                    })
                    .cloned()
                    .collect();
                ip_block(cidr, &inside)
            })
            .collect();
        egress.push(NetworkPolicyEgressRule {
            to: Some(to),
            ports: Some(vec![tcp(443)]),
        });
    }
    egress.extend(m.databases.iter().map(cidr_rule));
    egress.extend(custom(&m.egress, |to, ports| NetworkPolicyEgressRule { to, ports }));

    let mut types = Vec::new();
    if m.deny_all_ingress || !ingress.is_empty() {
        types.push("Ingress".to_owned());
    }
    if m.deny_all_egress || !egress.is_empty() {
        types.push("Egress".to_owned());
    }
    NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(m.name.clone()),
            namespace: Some(m.namespace.clone()),
            labels: Some(BTreeMap::from([(MANAGED_BY.0.to_owned(), MANAGED_BY.1.to_owned())])),
            ..Default::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(selector(&m.pod_selector)),
            ingress: (!ingress.is_empty()).then_some(ingress),
            egress: (!egress.is_empty()).then_some(egress),
            policy_types: Some(types),
        }),
    }
}

/// The JSON shown in the plan: the spec only (what the user controls), pretty-printed for readable diffs.
pub(crate) fn rendered(policy: &NetworkPolicy) -> String {
    serde_json::to_string_pretty(&policy.spec).unwrap_or_default()
}
