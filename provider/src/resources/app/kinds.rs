//! The kinds `hub_app` renders, in apply order (deletion goes in reverse): the one list that rendering,
//! reading, import, deletion and the reliability suite's orphan check all use, so a kind added here is
//! also checked for orphans. The acceptance tests compile this file too (by path, without depending on
//! the provider crate), so it names nothing outside itself.

/// One kind of object `hub_app` renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The kind, as in `kind` (`Deployment`).
    pub kind: &'static str,
    /// `group/version`, or the version alone for the core group, as in `apiVersion`.
    pub api_version: &'static str,
    /// The resource name in API paths (`deployments`).
    pub plural: &'static str,
}

impl Kind {
    /// The API group, empty for the core group.
    pub fn group(&self) -> &'static str {
        self.api_version.split_once('/').map_or("", |(group, _)| group)
    }

    /// The version within the group.
    pub fn version(&self) -> &'static str {
        self.api_version
            .split_once('/')
            .map_or(self.api_version, |(_, version)| version)
    }
}

/// Every kind `hub_app` renders, in apply order.
pub const APP_KINDS: &[Kind] = &[
    kind("ServiceAccount", "v1", "serviceaccounts"),
    kind("Role", "rbac.authorization.k8s.io/v1", "roles"),
    kind("RoleBinding", "rbac.authorization.k8s.io/v1", "rolebindings"),
    kind("ConfigMap", "v1", "configmaps"),
    kind("Secret", "v1", "secrets"),
    kind("PersistentVolumeClaim", "v1", "persistentvolumeclaims"),
    kind("Service", "v1", "services"),
    kind("Deployment", "apps/v1", "deployments"),
    kind("CronJob", "batch/v1", "cronjobs"),
    kind("HorizontalPodAutoscaler", "autoscaling/v2", "horizontalpodautoscalers"),
    kind("PodDisruptionBudget", "policy/v1", "poddisruptionbudgets"),
    kind("Ingress", "networking.k8s.io/v1", "ingresses"),
];

const fn kind(kind: &'static str, api_version: &'static str, plural: &'static str) -> Kind {
    Kind {
        kind,
        api_version,
        plural,
    }
}

/// The entry for `kind`, if `hub_app` renders it.
pub fn find(kind: &str) -> Option<&'static Kind> {
    APP_KINDS.iter().find(|k| k.kind == kind)
}
