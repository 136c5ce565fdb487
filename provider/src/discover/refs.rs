//! What a pod template refers to by name (ConfigMaps, Secrets, its ServiceAccount) and what an Ingress
//! routes to: the references that tie an object to a Deployment whatever its labels say.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::api::networking::v1::Ingress;

/// The names a pod spec refers to, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodRefs {
    /// ConfigMaps: `envFrom`, `env[].valueFrom`, volumes (projected ones too).
    pub config_maps: BTreeSet<String>,
    /// Secrets: the same, and `imagePullSecrets`.
    pub secrets: BTreeSet<String>,
    /// The ServiceAccount, unless it is the namespace's `default`.
    pub service_account: Option<String>,
}

/// Every reference of `pod`, over its containers and init containers.
pub fn pod_refs(pod: &PodSpec) -> PodRefs {
    let mut refs = PodRefs::default();
    let containers = pod.containers.iter().chain(pod.init_containers.iter().flatten());
    for c in containers {
        for from in c.env_from.iter().flatten() {
            refs.config_maps
                .extend(from.config_map_ref.as_ref().map(|r| r.name.clone()));
            refs.secrets.extend(from.secret_ref.as_ref().map(|r| r.name.clone()));
        }
        for e in c.env.iter().flatten() {
            let from = e.value_from.as_ref();
            refs.config_maps
                .extend(from.and_then(|f| f.config_map_key_ref.as_ref()).map(|r| r.name.clone()));
            refs.secrets
                .extend(from.and_then(|f| f.secret_key_ref.as_ref()).map(|r| r.name.clone()));
        }
    }
    for v in pod.volumes.iter().flatten() {
        refs.config_maps.extend(v.config_map.as_ref().map(|c| c.name.clone()));
        refs.secrets
            .extend(v.secret.as_ref().and_then(|s| s.secret_name.clone()));
        for source in v.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            refs.config_maps
                .extend(source.config_map.as_ref().map(|c| c.name.clone()));
            refs.secrets.extend(source.secret.as_ref().map(|s| s.name.clone()));
        }
    }
    refs.secrets
        .extend(pod.image_pull_secrets.iter().flatten().map(|s| s.name.clone()));
    let account = pod.service_account_name.clone().or_else(|| pod.service_account.clone());
    refs.service_account = account.filter(|a| !a.is_empty() && a != "default");
    refs
}

/// The Services an Ingress routes to (its rules' backends and its default backend).
pub fn ingress_services(ingress: &Ingress) -> BTreeSet<String> {
    let Some(spec) = &ingress.spec else {
        return BTreeSet::new();
    };
    let rules = spec
        .rules
        .iter()
        .flatten()
        .filter_map(|r| r.http.as_ref())
        .flat_map(|h| h.paths.iter())
        .map(|p| &p.backend);
    rules
        .chain(spec.default_backend.as_ref())
        .filter_map(|b| Some(b.service.as_ref()?.name.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_of_reference_is_found() {
        let pod: PodSpec = serde_json::from_value(json!({
            "serviceAccountName": "api",
            "imagePullSecrets": [{"name": "registry"}],
            "initContainers": [{"name": "init", "envFrom": [{"configMapRef": {"name": "init-cm"}}]}],
            "containers": [{"name": "api",
                "envFrom": [{"secretRef": {"name": "api-secret"}}],
                "env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "one", "key": "k"}}},
                        {"name": "B", "valueFrom": {"secretKeyRef": {"name": "two", "key": "k"}}}]}],
            "volumes": [{"name": "c", "configMap": {"name": "files"}},
                        {"name": "s", "secret": {"secretName": "tls"}},
                        {"name": "p", "projected": {"sources": [{"configMap": {"name": "proj"}}, {"secret": {"name": "proj-s"}}]}}]
        }))
        .expect("pod");
        let refs = pod_refs(&pod);
        let set = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<_>>();
        assert_eq!(refs.config_maps, set(&["files", "init-cm", "one", "proj"]));
        assert_eq!(refs.secrets, set(&["api-secret", "proj-s", "registry", "tls", "two"]));
        assert_eq!(refs.service_account.as_deref(), Some("api"));
        let default: PodSpec =
            serde_json::from_value(json!({"serviceAccountName": "default", "containers": []})).expect("pod");
        assert_eq!(pod_refs(&default).service_account, None);
    }

    #[test]
    fn an_ingress_routes_to_its_backends() {
        let ingress: Ingress = serde_json::from_value(json!({"spec": {
            "defaultBackend": {"service": {"name": "fallback", "port": {"number": 80}}},
            "rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "api", "port": {"name": "http"}}}}]}}]}}))
        .expect("ingress");
        let got: Vec<String> = ingress_services(&ingress).into_iter().collect();
        assert_eq!(got, ["api", "fallback"]);
    }
}
