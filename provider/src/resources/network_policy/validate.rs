//! Checks made before anything is written: CIDRs, ports and ranges, peers, and contradictory settings.

use std::net::IpAddr;

use crate::diag::Diagnostics;
use crate::schema::Validator;
use crate::value::{AttributePath, Value};

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
pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    let root = AttributePath::root();
    if let Some(https) = config.attr("allow_https_egress").filter(|v| !v.is_null()) {
        check_except(https, &root.then_attr("allow_https_egress"), diags);
    }
    for (rules, peers) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in config
            .attr(rules)
            .and_then(Value::as_elements)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let at = root.then_attr(rules).then_index(i);
            for (j, peer) in rule
                .attr(peers)
                .and_then(Value::as_elements)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                check_peer(peer, &at.then_attr(peers).then_index(j), diags);
            }
            for (j, port) in rule
                .attr("ports")
                .and_then(Value::as_elements)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                check_port(port, &at.then_attr("ports").then_index(j), diags);
            }
        }
    }
    let has_egress_allow = ["allow_dns", "allow_https_egress", "allow_egress_to_databases", "egress"]
        .iter()
        .any(|a| {
            config
                .attr(a)
                .is_some_and(|v| !v.is_null() && v.as_bool() != Some(false))
        });
    if config.attr("deny_all_egress").and_then(Value::as_bool) == Some(false) && has_egress_allow {
        diags.error_at(
            &root.then_attr("deny_all_egress"),
            "Contradictory Settings",
            "Egress allow rules isolate the selected pods for egress (everything not allowed is denied), so \
             deny_all_egress = false cannot hold. Remove deny_all_egress or the egress rules.",
        );
    }
    let has_ingress_allow = [
        "allow_ingress_from_same_namespace",
        "allow_ingress_from_namespaces",
        "allow_ingress_from_load_balancer",
        "ingress",
    ]
    .iter()
    .any(|a| config.attr(a).is_some_and(|v| !v.is_null()));
    if config.attr("deny_all_ingress").and_then(Value::as_bool) == Some(false) && has_ingress_allow {
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
fn check_empty_lists(config: &Value, diags: &mut Diagnostics) {
    let root = AttributePath::root();
    let empty = |v: &Value, name: &str| {
        v.attr(name)
            .and_then(Value::as_elements)
            .is_some_and(<[Value]>::is_empty)
    };
    let mut refuse = |at: AttributePath, what: &str| {
        diags.error_at(
            &at,
            "Empty List Allows Everything",
            format!(
                "{at} is empty: Kubernetes reads an empty list as {what}. List at least one, or remove the preset."
            ),
        );
    };
    if let Some(ns) = config.attr("allow_ingress_from_namespaces").filter(|v| !v.is_null())
        && empty(ns, "namespaces")
    {
        refuse(
            root.then_attr("allow_ingress_from_namespaces").then_attr("namespaces"),
            "\"from every pod of every namespace\"",
        );
    }
    let lists: Vec<(AttributePath, &Value)> = config
        .attr("allow_ingress_from_load_balancer")
        .filter(|v| !v.is_null())
        .map(|lb| (root.then_attr("allow_ingress_from_load_balancer"), lb))
        .into_iter()
        .chain(
            config
                .attr("allow_egress_to_databases")
                .and_then(Value::as_elements)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, db)| (root.then_attr("allow_egress_to_databases").then_index(i), db)),
        )
        .collect();
    for (at, v) in lists {
        if empty(v, "cidrs") {
            refuse(at.then_attr("cidrs"), "\"every address\"");
        }
        if empty(v, "ports") {
            refuse(at.then_attr("ports"), "\"every port\"");
        }
    }
    let rules = [
        "deny_all_ingress",
        "deny_all_egress",
        "allow_dns",
        "allow_https_egress",
        "allow_ingress_from_same_namespace",
        "allow_ingress_from_namespaces",
        "allow_ingress_from_load_balancer",
        "allow_egress_to_databases",
        "ingress",
        "egress",
    ];
    let says_nothing = rules
        .iter()
        .all(|a| config.attr(a).is_none_or(|v| v.is_null() || v.as_bool() == Some(false)));
    if says_nothing && config.is_wholly_known() {
        diags.error_at(
            &root.then_attr("deny_all_ingress"),
            "Policy Without Rules",
            "The policy sets no deny and no allow rule: Kubernetes would still isolate the selected pods for ingress \
             (deny every incoming connection). Set deny_all_ingress = true if that is the intent, or add rules.",
        );
    }
}

fn check_except(v: &Value, at: &AttributePath, diags: &mut Diagnostics) {
    let parsed = |name: &str| -> Vec<(String, (IpAddr, u8))> {
        v.attr(name)
            .and_then(Value::as_elements)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| c.as_str().and_then(|s| parse_cidr(s).ok().map(|p| (s.to_owned(), p))))
            .collect()
    };
    let cidrs = match parsed("cidrs") {
        c if c.is_empty() && v.attr("cidrs").is_none_or(Value::is_null) => vec![(
            "0.0.0.0/0".to_owned(),
            parse_cidr("0.0.0.0/0").unwrap_or((IpAddr::from([0, 0, 0, 0]), 0)),
        )],
        c => c,
    };
    for (text, except) in parsed("except") {
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

fn check_peer(peer: &Value, at: &AttributePath, diags: &mut Diagnostics) {
    let set = |n: &str| peer.attr(n).is_some_and(|v| !v.is_null());
    if set("cidr") && (set("pod_selector") || set("namespace_selector")) {
        diags.error_at(
            at,
            "Invalid Peer",
            format!("{at} is either an IP block (`cidr`) or selectors, not both. Split it into two peers."),
        );
    }
    if set("except") && !set("cidr") {
        diags.error_at(
            &at.then_attr("except"),
            "Invalid Peer",
            format!("{}: `except` needs `cidr`.", at.then_attr("except")),
        );
    }
    if !set("cidr") && !set("pod_selector") && !set("namespace_selector") {
        diags.error_at(
            at,
            "Empty Peer",
            format!(
                "{at} is empty: set `cidr`, `pod_selector` or `namespace_selector`. To allow any peer, leave the \
                 peer list empty."
            ),
        );
    }
    if let (Some(cidr), Some(excepts)) = (
        peer.attr("cidr").and_then(Value::as_str),
        peer.attr("except").and_then(Value::as_elements),
    ) && let Ok(outer) = parse_cidr(cidr)
    {
        for (i, e) in excepts.iter().enumerate() {
            if let Some(Ok(inner)) = e.as_str().map(parse_cidr)
                && !(contains(outer, inner) && outer != inner)
            {
                let here = at.then_attr("except").then_index(i);
                diags.error_at(
                    &here,
                    "Exception Outside Range",
                    format!(
                        "{here} = {:?} is not strictly inside {cidr}.",
                        e.as_str().unwrap_or_default()
                    ),
                );
            }
        }
    }
}

fn check_port(port: &Value, at: &AttributePath, diags: &mut Diagnostics) {
    let Some(p) = port.attr("port").and_then(Value::as_str) else {
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
    if let Some(end) = port
        .attr("end_port")
        .and_then(Value::as_number)
        .and_then(|n| n.to_i64())
    {
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
        let empty = errors(|d| check_peer(&Value::object([("cidr", Value::Null)]), &at, d));
        assert!(empty[0].starts_with("ingress[0].from[1] is empty"), "{empty:?}");
        let port = Value::object([("port", Value::string("0")), ("end_port", Value::Null)]);
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
        let errors_of = |config: Value| {
            let mut d = Diagnostics::new();
            check_empty_lists(&config, &mut d);
            d.0.into_iter()
                .map(|d| d.path.map(|p| p.to_string()).unwrap_or_default())
                .collect::<Vec<_>>()
        };
        let list = |items: Vec<Value>| Value::List(items);
        let config = Value::object([
            (
                "allow_ingress_from_namespaces",
                Value::object([("namespaces", list(vec![])), ("ports", Value::Null)]),
            ),
            (
                "allow_egress_to_databases",
                list(vec![Value::object([
                    ("cidrs", list(vec![Value::string("10.0.0.0/24")])),
                    ("ports", list(vec![])),
                ])]),
            ),
        ]);
        assert_eq!(
            errors_of(config),
            [
                "allow_ingress_from_namespaces.namespaces",
                "allow_egress_to_databases[0].ports"
            ]
        );
        assert_eq!(
            errors_of(Value::object([("deny_all_ingress", Value::Bool(false))])),
            ["deny_all_ingress"]
        );
        assert!(errors_of(Value::object([("allow_dns", Value::Bool(true))])).is_empty());
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
