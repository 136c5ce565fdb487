//! NetworkPolicy rules more than one resource writes (a namespace's default-deny policy and the DNS
//! and Pod Identity agent presets of `hub_network_policy`), kept in one place so both allow the same thing.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{IPBlock, NetworkPolicyEgressRule, NetworkPolicyPeer, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

fn labels(key: &str, value: &str) -> LabelSelector {
    LabelSelector {
        match_labels: Some(BTreeMap::from([(key.to_owned(), value.to_owned())])),
        ..Default::default()
    }
}

fn port(protocol: &str, port: i32) -> NetworkPolicyPort {
    NetworkPolicyPort {
        port: Some(IntOrString::Int(port)),
        protocol: Some(protocol.into()),
        end_port: None,
    }
}

/// Egress to kube-dns in kube-system on UDP and TCP 53: the rule default-deny setups most often get wrong.
pub fn dns_egress() -> NetworkPolicyEgressRule {
    NetworkPolicyEgressRule {
        to: Some(vec![NetworkPolicyPeer {
            namespace_selector: Some(labels("kubernetes.io/metadata.name", "kube-system")),
            pod_selector: Some(labels("k8s-app", "kube-dns")),
            ..Default::default()
        }]),
        ports: Some(vec![port("UDP", 53), port("TCP", 53)]),
    }
}

/// The EKS Pod Identity agent's link-local endpoints (IPv4 and its IPv6 twin): pods fetch their credentials
/// there, so a default-deny egress policy without this rule leaves a Pod Identity app with no credentials.
pub const POD_IDENTITY_AGENT_CIDRS: [&str; 2] = ["169.254.170.23/32", "fd00:ec2::23/128"];

/// Egress to the Pod Identity agent on TCP 80.
pub fn pod_identity_agent_egress() -> NetworkPolicyEgressRule {
    NetworkPolicyEgressRule {
        to: Some(
            POD_IDENTITY_AGENT_CIDRS
                .iter()
                .map(|cidr| NetworkPolicyPeer {
                    ip_block: Some(IPBlock {
                        cidr: (*cidr).to_owned(),
                        except: None,
                    }),
                    ..Default::default()
                })
                .collect(),
        ),
        ports: Some(vec![port("TCP", 80)]),
    }
}
