//! The typed model of `hub_app`: configuration, plan and state. Field names are attribute names; the
//! drift check in `resources` keeps this struct and `schema.rs` in step.
//!
//! The maps and lists a user writes hold each entry as a [`Tf`], and nested objects each attribute, so
//! that checks made at plan still see the known parts of a value that is partly unknown
//! (`env = { A = "x", B = aws_x.y.arn }`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::k8s::labels::ROLE_ARN_ANNOTATION;
use crate::value::Tf;

/// A map of strings hub computes.
pub(super) type Strings = BTreeMap<String, String>;

/// A map the user writes; entries may be unknown during plan.
pub(super) type UserMap = BTreeMap<String, Tf<String>>;

/// A list of strings the user writes; elements may be unknown during plan.
pub(super) type UserList = Vec<Tf<String>>;

/// One `hub_app`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppModel {
    pub name: Tf<String>,
    pub namespace: Tf<String>,
    pub image: Tf<String>,
    pub command: Tf<Vec<String>>,
    pub args: Tf<Vec<String>>,
    pub port: Tf<i64>,
    pub port_name: Tf<String>,
    pub unnamed_port: Tf<bool>,
    pub ports: Tf<BTreeMap<String, Tf<NamedPort>>>,
    pub labels: Tf<UserMap>,
    pub pod_labels: Tf<UserMap>,
    pub pod_selector: Tf<UserMap>,
    pub annotations: Tf<UserMap>,
    pub pod_annotations: Tf<UserMap>,
    pub env: Tf<UserMap>,
    pub config: Tf<UserMap>,
    pub config_map_name: Tf<String>,
    pub config_mount_path: Tf<String>,
    pub volumes: Tf<BTreeMap<String, Tf<Volume>>>,
    pub volume_mounts: Tf<Vec<Tf<VolumeMount>>>,
    pub init_containers: Tf<Vec<Tf<InitContainer>>>,
    pub cron_jobs: Tf<BTreeMap<String, Tf<CronJob>>>,
    pub secret_env: Tf<UserMap>,
    pub secret_name: Tf<String>,
    pub secret_env_wo: Tf<UserMap>,
    pub secret_env_wo_version: Tf<i64>,
    pub env_from_secret: Tf<KeyRefs>,
    pub env_from_config_map: Tf<KeyRefs>,
    pub env_from: Tf<Vec<Tf<EnvFrom>>>,
    pub resources: Tf<Resources>,
    pub probes_enabled: Tf<bool>,
    pub liveness: Tf<Probe>,
    pub readiness: Tf<Probe>,
    pub startup: Tf<Probe>,
    pub security: Tf<Security>,
    pub pod_security: Tf<PodSecurity>,
    pub pod_defaults: Tf<String>,
    pub container_name: Tf<String>,
    pub replicas: Tf<i64>,
    pub max_surge: Tf<String>,
    pub max_unavailable: Tf<String>,
    pub zone_spread: Tf<String>,
    pub node_spread: Tf<String>,
    pub node_affinity: Tf<NodeAffinity>,
    pub image_pull_secrets: Tf<UserList>,
    pub runtime_class_name: Tf<String>,
    pub node_selector: Tf<UserMap>,
    pub tolerations: Tf<Vec<Tf<Toleration>>>,
    pub priority_class_name: Tf<String>,
    pub termination_grace_period_seconds: Tf<i64>,
    pub service: Tf<Service>,
    pub ingress: Tf<Ingress>,
    pub autoscaling: Tf<Autoscaling>,
    pub disruption_budget: Tf<DisruptionBudget>,
    pub service_account: Tf<ServiceAccount>,
    pub rbac: Tf<Rbac>,
    pub rollout: Tf<Rollout>,
    pub migration: Tf<Migration>,
    pub adopt_existing: Tf<bool>,
    pub force_conflicts: Tf<bool>,
    pub adopt_from_helm: Tf<bool>,
    pub delete_timeout: Tf<String>,
    pub rendered: Tf<Strings>,
    pub replacements: Tf<Strings>,
    pub last_rollout_error: Tf<String>,
    pub migration_revision: Tf<String>,
    pub selector: Tf<Strings>,
    pub service_dns: Tf<String>,
    pub service_account_name: Tf<String>,
    pub id: Tf<String>,
    pub instance_id: Tf<String>,
}

/// Environment variables read from single keys of Secrets or ConfigMaps hub does not own, by variable name.
pub(super) type KeyRefs = BTreeMap<String, Tf<KeyRef>>;

/// One key of a Secret or ConfigMap hub does not own (`secretKeyRef` / `configMapKeyRef`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeyRef {
    pub name: Tf<String>,
    pub key: Tf<String>,
    pub optional: Tf<bool>,
}

/// A whole Secret or ConfigMap hub does not own, as environment variables (`envFrom`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnvFrom {
    pub secret: Tf<String>,
    pub config_map: Tf<String>,
    pub prefix: Tf<String>,
    pub optional: Tf<bool>,
}

/// An extra named container port (`ports`), optionally on the Service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NamedPort {
    pub port: Tf<i64>,
    pub protocol: Tf<String>,
    pub service: Tf<bool>,
    pub service_port: Tf<i64>,
}

/// Node affinity: terms a node must match, and terms that make a node preferred.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NodeAffinity {
    pub required: Tf<Vec<Tf<NodeTerm>>>,
    pub preferred: Tf<Vec<Tf<PreferredNodeTerm>>>,
}

/// A node selector term: every expression must match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NodeTerm {
    pub match_expressions: Tf<Vec<Tf<MatchExpression>>>,
}

/// A weighted node selector term.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PreferredNodeTerm {
    pub weight: Tf<i64>,
    pub match_expressions: Tf<Vec<Tf<MatchExpression>>>,
}

/// One node label requirement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MatchExpression {
    pub key: Tf<String>,
    pub operator: Tf<String>,
    pub values: Tf<UserList>,
}

/// One pod volume (`volumes`): exactly one source is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Volume {
    pub secret: Tf<ObjectVolume>,
    pub config_map: Tf<ObjectVolume>,
    pub empty_dir: Tf<EmptyDir>,
    pub persistent_volume_claim: Tf<ExistingClaim>,
    pub secrets_store: Tf<SecretsStore>,
    pub claim: Tf<Claim>,
}

/// Files from a Secret or ConfigMap hub does not own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ObjectVolume {
    pub name: Tf<String>,
    pub items: Tf<UserMap>,
    pub default_mode: Tf<String>,
    pub optional: Tf<bool>,
}

/// A scratch directory that lives as long as the pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EmptyDir {
    pub size_limit: Tf<String>,
    pub medium: Tf<String>,
}

/// A PersistentVolumeClaim hub does not own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExistingClaim {
    pub claim_name: Tf<String>,
    pub read_only: Tf<bool>,
}

/// A Secrets Store CSI driver volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecretsStore {
    pub secret_provider_class: Tf<String>,
    pub driver: Tf<String>,
    pub read_only: Tf<bool>,
}

/// A PersistentVolumeClaim hub creates (`<app>-<volume>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Claim {
    pub storage_class: Tf<String>,
    pub size: Tf<String>,
    pub access_mode: Tf<String>,
    pub retain_on_destroy: Tf<bool>,
}

/// Where a volume is mounted in the container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VolumeMount {
    pub volume: Tf<String>,
    pub mount_path: Tf<String>,
    pub read_only: Tf<bool>,
    pub sub_path: Tf<String>,
}

/// An init container, or a native sidecar (`sidecar`), run before the app's container in the order written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InitContainer {
    pub name: Tf<String>,
    pub image: Tf<String>,
    pub command: Tf<Vec<String>>,
    pub args: Tf<Vec<String>>,
    pub env: Tf<UserMap>,
    pub resources: Tf<Resources>,
    pub volume_mounts: Tf<Vec<Tf<VolumeMount>>>,
    pub security: Tf<ContainerSecurity>,
    pub sidecar: Tf<bool>,
}

/// An init container's security context; what is null is the app container's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContainerSecurity {
    pub run_as_user: Tf<i64>,
    pub run_as_group: Tf<i64>,
    pub read_only_root_filesystem: Tf<bool>,
    pub allow_privilege_escalation: Tf<bool>,
}

/// Container requests and limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Resources {
    pub cpu_request: Tf<String>,
    pub memory_request: Tf<String>,
    pub cpu_limit: Tf<String>,
    pub memory_limit: Tf<String>,
}

/// One of `cron_jobs`: the app's pod on a schedule, with its own command.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CronJob {
    pub schedule: Tf<String>,
    pub time_zone: Tf<String>,
    pub command: Tf<UserList>,
    pub args: Tf<UserList>,
    pub concurrency_policy: Tf<String>,
    pub suspend: Tf<bool>,
    pub backoff_limit: Tf<i64>,
    pub active_deadline_seconds: Tf<i64>,
    pub starting_deadline_seconds: Tf<i64>,
    pub successful_jobs_history_limit: Tf<i64>,
    pub failed_jobs_history_limit: Tf<i64>,
}

/// A liveness, readiness or startup probe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Probe {
    pub http_path: Tf<String>,
    pub tcp: Tf<bool>,
    pub exec: Tf<UserList>,
    pub grpc: Tf<bool>,
    pub port: Tf<i64>,
    pub port_name: Tf<String>,
    pub initial_delay_seconds: Tf<i64>,
    pub period_seconds: Tf<i64>,
    pub timeout_seconds: Tf<i64>,
    pub failure_threshold: Tf<i64>,
}

/// The container's security context.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Security {
    pub run_as_user: Tf<i64>,
    pub run_as_group: Tf<i64>,
    pub read_only_root_filesystem: Tf<bool>,
    pub allow_privilege_escalation: Tf<bool>,
    pub automount_service_account_token: Tf<bool>,
    pub run_as_non_root: Tf<bool>,
    pub capabilities_drop: Tf<UserList>,
    pub seccomp_profile: Tf<String>,
}

/// The pod's security context, when it is not hub's (see `pod_defaults.rs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PodSecurity {
    pub run_as_user: Tf<i64>,
    pub run_as_group: Tf<i64>,
    pub run_as_non_root: Tf<bool>,
    pub fs_group: Tf<i64>,
    pub seccomp_profile: Tf<String>,
}

/// One toleration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Toleration {
    pub key: Tf<String>,
    pub operator: Tf<String>,
    pub value: Tf<String>,
    pub effect: Tf<String>,
}

/// The Service in front of the pods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Service {
    pub enabled: Tf<bool>,
    #[serde(rename = "type")]
    pub kind: Tf<String>,
    pub port: Tf<i64>,
    pub node_port: Tf<i64>,
    pub name: Tf<String>,
    pub annotations: Tf<UserMap>,
}

/// The Ingress for the AWS Load Balancer Controller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Ingress {
    pub hosts: Tf<UserList>,
    pub path: Tf<String>,
    pub class: Tf<String>,
    pub scheme: Tf<String>,
    pub target_type: Tf<String>,
    pub certificate_arn: Tf<String>,
    pub ssl_redirect: Tf<bool>,
    pub health_check_path: Tf<String>,
    pub group_name: Tf<String>,
    pub annotations: Tf<UserMap>,
    pub port_name: Tf<String>,
    pub graceful_shutdown: Tf<GracefulShutdown>,
}

/// Rollouts without dropped requests behind the ALB (`shutdown.rs`): filled in at plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GracefulShutdown {
    pub enabled: Tf<bool>,
    pub deregistration_delay_seconds: Tf<i64>,
    pub pre_stop_sleep_seconds: Tf<i64>,
    pub pre_stop: Tf<String>,
}

/// The HorizontalPodAutoscaler.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Autoscaling {
    pub min_replicas: Tf<i64>,
    pub max_replicas: Tf<i64>,
    pub cpu_percent: Tf<i64>,
    pub memory_percent: Tf<i64>,
    pub scale_down_stabilization_seconds: Tf<i64>,
    pub scale_up_stabilization_seconds: Tf<i64>,
    pub scale_down_policies: Tf<Vec<Tf<ScalingPolicy>>>,
    pub scale_up_policies: Tf<Vec<Tf<ScalingPolicy>>>,
    pub scale_down_select_policy: Tf<String>,
    pub scale_up_select_policy: Tf<String>,
    pub metrics: Tf<Vec<Tf<Metric>>>,
}

/// One HPA metric beyond CPU and memory (`metrics.rs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Metric {
    #[serde(rename = "type")]
    pub kind: Tf<String>,
    pub name: Tf<String>,
    pub selector: Tf<UserMap>,
    pub average_value: Tf<String>,
    pub value: Tf<String>,
    pub described_object: Tf<DescribedObject>,
}

/// The object an `object` metric describes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DescribedObject {
    pub api_version: Tf<String>,
    pub kind: Tf<String>,
    pub name: Tf<String>,
}

/// One HPA scaling policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScalingPolicy {
    #[serde(rename = "type")]
    pub kind: Tf<String>,
    pub value: Tf<i64>,
    pub period_seconds: Tf<i64>,
}

/// The PodDisruptionBudget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DisruptionBudget {
    pub min_available: Tf<String>,
    pub max_unavailable: Tf<String>,
}

/// The pods' ServiceAccount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceAccount {
    pub create: Tf<bool>,
    pub name: Tf<String>,
    pub annotations: Tf<UserMap>,
    pub irsa: Tf<Irsa>,
}

/// The IAM role of the pods, from a `hub_irsa_binding`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Irsa {
    pub namespace: Tf<String>,
    pub service_account: Tf<String>,
    pub role_arn: Tf<String>,
    pub mechanism: Tf<String>,
    pub association_ids: Tf<UserMap>,
}

impl Irsa {
    /// Whether the binding gives the role through EKS Pod Identity (an association), not the annotation.
    pub(crate) fn is_pod_identity(&self) -> bool {
        self.mechanism.as_deref() == Some(POD_IDENTITY)
    }
}

/// `service_account.irsa.mechanism` of a binding that uses EKS Pod Identity.
pub(crate) const POD_IDENTITY: &str = "pod_identity";

/// App-scoped RBAC.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rbac {
    pub rules: Tf<Vec<Tf<RbacRule>>>,
    pub allow_wildcards: Tf<bool>,
}

/// One Role rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RbacRule {
    pub api_groups: Tf<UserList>,
    pub resources: Tf<UserList>,
    pub verbs: Tf<UserList>,
    pub resource_names: Tf<UserList>,
}

/// Rollout waiting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rollout {
    pub wait: Tf<bool>,
    pub timeout: Tf<String>,
    pub on_failure: Tf<String>,
}

/// The migration Job run before the rollout (see `migration`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Migration {
    pub command: Tf<Vec<String>>,
    pub args: Tf<Vec<String>>,
    pub timeout: Tf<String>,
    pub backoff_limit: Tf<i64>,
    pub ttl_seconds_after_finished: Tf<i64>,
    pub resources: Tf<Resources>,
}

/// The known entries of a user map (empty when null or unknown).
pub(super) fn known(map: &Tf<UserMap>) -> Strings {
    map.get()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.get()?.clone())))
        .collect()
}

/// The keys of a user map, known value or not (none when null or unknown).
pub(super) fn keys(map: &Tf<UserMap>) -> impl Iterator<Item = &str> {
    map.get().into_iter().flatten().map(|(k, _)| k.as_str())
}

/// The known elements of a user list (empty when null or unknown).
pub(super) fn strings(list: &Tf<UserList>) -> Vec<String> {
    list.get()
        .into_iter()
        .flatten()
        .filter_map(|v| v.get().cloned())
        .collect()
}

impl AppModel {
    /// Name of the app.
    pub(crate) fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }
    /// The app container's name (`container_name`, default: the app name).
    pub(crate) fn container_name(&self) -> &str {
        self.container_name.as_deref().unwrap_or(self.name())
    }
    /// The name of the app's own container port (`port_name`, null: `http`; empty with `unnamed_port`).
    pub(crate) fn port_name(&self) -> &str {
        if self.unnamed_port.value() == Some(true) {
            return "";
        }
        self.port_name.as_deref().unwrap_or(super::ports::HTTP)
    }
    /// Whether hub adds its pod defaults (`pod_defaults`, null: `"hub"`).
    pub(crate) fn hub_pod_defaults(&self) -> bool {
        self.pod_defaults.as_deref() != Some("none")
    }
    /// Whether hub's pod defaults are known to apply: checks of what they take wait while it is unknown.
    pub(crate) fn surely_hub_pod_defaults(&self) -> bool {
        !self.pod_defaults.is_unknown() && self.hub_pod_defaults()
    }
    /// Namespace of the app.
    pub(crate) fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or_default()
    }
    /// The Service's name (`service.name`, default: the app name).
    pub(crate) fn service_name(&self) -> &str {
        self.service
            .get()
            .and_then(|s| s.name.as_deref())
            .unwrap_or(self.name())
    }
    /// The ConfigMap's name (`config_map_name`, default `<name>-config`).
    pub(crate) fn config_map_name(&self) -> String {
        self.config_map_name
            .as_deref()
            .map_or_else(|| format!("{}-config", self.name()), str::to_owned)
    }
    /// The Secret's name (`secret_name`, default `<name>-secret`).
    pub(crate) fn secret_name(&self) -> String {
        self.secret_name
            .as_deref()
            .map_or_else(|| format!("{}-secret", self.name()), str::to_owned)
    }
    /// The ServiceAccount the pods use.
    pub(crate) fn service_account_name(&self) -> String {
        self.service_account
            .get()
            .and_then(|sa| sa.name.as_deref())
            .unwrap_or(self.name())
            .to_owned()
    }
    /// The ServiceAccount's annotations: the configured ones plus the IRSA role, when its ARN is known. A Pod
    /// Identity binding adds none: EKS refuses to combine the annotation with an association.
    pub(crate) fn service_account_annotations(&self) -> Strings {
        let sa = self.service_account.get();
        let mut annotations = sa.map(|sa| known(&sa.annotations)).unwrap_or_default();
        if let Some(irsa) = self.irsa().filter(|irsa| !irsa.is_pod_identity())
            && let Some(arn) = irsa.role_arn.get()
        {
            annotations.insert(ROLE_ARN_ANNOTATION.into(), arn.clone());
        }
        annotations
    }
    /// The binding that gives the pods their IAM role, when one is set.
    pub(crate) fn irsa(&self) -> Option<&Irsa> {
        self.service_account.get().and_then(|sa| sa.irsa.get())
    }
    /// What rolls the pods of a Pod Identity app: the role and the associations that give it (credentials are
    /// handed out when a pod starts, so running pods keep the old role until they restart). None with IRSA,
    /// whose role already enters the checksum through the annotation.
    pub(crate) fn pod_identity_roll_key(&self) -> Option<(Option<&String>, Strings)> {
        let irsa = self.irsa().filter(|irsa| irsa.is_pod_identity())?;
        Some((irsa.role_arn.get(), known(&irsa.association_ids)))
    }
    /// Whether the ServiceAccount is created by hub.
    pub(crate) fn creates_service_account(&self) -> bool {
        self.service_account
            .get()
            .and_then(|sa| sa.create.value())
            .unwrap_or(true)
    }
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
