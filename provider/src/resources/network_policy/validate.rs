//! Checks made before anything is written: CIDRs, ports and ranges, peers, and contradictory settings.

use std::net::IpAddr;

use crate::diag::Diagnostics;
use crate::schema::Validator;
use crate::value::model::is_wholly_known;
use crate::value::{AttributePath, Tf, Value};

use super::model::{CidrPortsModel, HttpsEgress, NetworkPolicyModel, PeerModel, PortModel, indexed, known};

/// A parsed CIDR: address, prefix length.
pub(super) fn parse_cidr(s: &str) -> Result<(IpAddr, u8), String> {
    let (addr, prefix) = s.split_once('/').ok_or("has no /prefix (e.g. 10.0.0.0/16)")?;
    let addr: IpAddr = addr.parse().map_err(|_| format!("has an invalid address {addr:?}"))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix: u8 = prefix
        .parse()
        .ok()
        .filter(|p| *p <= max)
        .ok_or(format!("has a prefix outside 0..={max}"))?;
    if network(addr, prefix) != addr {
        return Err(format!(
            "has host bits set; the network address is {}/{prefix}",
            network(addr, prefix)
        ));
    }
    Ok((addr, prefix))
}

fn network(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
            IpAddr::V4((u32::from(a) & mask).into())
        }
        IpAddr::V6(a) => {
            let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - prefix) };
            IpAddr::V6((u128::from(a) & mask).into())
        }
    }
}

/// Whether `inner` lies within `outer`.
pub(super) fn contains(outer: (IpAddr, u8), inner: (IpAddr, u8)) -> bool {
    outer.0.is_ipv4() == inner.0.is_ipv4() && inner.1 >= outer.1 && network(inner.0, outer.1) == outer.0
}

/// Every element (or the value itself) is a valid CIDR.
pub(super) fn cidr_validator() -> Validator {
    Validator::new("a CIDR", |v, path, diags| {
        let items: Vec<(AttributePath, &Value)> = match v.as_elements() {
            Some(e) => e.iter().enumerate().map(|(i, x)| (path.then_index(i), x)).collect(),
            None => vec![(path.clone(), v)],
        };
        for (at, item) in items {
            if let Some(s) = item.as_str()
                && let Err(problem) = parse_cidr(s)
            {
                diags.error_at(&at, "Invalid CIDR", format!("{at} = {s:?} {problem}."));
            }
        }
    })
}

/// Every element is a namespace name (a DNS-1123 label).
pub(super) fn namespace_names_validator() -> Validator {
    Validator::new("namespace names", |v, path, diags| {
        for (i, item) in v.as_elements().unwrap_or_default().iter().enumerate() {
            if let Some(s) = item.as_str()
                && let Some(problem) = crate::schema::validators::dns1123_label_problem(s, 63)
            {
                let at = path.then_index(i);
                diags.error_at(
                    &at,
                    "Invalid Namespace Name",
                    format!("{at} = {s:?} is not a valid DNS-1123 label: it {problem}."),
                );
            }
        }
    })
}

/// Every element is a port number.
pub(super) fn port_validator() -> Validator {
    Validator::new("port numbers", |v, path, diags| {
        for (i, item) in v.as_elements().unwrap_or_default().iter().enumerate() {
            let ok = item
                .as_number()
                .and_then(|n| n.to_i64())
                .is_some_and(|p| (1..=65535).contains(&p));
            if !ok && !item.is_unknown() {
                diags.error_at(
                    &path.then_index(i),
                    "Invalid Port",
                    format!("{} must be a port number from 1 to 65535.", path.then_index(i)),
                );
            }
        }
    })
}

/// Cross-attribute checks; unknown values are skipped.
pub(super) fn validate(config: &NetworkPolicyModel, diags: &mut Diagnostics) {
    let root = AttributePath::root();
    if let Some(https) = config.allow_https_egress.get() {
        check_except(https, &root.then_attr("allow_https_egress"), diags);
    }
    for (rules, peers_name, parts) in [
        ("ingress", "from", config.ingress_rules().collect::<Vec<_>>()),
        ("egress", "to", config.egress_rules().collect()),
    ] {
        for (i, (peers, ports)) in parts {
            let at = root.then_attr(rules).then_index(i);
            for (j, peer) in indexed(peers) {
                check_peer(peer, &at.then_attr(peers_name).then_index(j), diags);
            }
            for (j, port) in indexed(ports) {
                check_port(port, &at.then_attr("ports").then_index(j), diags);
            }
        }
    }
    let on = |f: &Tf<bool>| f.is_set() && f.value() != Some(false);
    let has_egress_allow = on(&config.allow_dns)
        || on(&config.allow_pod_identity_agent)
        || config.allow_https_egress.is_set()
        || config.allow_egress_to_databases.is_set()
        || config.egress.is_set();
    if config.deny_all_egress.value() == Some(false) && has_egress_allow {
        diags.error_at(
            &root.then_attr("deny_all_egress"),
            "Contradictory Settings",
            "Egress allow rules isolate the selected pods for egress (everything not allowed is denied), so \
             deny_all_egress = false cannot hold. Remove deny_all_egress or the egress rules.",
        );
    }
    let has_ingress_allow = config.allow_ingress_from_same_namespace.is_set()
        || config.allow_ingress_from_namespaces.is_set()
        || config.allow_ingress_from_load_balancer.is_set()
        || config.ingress.is_set();
    if config.deny_all_ingress.value() == Some(false) && has_ingress_allow {
        diags.error_at(
            &root.then_attr("deny_all_ingress"),
            "Contradictory Settings",
            "Ingress allow rules isolate the selected pods for ingress, so deny_all_ingress = false cannot hold.",
        );
    }
    check_empty_lists(config, diags);
}

/// Presets whose empty lists would widen the rule to everyone: Kubernetes reads an empty peer list as "any
/// peer" and an empty port list as "every port", the opposite of what an empty list of CIDRs, namespaces or
/// database ports means to the reader.
fn check_empty_lists(config: &NetworkPolicyModel, diags: &mut Diagnostics) {
    let root = AttributePath::root();
    let mut refuse = |at: AttributePath, what: &str| {
        diags.error_at(
            &at,
            "Empty List Allows Everything",
            format!(
                "{at} is empty: Kubernetes reads an empty list as {what}. List at least one, or remove the preset."
            ),
        );
    };
    if let Some(ns) = config.allow_ingress_from_namespaces.get()
        && ns.namespaces.get().is_some_and(Vec::is_empty)
    {
        refuse(
            root.then_attr("allow_ingress_from_namespaces").then_attr("namespaces"),
            "\"from every pod of every namespace\"",
        );
    }
    let lists: Vec<(AttributePath, &CidrPortsModel)> = config
        .allow_ingress_from_load_balancer
        .get()
        .map(|lb| (root.then_attr("allow_ingress_from_load_balancer"), lb))
        .into_iter()
        .chain(
            indexed(&config.allow_egress_to_databases)
                .map(|(i, db)| (root.then_attr("allow_egress_to_databases").then_index(i), db)),
        )
        .collect();
    for (at, v) in lists {
        if v.cidrs.get().is_some_and(Vec::is_empty) {
            refuse(at.then_attr("cidrs"), "\"every address\"");
        }
        if v.ports.get().is_some_and(Vec::is_empty) {
            refuse(at.then_attr("ports"), "\"every port\"");
        }
    }
    let off = |f: &Tf<bool>| f.is_null() || f.value() == Some(false);
    let says_nothing = off(&config.deny_all_ingress)
        && off(&config.deny_all_egress)
        && off(&config.allow_dns)
        && off(&config.allow_pod_identity_agent)
        && config.allow_https_egress.is_null()
        && config.allow_ingress_from_same_namespace.is_null()
        && config.allow_ingress_from_namespaces.is_null()
        && config.allow_ingress_from_load_balancer.is_null()
        && config.allow_egress_to_databases.is_null()
        && config.ingress.is_null()
        && config.egress.is_null();
    if says_nothing && is_wholly_known(config) {
        diags.error_at(
            &root.then_attr("deny_all_ingress"),
            "Policy Without Rules",
            "The policy sets no deny and no allow rule: Kubernetes would still isolate the selected pods for ingress \
             (deny every incoming connection). Set deny_all_ingress = true if that is the intent, or add rules.",
        );
    }
}

fn check_except(v: &HttpsEgress, at: &AttributePath, diags: &mut Diagnostics) {
    let parsed = |list: &Tf<Vec<Tf<String>>>| -> Vec<(String, (IpAddr, u8))> {
        known(list)
            .filter_map(|s| parse_cidr(s).ok().map(|p| (s.clone(), p)))
            .collect()
    };
    let cidrs = match parsed(&v.cidrs) {
        c if c.is_empty() && v.cidrs.is_null() => vec![(
            "0.0.0.0/0".to_owned(),
            parse_cidr("0.0.0.0/0").unwrap_or((IpAddr::from([0, 0, 0, 0]), 0)),
        )],
        c => c,
    };
    for (text, except) in parsed(&v.except) {
        if !cidrs.iter().any(|(_, c)| contains(*c, except) && *c != except) {
            diags.error_at(
                &at.then_attr("except"),
                "Exception Outside Range",
                format!(
                    "{} = {text:?} is not strictly inside any of the allowed CIDRs; Kubernetes rejects such an exception.",
                    at.then_attr("except")
                ),
            );
        }
    }
}

fn check_peer(peer: &PeerModel, at: &AttributePath, diags: &mut Diagnostics) {
    let cidr = peer.cidr.is_set();
    let selectors = peer.pod_selector.is_set() || peer.namespace_selector.is_set();
    if cidr && selectors {
        diags.error_at(
            at,
            "Invalid Peer",
            format!("{at} is either an IP block (`cidr`) or selectors, not both. Split it into two peers."),
        );
    }
    if peer.except.is_set() && !cidr {
        diags.error_at(
            &at.then_attr("except"),
            "Invalid Peer",
            format!("{}: `except` needs `cidr`.", at.then_attr("except")),
        );
    }
    if !cidr && !selectors {
        diags.error_at(
            at,
            "Empty Peer",
            format!(
                "{at} is empty: set `cidr`, `pod_selector` or `namespace_selector`. To allow any peer, leave the \
                 peer list empty."
            ),
        );
    }
    if let Some(cidr) = peer.cidr.get()
        && let Ok(outer) = parse_cidr(cidr)
    {
        for (i, e) in indexed(&peer.except) {
            if let Ok(inner) = parse_cidr(e)
                && !(contains(outer, inner) && outer != inner)
            {
                let here = at.then_attr("except").then_index(i);
                diags.error_at(
                    &here,
                    "Exception Outside Range",
                    format!("{here} = {e:?} is not strictly inside {cidr}."),
                );
            }
        }
    }
}

fn check_port(port: &PortModel, at: &AttributePath, diags: &mut Diagnostics) {
    let Some(p) = port.port.get() else {
        return;
    };
    let number = p.parse::<i64>().ok();
    let port_at = at.then_attr("port");
    match number {
        Some(n) if !(1..=65535).contains(&n) => diags.error_at(
            &port_at,
            "Invalid Port",
            format!("{port_at} = {p:?} is outside 1..65535."),
        ),
        None if crate::schema::validators::dns1123_label_problem(p, 15).is_some() => diags.error_at(
            &port_at,
            "Invalid Port",
            format!(
                "{port_at} = {p:?} is neither a number nor a named port (a DNS-1123 label of at most 15 characters)."
            ),
        ),
        _ => {}
    }
    if let Some(end) = port.end_port.value() {
        let end_at = at.then_attr("end_port");
        match number {
            None => diags.error_at(
                &end_at,
                "Invalid Port Range",
                format!("{end_at} = {end} needs a numeric port, not {p:?}."),
            ),
            Some(start) if end < start => diags.error_at(
                &end_at,
                "Invalid Port Range",
                format!("{end_at} = {end} is below port {start}."),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::FromNamespaces;
    use super::*;

    fn errors(f: impl FnOnce(&mut Diagnostics)) -> Vec<String> {
        let mut d = Diagnostics::new();
        f(&mut d);
        d.0.iter().map(|d| d.detail.clone()).collect()
    }

    #[test]
    fn messages_name_the_attribute_path() {
        let at = AttributePath::attr("ingress")
            .then_index(0)
            .then_attr("from")
            .then_index(1);
        let empty = errors(|d| check_peer(&PeerModel::default(), &at, d));
        assert!(empty[0].starts_with("ingress[0].from[1] is empty"), "{empty:?}");
        let port = PortModel {
            port: Tf::Known("0".into()),
            ..PortModel::default()
        };
        let at = AttributePath::attr("egress")
            .then_index(0)
            .then_attr("ports")
            .then_index(0);
        let bad = errors(|d| check_port(&port, &at, d));
        assert!(bad[0].starts_with("egress[0].ports[0].port = \"0\""), "{bad:?}");
        let names = Value::List(vec![Value::string("ok"), Value::string("team a")]);
        let bad = errors(|d| {
            crate::schema::validators::run(
                &namespace_names_validator(),
                &names,
                &AttributePath::attr("namespaces"),
                d,
            )
        });
        assert_eq!(bad.len(), 1);
        assert!(bad[0].starts_with("namespaces[1] = \"team a\""), "{bad:?}");
    }

    #[test]
    fn empty_preset_lists_and_empty_policies_are_refused() {
        let errors_of = |config: NetworkPolicyModel| {
            let mut d = Diagnostics::new();
            check_empty_lists(&config, &mut d);
            d.0.into_iter()
                .map(|d| d.path.map(|p| p.to_string()).unwrap_or_default())
                .collect::<Vec<_>>()
        };
        let config = NetworkPolicyModel {
            allow_ingress_from_namespaces: Tf::Known(FromNamespaces {
                namespaces: Tf::Known(vec![]),
                ports: Tf::Null,
            }),
            allow_egress_to_databases: Tf::Known(vec![Tf::Known(CidrPortsModel {
                cidrs: Tf::Known(vec!["10.0.0.0/24".into()]),
                ports: Tf::Known(vec![]),
            })]),
            ..NetworkPolicyModel::default()
        };
        assert_eq!(
            errors_of(config),
            [
                "allow_ingress_from_namespaces.namespaces",
                "allow_egress_to_databases[0].ports"
            ]
        );
        let deny_ingress = NetworkPolicyModel {
            deny_all_ingress: Tf::Known(false),
            ..NetworkPolicyModel::default()
        };
        assert_eq!(errors_of(deny_ingress), ["deny_all_ingress"]);
        let dns = NetworkPolicyModel {
            allow_dns: Tf::Known(true),
            ..NetworkPolicyModel::default()
        };
        assert!(errors_of(dns).is_empty());
    }

    #[test]
    fn cidrs() {
        assert!(parse_cidr("10.0.0.0/16").is_ok());
        assert!(parse_cidr("fd00::/8").is_ok());
        assert!(parse_cidr("10.0.0.1/16").unwrap_err().contains("10.0.0.0/16"));
        assert!(parse_cidr("10.0.0.0").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        let outer = parse_cidr("10.0.0.0/16").unwrap();
        assert!(contains(outer, parse_cidr("10.0.5.0/24").unwrap()));
        assert!(!contains(outer, parse_cidr("10.1.0.0/24").unwrap()));
    }
}
