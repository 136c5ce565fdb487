//! Import reads a live NetworkPolicy back as configuration: its pod selector, and every rule as a custom
//! `ingress` / `egress` rule, in order, so the policy it renders is the live one and an imported policy
//! (or the block `plan -generate-config-out` writes from it) plans no change. Presets are not recovered:
//! their rules are indistinguishable from custom rules of the same shape.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::value::Tf;

use super::model::{EgressRule, IngressRule, NetworkPolicyModel, PeerModel, PortModel};

/// Fills the configuration attributes of an import skeleton from the live object.
pub(super) fn from_live(live: &NetworkPolicy, state: &mut NetworkPolicyModel) {
    let Some(spec) = &live.spec else { return };
    let labels = selector(spec.pod_selector.as_ref());
    state.pod_selector = if labels.is_empty() { Tf::Null } else { Tf::Known(labels) };
    let types = spec.policy_types.clone().unwrap_or_default();
    let ingress: Vec<Tf<IngressRule>> = spec
        .ingress
        .iter()
        .flatten()
        .map(|r| {
            Tf::Known(IngressRule {
                from: peers(r.from.as_deref()),
                ports: ports(r.ports.as_deref()),
            })
        })
        .collect();
    let egress: Vec<Tf<EgressRule>> = spec
        .egress
        .iter()
        .flatten()
        .map(|r| {
            Tf::Known(EgressRule {
                to: peers(r.to.as_deref()),
                ports: ports(r.ports.as_deref()),
            })
        })
        .collect();
    // A direction listed in policyTypes without rules is a default deny.
    let deny = |kind: &str, empty: bool| {
        if empty && types.iter().any(|t| t == kind) {
            Tf::Known(true)
        } else {
            Tf::Null
        }
    };
    state.deny_all_ingress = deny("Ingress", ingress.is_empty());
    state.deny_all_egress = deny("Egress", egress.is_empty());
    state.ingress = if ingress.is_empty() {
        Tf::Null
    } else {
        Tf::Known(ingress)
    };
    state.egress = if egress.is_empty() { Tf::Null } else { Tf::Known(egress) };
}

fn selector(s: Option<&LabelSelector>) -> BTreeMap<String, String> {
    s.and_then(|s| s.match_labels.clone()).unwrap_or_default()
}

fn peers(list: Option<&[NetworkPolicyPeer]>) -> Tf<Vec<Tf<PeerModel>>> {
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return Tf::Null;
    };
    Tf::Known(
        list.iter()
            .map(|p| {
                let (cidr, except) = match &p.ip_block {
                    Some(b) => (
                        Tf::Known(b.cidr.clone()),
                        b.except
                            .clone()
                            .filter(|e| !e.is_empty())
                            .map_or(Tf::Null, |e| Tf::Known(e.into_iter().map(Tf::Known).collect())),
                    ),
                    None => (Tf::Null, Tf::Null),
                };
                Tf::Known(PeerModel {
                    pod_selector: Tf::from_option(p.pod_selector.as_ref().map(|s| selector(Some(s)))),
                    namespace_selector: Tf::from_option(p.namespace_selector.as_ref().map(|s| selector(Some(s)))),
                    cidr,
                    except,
                })
            })
            .collect(),
    )
}

fn ports(list: Option<&[NetworkPolicyPort]>) -> Tf<Vec<Tf<PortModel>>> {
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return Tf::Null;
    };
    Tf::Known(
        list.iter()
            .map(|p| {
                Tf::Known(PortModel {
                    port: Tf::from_option(p.port.as_ref().map(|port| match port {
                        IntOrString::Int(n) => n.to_string(),
                        IntOrString::String(s) => s.clone(),
                    })),
                    end_port: Tf::from_option(p.end_port.map(i64::from)),
                    protocol: Tf::Known(p.protocol.clone().unwrap_or_else(|| "TCP".to_owned())),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::network_policy::model::CidrPorts;
    use crate::resources::network_policy::render::network_policy;

    /// A policy with presets, read back, renders the same object from custom rules alone.
    #[test]
    fn a_policy_read_back_renders_the_same_object() {
        let mut model = NetworkPolicyModel {
            name: Tf::Known("api".into()),
            namespace: Tf::Known("prod".into()),
            pod_selector: Tf::Known([("app".to_owned(), "api".to_owned())].into()),
            allow_dns: Tf::Known(true),
            ..Default::default()
        };
        let mut policy = model.policy();
        policy.https_egress = Some((vec!["0.0.0.0/0".into()], vec!["169.254.169.254/32".into()]));
        policy.databases = vec![CidrPorts {
            cidrs: vec!["10.0.20.0/24".into()],
            ports: vec![5432],
        }];
        policy.same_namespace = Some(vec![5000]);
        policy.from_namespaces = Some((vec!["ingress".into()], vec![]));
        let live = network_policy(&policy);
        from_live(&live, &mut model);
        model.allow_dns = Tf::Null;
        assert!(model.egress.get().is_some_and(|e| e.len() == 3), "{model:?}");
        assert_eq!(network_policy(&model.policy()).spec, live.spec);
    }

    #[test]
    fn a_default_deny_without_rules_reads_back_as_deny_flags() {
        let model = NetworkPolicyModel {
            name: Tf::Known("deny".into()),
            namespace: Tf::Known("prod".into()),
            deny_all_ingress: Tf::Known(true),
            deny_all_egress: Tf::Known(true),
            ..Default::default()
        };
        let live = network_policy(&model.policy());
        let mut back = NetworkPolicyModel {
            name: model.name.clone(),
            namespace: model.namespace.clone(),
            ..Default::default()
        };
        from_live(&live, &mut back);
        assert_eq!(back.deny_all_ingress, Tf::Known(true));
        assert_eq!(back.deny_all_egress, Tf::Known(true));
        assert_eq!(back.pod_selector, Tf::Null);
        assert_eq!(network_policy(&back.policy()).spec, live.spec);
    }
}
