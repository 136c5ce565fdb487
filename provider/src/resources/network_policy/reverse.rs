//! Import reads a live NetworkPolicy back as configuration: its pod selector, the presets its leading
//! rules have the shape of ([`super::presets_back`]), and every other rule as a custom `ingress` / `egress`
//! rule, in order. The result is kept only if it renders the live spec exactly (otherwise every rule is
//! read back as a custom rule), so an imported policy, or the block `plan -generate-config-out` writes from
//! it, plans no change.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::value::Tf;

use super::model::{EgressRule, IngressRule, NetworkPolicyModel, PeerModel, PortModel};
use super::presets_back;
use super::render::network_policy;

/// Fills the configuration attributes of an import skeleton from the live object.
pub(super) fn from_live(live: &NetworkPolicy, state: &mut NetworkPolicyModel) {
    let skeleton = state.clone();
    read_back(live, state, true);
    if network_policy(&state.policy()).spec != live.spec {
        *state = skeleton;
        read_back(live, state, false);
    }
}

fn read_back(live: &NetworkPolicy, state: &mut NetworkPolicyModel, presets: bool) {
    let Some(spec) = &live.spec else { return };
    let labels = selector(spec.pod_selector.as_ref());
    state.pod_selector = if labels.is_empty() { Tf::Null } else { Tf::Known(labels) };
    let types = spec.policy_types.clone().unwrap_or_default();
    let mut ingress_rules = spec.ingress.as_deref().unwrap_or_default();
    let mut egress_rules = spec.egress.as_deref().unwrap_or_default();
    if presets {
        ingress_rules = presets_back::ingress(ingress_rules, state);
        egress_rules = presets_back::egress(egress_rules, state);
    }
    let ingress: Vec<Tf<IngressRule>> = ingress_rules
        .iter()
        .map(|r| {
            Tf::Known(IngressRule {
                from: peers(r.from.as_deref()),
                ports: ports(r.ports.as_deref()),
            })
        })
        .collect();
    let egress: Vec<Tf<EgressRule>> = egress_rules
        .iter()
        .map(|r| {
            Tf::Known(EgressRule {
                to: peers(r.to.as_deref()),
                ports: ports(r.ports.as_deref()),
            })
        })
        .collect();
    // A direction listed in policyTypes without rules is a default deny.
    let deny = |kind: &str, rules: usize| {
        if rules == 0 && types.iter().any(|t| t == kind) {
            Tf::Known(true)
        } else {
            Tf::Null
        }
    };
    state.deny_all_ingress = deny("Ingress", spec.ingress.as_ref().map_or(0, Vec::len));
    state.deny_all_egress = deny("Egress", spec.egress.as_ref().map_or(0, Vec::len));
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

    /// A policy with every preset, read back, has them all again and renders the same object.
    #[test]
    fn a_policy_read_back_renders_the_same_object() {
        let model = NetworkPolicyModel {
            name: Tf::Known("api".into()),
            namespace: Tf::Known("prod".into()),
            pod_selector: Tf::Known([("app".to_owned(), "api".to_owned())].into()),
            allow_dns: Tf::Known(true),
            allow_pod_identity_agent: Tf::Known(true),
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
        let mut back = NetworkPolicyModel {
            name: model.name.clone(),
            namespace: model.namespace.clone(),
            ..Default::default()
        };
        from_live(&live, &mut back);
        assert_eq!(back.allow_dns, Tf::Known(true));
        assert_eq!(back.allow_pod_identity_agent, Tf::Known(true));
        assert!(back.allow_https_egress.is_set() && back.allow_ingress_from_same_namespace.is_set());
        assert!(back.allow_ingress_from_namespaces.is_set());
        assert_eq!(back.allow_egress_to_databases.get().map(Vec::len), Some(1));
        assert!(back.ingress.is_null() && back.egress.is_null(), "{back:?}");
        assert_eq!(network_policy(&back.policy()).spec, live.spec);
    }

    /// Rules of no preset's shape stay custom rules, in order, after the presets.
    #[test]
    fn custom_rules_after_presets_stay_custom() {
        let mut policy = NetworkPolicyModel {
            name: Tf::Known("api".into()),
            namespace: Tf::Known("prod".into()),
            ..Default::default()
        }
        .policy();
        policy.allow_dns = true;
        policy.egress = vec![super::super::model::Rule {
            peers: vec![super::super::model::Peer {
                pod_selector: Some([("app".to_owned(), "db".to_owned())].into()),
                namespace_selector: None,
                cidr: None,
                except: vec![],
            }],
            ports: vec![super::super::model::Port {
                port: "5432".into(),
                end_port: None,
                protocol: "TCP".into(),
            }],
        }];
        let live = network_policy(&policy);
        let mut back = NetworkPolicyModel {
            name: Tf::Known("api".into()),
            namespace: Tf::Known("prod".into()),
            ..Default::default()
        };
        from_live(&live, &mut back);
        assert_eq!(back.allow_dns, Tf::Known(true));
        assert_eq!(back.egress.get().map(Vec::len), Some(1));
        assert_eq!(network_policy(&back.policy()).spec, live.spec);
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
