//! The typed model of a `hub_network_policy` configuration, decoded from a wholly known value.

use std::collections::BTreeMap;

use crate::value::Value;

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

/// The whole policy configuration.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PolicyModel {
    pub name: String,
    pub namespace: String,
    pub pod_selector: BTreeMap<String, String>,
    pub deny_all_ingress: bool,
    pub deny_all_egress: bool,
    pub allow_dns: bool,
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

fn string(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_elements)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

fn ints(v: Option<&Value>) -> Vec<i32> {
    v.and_then(Value::as_elements)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| {
            n.as_number()
                .and_then(|n| n.to_i64())
                .and_then(|n| i32::try_from(n).ok())
        })
        .collect()
}

fn map(v: Option<&Value>) -> Option<BTreeMap<String, String>> {
    v?.as_map().map(|m| {
        m.iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect()
    })
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

fn cidr_ports(v: &Value) -> CidrPorts {
    CidrPorts {
        cidrs: strings(v.attr("cidrs")),
        ports: ints(v.attr("ports")),
    }
}

fn rules(v: Option<&Value>, peers: &str) -> Vec<Rule> {
    v.and_then(Value::as_elements)
        .unwrap_or_default()
        .iter()
        .map(|r| Rule {
            peers: r
                .attr(peers)
                .and_then(Value::as_elements)
                .unwrap_or_default()
                .iter()
                .map(|p| Peer {
                    pod_selector: map(p.attr("pod_selector")),
                    namespace_selector: map(p.attr("namespace_selector")),
                    cidr: string(p.attr("cidr")),
                    except: strings(p.attr("except")),
                })
                .collect(),
            ports: r
                .attr("ports")
                .and_then(Value::as_elements)
                .unwrap_or_default()
                .iter()
                .map(|p| Port {
                    port: string(p.attr("port")).unwrap_or_default(),
                    end_port: p
                        .attr("end_port")
                        .and_then(Value::as_number)
                        .and_then(|n| n.to_i64())
                        .and_then(|n| i32::try_from(n).ok()),
                    protocol: string(p.attr("protocol")).unwrap_or_else(|| "TCP".into()),
                })
                .collect(),
        })
        .collect()
}

impl PolicyModel {
    /// Decodes a configuration or planned state. Call only on wholly known values.
    pub(crate) fn from_value(v: &Value) -> PolicyModel {
        let flag = |n: &str| v.attr(n).and_then(Value::as_bool).unwrap_or(false);
        PolicyModel {
            name: string(v.attr("name")).unwrap_or_default(),
            namespace: string(v.attr("namespace")).unwrap_or_default(),
            pod_selector: map(v.attr("pod_selector")).unwrap_or_default(),
            deny_all_ingress: flag("deny_all_ingress"),
            deny_all_egress: flag("deny_all_egress"),
            allow_dns: flag("allow_dns"),
            https_egress: present(v.attr("allow_https_egress")).map(|h| {
                let cidrs = strings(h.attr("cidrs"));
                let cidrs = if cidrs.is_empty() {
                    vec!["0.0.0.0/0".to_owned()]
                } else {
                    cidrs
                };
                (cidrs, strings(h.attr("except")))
            }),
            same_namespace: present(v.attr("allow_ingress_from_same_namespace")).map(|s| ints(s.attr("ports"))),
            from_namespaces: present(v.attr("allow_ingress_from_namespaces"))
                .map(|n| (strings(n.attr("namespaces")), ints(n.attr("ports")))),
            load_balancer: present(v.attr("allow_ingress_from_load_balancer")).map(cidr_ports),
            databases: v
                .attr("allow_egress_to_databases")
                .and_then(Value::as_elements)
                .unwrap_or_default()
                .iter()
                .map(cidr_ports)
                .collect(),
            ingress: rules(v.attr("ingress"), "from"),
            egress: rules(v.attr("egress"), "to"),
        }
    }

    /// Whether any ingress allow rule is configured.
    pub(crate) fn has_ingress_rules(&self) -> bool {
        self.same_namespace.is_some()
            || self.from_namespaces.is_some()
            || self.load_balancer.is_some()
            || !self.ingress.is_empty()
    }

    /// Whether any egress allow rule is configured.
    pub(crate) fn has_egress_rules(&self) -> bool {
        self.allow_dns || self.https_egress.is_some() || !self.databases.is_empty() || !self.egress.is_empty()
    }
}
