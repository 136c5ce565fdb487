//! What users write for `hub_network_policy`: presets for the rules teams actually need, plus custom rules
//! for everything else.

use crate::schema::{Attribute, Block, Nesting, Schema, validators};

use super::validate::{cidr_validator, namespace_names_validator, port_validator};

fn ports(description: &str) -> Attribute {
    Attribute::new("ports", crate::value::Type::list(crate::value::Type::Number))
        .validate(port_validator())
        .description(description)
}

fn cidrs(name: &str, description: &str) -> Attribute {
    Attribute::string_list(name)
        .validate(cidr_validator())
        .description(description)
}

fn peer() -> Vec<Attribute> {
    vec![
        Attribute::string_map("pod_selector")
            .validate(validators::kubernetes_labels(true))
            .description("Pods with these labels."),
        Attribute::string_map("namespace_selector")
            .validate(validators::kubernetes_labels(true))
            .description("Namespaces with these labels (`{}` = all namespaces)."),
        Attribute::string("cidr")
            .validate(cidr_validator())
            .description("An IP block."),
        cidrs("except", "Parts of `cidr` to exclude."),
    ]
}

fn port() -> Vec<Attribute> {
    vec![
        Attribute::string("port")
            .required()
            .description("Port number or named port."),
        Attribute::number("end_port")
            .validate(validators::int_between(1, 65535))
            .description("Last port of a range."),
        Attribute::string("protocol")
            .default_value("TCP")
            .validate(validators::one_of(&["TCP", "UDP", "SCTP"]))
            .description("`TCP` (default), `UDP` or `SCTP`."),
    ]
}

fn custom_rules(name: &str, peers: &str, description: &str) -> Attribute {
    Attribute::nested(
        name,
        Nesting::List,
        vec![
            Attribute::nested(peers, Nesting::List, peer()).description("Peers; empty or null = any."),
            Attribute::nested("ports", Nesting::List, port()).description("Ports; empty or null = all."),
        ],
    )
    .description(description)
}

pub(super) fn schema() -> Schema {
    Schema::new(Block::new(
        "A Kubernetes NetworkPolicy built from presets (default deny, DNS, HTTPS, databases, same namespace, \
         load balancer) and custom rules. The rendered object is shown in the plan as `rendered`.",
        vec![
            Attribute::string("name").required().requires_replace().validate(validators::dns1123_label()).description("Policy name."),
            Attribute::string("namespace").required().requires_replace().validate(validators::dns1123_label()).description("Namespace."),
            Attribute::string_map("pod_selector")
                .validate(validators::kubernetes_labels(true))
                .description("Labels of the pods the policy applies to; null or `{}` selects every pod. Pass `hub_app.x.selector` to follow an app."),
            Attribute::bool("deny_all_ingress").description("Isolate the pods for ingress: only what the allow rules list may connect."),
            Attribute::bool("deny_all_egress").description("Isolate the pods for egress: only what the allow rules list may be reached."),
            Attribute::bool("allow_dns").description("Allow DNS to kube-dns in kube-system on UDP **and** TCP 53 (TCP is needed for large answers)."),
            Attribute::bool("allow_pod_identity_agent").description("Allow egress to the EKS Pod Identity agent (`169.254.170.23/32` and `fd00:ec2::23/128`, TCP 80), where pods of a `pod_identity` binding get their credentials: without it a default-deny egress policy leaves them with none."),
            Attribute::nested(
                "allow_https_egress",
                Nesting::Single,
                vec![
                    cidrs("cidrs", "Destinations; default `[\"0.0.0.0/0\"]`."),
                    cidrs("except", "Destinations to exclude, e.g. the instance metadata endpoint `169.254.169.254/32`."),
                ],
            )
            .description("Allow egress on TCP 443."),
            Attribute::nested("allow_ingress_from_same_namespace", Nesting::Single, vec![ports("Ports; empty = all.")])
                .description("Allow ingress from every pod in the same namespace."),
            Attribute::nested(
                "allow_ingress_from_namespaces",
                Nesting::Single,
                vec![
                    Attribute::string_list("namespaces")
                        .required()
                        .validate(namespace_names_validator())
                        .description("Namespace names."),
                    ports("Ports; empty = all."),
                ],
            )
            .description("Allow ingress from every pod in the named namespaces."),
            Attribute::nested(
                "allow_ingress_from_load_balancer",
                Nesting::Single,
                vec![
                    cidrs("cidrs", "The VPC CIDR(s) the load balancer's nodes use (ALB target type `ip`).").required(),
                    ports("The app's port(s).").required(),
                ],
            )
            .description("Allow ingress from the load balancer's addresses on the app's port."),
            Attribute::nested(
                "allow_egress_to_databases",
                Nesting::List,
                vec![
                    cidrs("cidrs", "Database subnets.").required(),
                    ports("Ports, e.g. 5432 (PostgreSQL), 6379 (Redis).").required(),
                ],
            )
            .description("Allow egress to databases by CIDR and port."),
            custom_rules("ingress", "from", "Custom ingress rules."),
            custom_rules("egress", "to", "Custom egress rules."),
            Attribute::string("enforcement_check")
                .default_value("warn")
                .validate(validators::one_of(&["off", "warn", "error"]))
                .description("At plan, ask EKS (`DescribeAddon` of `vpc-cni`) whether NetworkPolicies are enforced: `warn` (default) adds a warning when they would be stored but not enforced, `error` refuses the plan, `off` skips the check. Runs when the provider is in EKS mode or `cluster_name` is set; when AWS cannot answer, it is a warning."),
            Attribute::string("cluster_name").description("EKS cluster to check enforcement on (default: the provider's `cluster_name`)."),
            Attribute::string("rendered").computed().description("The NetworkPolicy as JSON, exactly as applied."),
            Attribute::string("id").computed().use_state_for_unknown().description("`namespace/name`."),
        ],
    ))
}
