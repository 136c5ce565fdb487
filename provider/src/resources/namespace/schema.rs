//! What users write for `hub_namespace`, and the model decoded from it.

use crate::diag::Diagnostics;
use crate::schema::duration::parse_duration;
use crate::schema::{Attribute, Block, Nesting, Schema, validators};
use crate::value::{AttributePath, Value};

use super::model::DEFAULT_DELETE_TIMEOUT;

const LEVELS: &[&str] = &["privileged", "baseline", "restricted"];

/// Quota attributes and the ResourceQuota keys they set.
pub(super) const QUOTA_KEYS: &[(&str, &str)] = &[
    ("requests_cpu", "requests.cpu"),
    ("requests_memory", "requests.memory"),
    ("limits_cpu", "limits.cpu"),
    ("limits_memory", "limits.memory"),
    ("pods", "pods"),
    ("services", "services"),
    ("load_balancers", "services.loadbalancers"),
];

/// LimitRange attributes: (attribute, section of the Container limit, resource).
pub(super) const LIMIT_KEYS: &[(&str, &str, &str)] = &[
    ("default_request_cpu", "defaultRequest", "cpu"),
    ("default_request_memory", "defaultRequest", "memory"),
    ("default_limit_cpu", "default", "cpu"),
    ("default_limit_memory", "default", "memory"),
    ("max_cpu", "max", "cpu"),
    ("max_memory", "max", "memory"),
];

fn level(name: &str) -> Attribute {
    Attribute::string(name)
        .default_value("restricted")
        .validate(validators::one_of(LEVELS))
}

/// What a LimitRange attribute sets, for the docs.
fn limit_description(section: &str, resource: &str) -> String {
    let what = if resource == "cpu" { "CPU" } else { "Memory" };
    match section {
        "defaultRequest" => format!("{what} request of containers that set none (LimitRange `defaultRequest`)."),
        "default" => format!("{what} limit of containers that set none (LimitRange `default`)."),
        _ => format!(
            "Largest {} limit a container may set (LimitRange `{section}`).",
            what.replace("Memory", "memory")
        ),
    }
}

pub(super) fn pod_security_default() -> Value {
    Value::object([
        ("enforce", Value::string("restricted")),
        ("audit", Value::string("restricted")),
        ("warn", Value::string("restricted")),
        ("version", Value::string("latest")),
    ])
}

pub(super) fn schema() -> Schema {
    let quota = QUOTA_KEYS.iter().map(|(attr, key)| {
        if key.contains("cpu") || key.contains("memory") {
            let example = if key.contains("cpu") {
                "`\"8\"` or `\"7500m\"`"
            } else {
                "`\"16Gi\"`"
            };
            Attribute::string(*attr)
                .validate(validators::quantity())
                .description(format!("Hard limit `{key}`: the namespace's total, e.g. {example}."))
        } else {
            Attribute::number(*attr)
                .validate(validators::int_between(0, 1_000_000))
                .description(format!("Hard limit `{key}`: how many the namespace may hold."))
        }
    });
    let limits = LIMIT_KEYS.iter().map(|(attr, section, resource)| {
        Attribute::string(*attr)
            .validate(validators::quantity())
            .description(limit_description(section, resource))
    });
    Schema::new(Block::new(
        "A Kubernetes namespace with Pod Security Standards (`restricted` by default), an optional quota, \
         default container limits and default-deny network policy. Deleting it waits until the namespace is \
         really gone and, when it is not within `delete_timeout`, says what is holding it.",
        vec![
            Attribute::string("name")
                .required()
                .requires_replace()
                .validate(validators::dns1123_label())
                .description("Namespace name (DNS-1123 label)."),
            Attribute::string_map("labels")
                .validate(validators::kubernetes_labels(true))
                .description("Labels hub manages on the namespace. Labels set by others are left alone."),
            Attribute::string_map("annotations")
                .validate(validators::kubernetes_labels(false))
                .description("Annotations hub manages on the namespace. Annotations set by others are left alone."),
            Attribute::nested(
                "pod_security",
                Nesting::Single,
                vec![
                    level("enforce").description("Level pods must meet to be admitted."),
                    level("audit").description("Level whose violations are audited."),
                    level("warn").description("Level whose violations are returned as warnings."),
                    Attribute::string("version").default_value("latest").validate(super::validate::pss_version()).description("Policy version to pin, e.g. `v1.35`, or `latest`."),
                ],
            )
            .default_value(pod_security_default())
            .description("Pod Security Standards levels (`privileged`, `baseline`, `restricted`) as `pod-security.kubernetes.io/*` labels."),
            Attribute::nested("resource_quota", Nesting::Single, quota.collect())
                .description("A ResourceQuota `hub-quota` for the namespace. Null: none."),
            Attribute::nested("limit_range", Nesting::Single, limits.collect())
                .description("A LimitRange `hub-limits` giving containers default requests and limits. Null: none."),
            Attribute::bool("default_deny")
                .default_value(false)
                .description("Add a NetworkPolicy `hub-default-deny` that denies all ingress and egress except DNS to kube-dns (UDP and TCP 53)."),
            Attribute::bool("alb_pod_readiness_gate")
                .description(format!("Default `false`. Label the namespace `{}: {}`, so that the AWS Load Balancer Controller injects its pod readiness gate into new pods behind an ALB or NLB with target type `ip` (`hub_app`'s default): a rollout then goes on only once the new pods are healthy in the target group, so it never leaves the load balancer with only draining targets. Pods that exist keep their spec: they get the gate when they are next replaced. False: hub leaves the label alone unless it set it.", super::render::READINESS_GATE_LABEL.0, super::render::READINESS_GATE_LABEL.1)),
            Attribute::string("delete_timeout")
                .default_value(DEFAULT_DELETE_TIMEOUT)
                .validate(duration_validator())
                .description("How long destroy waits for the namespace to disappear, e.g. `90s`, `5m`."),
            Attribute::string("id").computed().use_state_for_unknown().description("The namespace name."),
            Attribute::string("uid").computed().use_state_for_unknown().description("The namespace's Kubernetes UID."),
        ],
    ))
}

fn duration_validator() -> crate::schema::Validator {
    crate::schema::Validator::new("a duration", |v, path: &AttributePath, diags: &mut Diagnostics| {
        if let Some(s) = v.as_str()
            && parse_duration(s).is_none()
        {
            diags.error_at(
                path,
                "Invalid Duration",
                format!("{path} = {s:?} is not a duration. Examples: \"90s\", \"5m\", \"1h30m\"."),
            );
        }
    })
}
