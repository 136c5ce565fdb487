//! The typed model of `hub_network_policy` (configuration, plan and state), and [`Policy`]: the rules it
//! describes, with presets' defaults filled in, for rendering. Lists whose elements validation checks one by
//! one hold each element as a [`Tf`], so a known CIDR or port is checked while its neighbours are unknown.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::value::Tf;

/// One `hub_network_policy`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkPolicyModel {
    pub name: Tf<String>,
    pub namespace: Tf<String>,
    pub pod_selector: Tf<BTreeMap<String, String>>,
    pub deny_all_ingress: Tf<bool>,
    pub deny_all_egress: Tf<bool>,
    pub allow_dns: Tf<bool>,
    pub allow_pod_identity_agent: Tf<bool>,
    pub allow_https_egress: Tf<HttpsEgress>,
    pub allow_ingress_from_same_namespace: Tf<SameNamespace>,
    pub allow_ingress_from_namespaces: Tf<FromNamespaces>,
    pub allow_ingress_from_load_balancer: Tf<CidrPortsModel>,
    pub allow_egress_to_databases: Tf<Vec<Tf<CidrPortsModel>>>,
    pub ingress: Tf<Vec<Tf<IngressRule>>>,
    pub egress: Tf<Vec<Tf<EgressRule>>>,
    pub enforcement_check: Tf<String>,
    pub cluster_name: Tf<String>,
    pub rendered: Tf<String>,
    pub id: Tf<String>,
}

/// `allow_https_egress`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpsEgress {
    pub cidrs: Tf<Vec<Tf<String>>>,
    pub except: Tf<Vec<Tf<String>>>,
}

/// `allow_ingress_from_same_namespace`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameNamespace {
    pub ports: Tf<Vec<i64>>,
}

/// `allow_ingress_from_namespaces`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FromNamespaces {
    pub namespaces: Tf<Vec<String>>,
    pub ports: Tf<Vec<i64>>,
}

/// CIDRs with ports: `allow_ingress_from_load_balancer`, an entry of `allow_egress_to_databases`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CidrPortsModel {
    pub cidrs: Tf<Vec<String>>,
    pub ports: Tf<Vec<i64>>,
}

/// A custom ingress rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngressRule {
    pub from: Tf<Vec<Tf<PeerModel>>>,
    pub ports: Tf<Vec<Tf<PortModel>>>,
}

/// A custom egress rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EgressRule {
    pub to: Tf<Vec<Tf<PeerModel>>>,
    pub ports: Tf<Vec<Tf<PortModel>>>,
}

/// One peer of a custom rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerModel {
    pub pod_selector: Tf<BTreeMap<String, String>>,
    pub namespace_selector: Tf<BTreeMap<String, String>>,
    pub cidr: Tf<String>,
    pub except: Tf<Vec<Tf<String>>>,
}

/// One port (or range) of a custom rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortModel {
    pub port: Tf<String>,
    pub end_port: Tf<i64>,
    pub protocol: Tf<String>,
}

/// A custom rule's peers and ports, whichever direction.
pub(crate) type RuleParts<'a> = (&'a Tf<Vec<Tf<PeerModel>>>, &'a Tf<Vec<Tf<PortModel>>>);

/// The known elements of a list.
pub(crate) fn known<T>(list: &Tf<Vec<Tf<T>>>) -> impl Iterator<Item = &T> {
    list.get().into_iter().flatten().filter_map(Tf::get)
}

/// The known elements of a list with their indexes.
pub(crate) fn indexed<T>(list: &Tf<Vec<Tf<T>>>) -> impl Iterator<Item = (usize, &T)> {
    list.get()
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, x)| Some((i, x.get()?)))
}

fn ports(v: &Tf<Vec<i64>>) -> Vec<i32> {
    v.get()
        .into_iter()
        .flatten()
        .filter_map(|p| i32::try_from(*p).ok())
        .collect()
}

fn cidr_ports(c: &CidrPortsModel) -> CidrPorts {
    CidrPorts {
        cidrs: c.cidrs.get().cloned().unwrap_or_default(),
        ports: ports(&c.ports),
    }
}

fn rule((peers, ports): RuleParts<'_>) -> Rule {
    Rule {
        peers: known(peers)
            .map(|p| Peer {
                pod_selector: p.pod_selector.get().cloned(),
                namespace_selector: p.namespace_selector.get().cloned(),
                cidr: p.cidr.get().cloned(),
                except: known(&p.except).cloned().collect(),
            })
            .collect(),
        ports: known(ports)
            .map(|p| Port {
                port: p.port.get().cloned().unwrap_or_default(),
                end_port: p.end_port.value().and_then(|n| i32::try_from(n).ok()),
                protocol: p.protocol.get().cloned().unwrap_or_else(|| "TCP".into()),
            })
            .collect(),
    }
}

impl NetworkPolicyModel {
    /// `namespace/name` (empty parts when not known).
    pub(crate) fn identity(&self) -> (&str, &str) {
        (
            self.namespace.as_deref().unwrap_or_default(),
            self.name.as_deref().unwrap_or_default(),
        )
    }

    /// The custom ingress rules' parts.
    pub(crate) fn ingress_rules(&self) -> impl Iterator<Item = (usize, RuleParts<'_>)> {
        indexed(&self.ingress).map(|(i, r)| (i, (&r.from, &r.ports)))
    }

    /// The custom egress rules' parts.
    pub(crate) fn egress_rules(&self) -> impl Iterator<Item = (usize, RuleParts<'_>)> {
        indexed(&self.egress).map(|(i, r)| (i, (&r.to, &r.ports)))
    }

    /// The rules the configuration describes; call on wholly known values.
    pub(crate) fn policy(&self) -> Policy {
        let (namespace, name) = self.identity();
        let flag = |f: &Tf<bool>| f.value().unwrap_or(false);
        Policy {
            name: name.to_owned(),
            namespace: namespace.to_owned(),
            pod_selector: self.pod_selector.get().cloned().unwrap_or_default(),
            deny_all_ingress: flag(&self.deny_all_ingress),
            deny_all_egress: flag(&self.deny_all_egress),
            allow_dns: flag(&self.allow_dns),
            pod_identity_agent: flag(&self.allow_pod_identity_agent),
            https_egress: self.allow_https_egress.get().map(|h| {
                let cidrs: Vec<String> = known(&h.cidrs).cloned().collect();
                let cidrs = if cidrs.is_empty() {
                    vec!["0.0.0.0/0".to_owned()]
                } else {
                    cidrs
                };
                (cidrs, known(&h.except).cloned().collect())
            }),
            same_namespace: self.allow_ingress_from_same_namespace.get().map(|s| ports(&s.ports)),
            from_namespaces: self
                .allow_ingress_from_namespaces
                .get()
                .map(|n| (n.namespaces.get().cloned().unwrap_or_default(), ports(&n.ports))),
            load_balancer: self.allow_ingress_from_load_balancer.get().map(cidr_ports),
            databases: known(&self.allow_egress_to_databases).map(cidr_ports).collect(),
            ingress: self.ingress_rules().map(|(_, r)| rule(r)).collect(),
            egress: self.egress_rules().map(|(_, r)| rule(r)).collect(),
        }
    }
}

/// One peer of a custom rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Peer {
    pub pod_selector: Option<BTreeMap<String, String>>,
    pub namespace_selector: Option<BTreeMap<String, String>>,
    pub cidr: Option<String>,
    pub except: Vec<String>,
}

/// One port (or range) of a custom rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Port {
    pub port: String,
    pub end_port: Option<i32>,
    pub protocol: String,
}

/// A custom rule: peers and ports (empty = any).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Rule {
    pub peers: Vec<Peer>,
    pub ports: Vec<Port>,
}

/// CIDRs with ports (load balancer, databases).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct CidrPorts {
    pub cidrs: Vec<String>,
    pub ports: Vec<i32>,
}

/// The rules of one policy, with presets' defaults filled in: what [`super::render`] turns into the object.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Policy {
    pub name: String,
    pub namespace: String,
    pub pod_selector: BTreeMap<String, String>,
    pub deny_all_ingress: bool,
    pub deny_all_egress: bool,
    pub allow_dns: bool,
    pub pod_identity_agent: bool,
    /// (cidrs, except)
    pub https_egress: Option<(Vec<String>, Vec<String>)>,
    pub same_namespace: Option<Vec<i32>>,
    /// (namespaces, ports)
    pub from_namespaces: Option<(Vec<String>, Vec<i32>)>,
    pub load_balancer: Option<CidrPorts>,
    pub databases: Vec<CidrPorts>,
    pub ingress: Vec<Rule>,
    pub egress: Vec<Rule>,
}

impl Policy {
    /// Whether any ingress allow rule is configured.
    pub(crate) fn has_ingress_rules(&self) -> bool {
        self.same_namespace.is_some()
            || self.from_namespaces.is_some()
            || self.load_balancer.is_some()
            || !self.ingress.is_empty()
    }

    /// Whether any egress allow rule is configured.
    pub(crate) fn has_egress_rules(&self) -> bool {
        self.allow_dns
            || self.pod_identity_agent
            || self.https_egress.is_some()
            || !self.databases.is_empty()
            || !self.egress.is_empty()
    }
}
