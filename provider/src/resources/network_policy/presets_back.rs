//! The presets a live policy's rules came from, where they can be told: the rules hub renders for each
//! preset lead the rule lists in a fixed order (see [`super::render`]), so the leading rules of those
//! shapes are taken as presets and the rest stay custom rules. [`super::reverse`] keeps the result only if
//! it renders the live spec exactly.

use k8s_openapi::api::networking::v1::{
    NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::k8s::network_rules::{dns_egress, pod_identity_agent_egress};
use crate::value::Tf;

use super::model::{CidrPortsModel, FromNamespaces, HttpsEgress, NetworkPolicyModel, SameNamespace};

/// Takes the leading preset-shaped ingress rules into `state`; returns the rules left.
pub(super) fn ingress<'a>(
    mut rules: &'a [NetworkPolicyIngressRule],
    state: &mut NetworkPolicyModel,
) -> &'a [NetworkPolicyIngressRule] {
    if let Some((first, rest)) = rules.split_first()
        && let Some(ports) = tcp_ports(first.ports.as_deref())
        && first.from.as_deref() == Some(&[same_namespace_peer()][..])
    {
        state.allow_ingress_from_same_namespace = Tf::Known(SameNamespace { ports: list(ports) });
        rules = rest;
    }
    if let Some((first, rest)) = rules.split_first()
        && let Some(ports) = tcp_ports(first.ports.as_deref())
        && let Some(namespaces) = first.from.as_deref().and_then(named_namespaces)
    {
        state.allow_ingress_from_namespaces = Tf::Known(FromNamespaces {
            namespaces: Tf::Known(namespaces),
            ports: list(ports),
        });
        rules = rest;
    }
    if let Some((first, rest)) = rules.split_first()
        && let Some(c) = cidr_ports(first.from.as_deref(), first.ports.as_deref())
    {
        state.allow_ingress_from_load_balancer = Tf::Known(c);
        rules = rest;
    }
    rules
}

/// Takes the leading preset-shaped egress rules into `state`; returns the rules left.
pub(super) fn egress<'a>(
    mut rules: &'a [NetworkPolicyEgressRule],
    state: &mut NetworkPolicyModel,
) -> &'a [NetworkPolicyEgressRule] {
    if let Some((first, rest)) = rules.split_first()
        && *first == dns_egress()
    {
        state.allow_dns = Tf::Known(true);
        rules = rest;
    }
    if let Some((first, rest)) = rules.split_first()
        && *first == pod_identity_agent_egress()
    {
        state.allow_pod_identity_agent = Tf::Known(true);
        rules = rest;
    }
    if let Some((first, rest)) = rules.split_first()
        && tcp_ports(first.ports.as_deref()) == Some(vec![443])
        && let Some(blocks) = first.to.as_deref().and_then(ip_blocks)
    {
        let except: Vec<Tf<String>> = blocks
            .iter()
            .flat_map(|(_, e)| e.iter().cloned().map(Tf::Known))
            .collect();
        state.allow_https_egress = Tf::Known(HttpsEgress {
            cidrs: Tf::Known(blocks.into_iter().map(|(c, _)| Tf::Known(c)).collect()),
            except: if except.is_empty() { Tf::Null } else { Tf::Known(except) },
        });
        rules = rest;
    }
    let mut databases = Vec::new();
    while let Some((first, rest)) = rules.split_first()
        && let Some(c) = cidr_ports(first.to.as_deref(), first.ports.as_deref())
    {
        databases.push(Tf::Known(c));
        rules = rest;
    }
    if !databases.is_empty() {
        state.allow_egress_to_databases = Tf::Known(databases);
    }
    rules
}

fn same_namespace_peer() -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        pod_selector: Some(LabelSelector::default()),
        ..Default::default()
    }
}

fn list(ports: Vec<i64>) -> Tf<Vec<i64>> {
    if ports.is_empty() { Tf::Null } else { Tf::Known(ports) }
}

/// Plain TCP port numbers (none: every port), or `None` for any other kind of port.
fn tcp_ports(ports: Option<&[NetworkPolicyPort]>) -> Option<Vec<i64>> {
    ports
        .unwrap_or_default()
        .iter()
        .map(|p| match (&p.port, p.protocol.as_deref(), p.end_port) {
            (Some(IntOrString::Int(n)), Some("TCP"), None) => Some(i64::from(*n)),
            _ => None,
        })
        .collect()
}

/// The namespaces of peers that each select one namespace by name, and nothing else.
fn named_namespaces(peers: &[NetworkPolicyPeer]) -> Option<Vec<String>> {
    peers
        .iter()
        .map(|p| {
            let labels = p.namespace_selector.as_ref()?;
            let only = labels.match_expressions.is_none() && p.pod_selector.is_none() && p.ip_block.is_none();
            let names = labels.match_labels.as_ref()?;
            match (only, names.len(), names.get("kubernetes.io/metadata.name")) {
                (true, 1, Some(n)) => Some(n.clone()),
                _ => None,
            }
        })
        .collect::<Option<Vec<_>>>()
        .filter(|n| !n.is_empty())
}

/// `(cidr, except)` of peers that are all IP blocks.
fn ip_blocks(peers: &[NetworkPolicyPeer]) -> Option<Vec<(String, Vec<String>)>> {
    peers
        .iter()
        .map(|p| {
            let b = p
                .ip_block
                .as_ref()
                .filter(|_| p.pod_selector.is_none() && p.namespace_selector.is_none())?;
            Some((b.cidr.clone(), b.except.clone().unwrap_or_default()))
        })
        .collect::<Option<Vec<_>>>()
        .filter(|b| !b.is_empty())
}

/// A rule of IP blocks without exceptions and plain TCP ports: a load balancer or database preset.
fn cidr_ports(peers: Option<&[NetworkPolicyPeer]>, ports: Option<&[NetworkPolicyPort]>) -> Option<CidrPortsModel> {
    let blocks = ip_blocks(peers?)?;
    if blocks.iter().any(|(_, e)| !e.is_empty()) {
        return None;
    }
    Some(CidrPortsModel {
        cidrs: Tf::Known(blocks.into_iter().map(|(c, _)| c).collect()),
        ports: list(tcp_ports(ports)?),
    })
}
