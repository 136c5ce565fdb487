//! The typed model of `hub_app`: configuration, plan and state. Field names are attribute names; the
//! drift check in `resources` keeps this struct and `schema.rs` in step.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::value::Tf;

/// A map of strings, as most label and annotation attributes are.
pub type Strings = BTreeMap<String, String>;

/// One `hub_app`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppModel {
    pub name: Tf<String>,
    pub namespace: Tf<String>,
    pub image: Tf<String>,
    pub command: Tf<Vec<String>>,
    pub args: Tf<Vec<String>>,
    pub port: Tf<i64>,
    pub labels: Tf<Strings>,
    pub annotations: Tf<Strings>,
    pub pod_annotations: Tf<Strings>,
    pub env: Tf<Strings>,
    pub config: Tf<Strings>,
    pub config_map_name: Tf<String>,
    pub config_mount_path: Tf<String>,
    pub secret_env: Tf<Strings>,
    pub secret_name: Tf<String>,
    pub secret_env_wo: Tf<Strings>,
    pub secret_env_wo_version: Tf<i64>,
    pub resources: Tf<Resources>,
    pub probes_enabled: Tf<bool>,
    pub liveness: Tf<Probe>,
    pub readiness: Tf<Probe>,
    pub startup: Tf<Probe>,
    pub security: Tf<Security>,
    pub replicas: Tf<i64>,
    pub max_surge: Tf<String>,
    pub max_unavailable: Tf<String>,
    pub zone_spread: Tf<String>,
    pub node_selector: Tf<Strings>,
    pub tolerations: Tf<Vec<Toleration>>,
    pub priority_class_name: Tf<String>,
    pub termination_grace_period_seconds: Tf<i64>,
    pub service: Tf<Service>,
    pub ingress: Tf<Ingress>,
    pub autoscaling: Tf<Autoscaling>,
    pub disruption_budget: Tf<DisruptionBudget>,
    pub service_account: Tf<ServiceAccount>,
    pub rbac: Tf<Rbac>,
    pub rollout: Tf<Rollout>,
    pub adopt_existing: Tf<bool>,
    pub force_conflicts: Tf<bool>,
    pub delete_timeout: Tf<String>,
    pub rendered: Tf<Strings>,
    pub replacements: Tf<Strings>,
    pub last_rollout_error: Tf<String>,
    pub selector: Tf<Strings>,
    pub service_dns: Tf<String>,
    pub service_account_name: Tf<String>,
    pub id: Tf<String>,
    pub instance_id: Tf<String>,
}

/// Container requests and limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    pub cpu_request: Option<String>,
    pub memory_request: Option<String>,
    pub cpu_limit: Option<String>,
    pub memory_limit: Option<String>,
}

/// A liveness, readiness or startup probe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    pub http_path: Option<String>,
    pub tcp: Option<bool>,
    pub exec: Option<Vec<String>>,
    pub grpc: Option<bool>,
    pub port: Option<i64>,
    pub initial_delay_seconds: Option<i64>,
    pub period_seconds: Option<i64>,
    pub timeout_seconds: Option<i64>,
    pub failure_threshold: Option<i64>,
}

/// The container's security context.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    pub run_as_user: Option<i64>,
    pub run_as_group: Option<i64>,
    pub read_only_root_filesystem: Option<bool>,
    pub allow_privilege_escalation: Option<bool>,
    pub automount_service_account_token: Option<bool>,
}

/// One toleration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Toleration {
    pub key: Option<String>,
    pub operator: Option<String>,
    pub value: Option<String>,
    pub effect: Option<String>,
}

/// The Service in front of the pods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub enabled: Option<bool>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub port: Option<i64>,
    pub node_port: Option<i64>,
    pub name: Option<String>,
    pub annotations: Option<Strings>,
}

/// The Ingress for the AWS Load Balancer Controller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ingress {
    pub hosts: Option<Vec<String>>,
    pub path: Option<String>,
    pub class: Option<String>,
    pub scheme: Option<String>,
    pub target_type: Option<String>,
    pub certificate_arn: Option<String>,
    pub ssl_redirect: Option<bool>,
    pub health_check_path: Option<String>,
    pub group_name: Option<String>,
    pub annotations: Option<Strings>,
}

/// The HorizontalPodAutoscaler.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Autoscaling {
    pub min_replicas: Tf<i64>,
    pub max_replicas: Tf<i64>,
    pub cpu_percent: Option<i64>,
    pub memory_percent: Option<i64>,
    pub scale_down_stabilization_seconds: Option<i64>,
    pub scale_up_stabilization_seconds: Option<i64>,
    pub scale_down_policies: Option<Vec<ScalingPolicy>>,
    pub scale_up_policies: Option<Vec<ScalingPolicy>>,
    pub scale_down_select_policy: Option<String>,
    pub scale_up_select_policy: Option<String>,
}

/// One HPA scaling policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalingPolicy {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub value: Option<i64>,
    pub period_seconds: Option<i64>,
}

/// The PodDisruptionBudget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisruptionBudget {
    pub min_available: Option<String>,
    pub max_unavailable: Option<String>,
}

/// The pods' ServiceAccount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceAccount {
    pub create: Option<bool>,
    pub name: Tf<String>,
    pub annotations: Option<Strings>,
    pub irsa: Tf<Irsa>,
}

/// The IAM role of the pods, from a `hub_irsa_binding`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Irsa {
    pub namespace: Option<String>,
    pub service_account: Option<String>,
    pub role_arn: Option<String>,
}

/// App-scoped RBAC.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rbac {
    pub rules: Option<Vec<RbacRule>>,
    pub allow_wildcards: Option<bool>,
}

/// One Role rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RbacRule {
    pub api_groups: Option<Vec<String>>,
    pub resources: Option<Vec<String>>,
    pub verbs: Option<Vec<String>>,
    pub resource_names: Option<Vec<String>>,
}

/// Rollout waiting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    pub wait: Option<bool>,
    pub timeout: Option<String>,
    pub on_failure: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_holds_exactly_the_schema() {
        let ty = super::super::schema::schema().implied_type();
        assert_eq!(crate::framework::drift::check_model::<AppModel>(&ty), Ok(()));
    }
}
