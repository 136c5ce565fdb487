//! Reading one namespace for `discover`: the kubeconfig as kubectl reads it, then one list per kind, all
//! at once. A refusal names the permission to grant (`list deployments.apps in namespace shop`), every
//! refused one at a time; an unreachable cluster names the server.

use std::fmt::Debug;

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{Api, ListParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Resource};
use serde::de::DeserializeOwned;

use super::args::Request;
use super::inventory::Inventory;

/// A client for the request's kubeconfig and context, and the server it talks to.
pub async fn connect(req: &Request) -> Result<(Client, String), String> {
    let (file, shown) = match &req.kubeconfig {
        Some(path) => (Kubeconfig::read_from(path), path.display().to_string()),
        None => (
            Kubeconfig::read(),
            "the default kubeconfig ($KUBECONFIG or ~/.kube/config)".to_owned(),
        ),
    };
    let file = file.map_err(|e| format!("cannot read {shown}: {e}"))?;
    if let Some(wanted) = &req.context
        && !file.contexts.iter().any(|c| &c.name == wanted)
    {
        let known: Vec<&str> = file.contexts.iter().map(|c| c.name.as_str()).collect();
        return Err(format!(
            "--context {wanted:?} is not a context of {shown}; it has: {}",
            known.join(", ")
        ));
    }
    let options = KubeConfigOptions {
        context: req.context.clone(),
        ..Default::default()
    };
    let config = kube::Config::from_custom_kubeconfig(file, &options)
        .await
        .map_err(|e| format!("{shown}: {e}"))?;
    let server = config.cluster_url.to_string();
    let client = crate::k8s::client(config).map_err(|e| format!("{shown}: {e}"))?;
    Ok((client, server))
}

/// Why a request failed.
enum Failure {
    /// The credentials may not do this: the permission, as RBAC names it.
    Forbidden(String),
    /// No answer from the server.
    Unreachable(String),
    /// Any other answer.
    Other(String),
}

fn failure(permission: String, server: &str, e: kube::Error) -> Failure {
    match e {
        kube::Error::Api(s) if s.code == 403 => Failure::Forbidden(permission),
        kube::Error::Api(s) if s.code == 401 => Failure::Other(format!(
            "the server {server} rejected the credentials ({}); check the kubeconfig's user",
            s.message
        )),
        kube::Error::Api(s) => Failure::Other(format!("{permission}: {} (HTTP {})", s.message, s.code)),
        other => Failure::Unreachable(format!("cannot reach the cluster at {server}: {}", chain(&other))),
    }
}

/// An error and its causes, `: `-separated (kube's own message alone says only "client error (Connect)").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.contains(&next) {
            text = format!("{text}: {next}");
        }
        source = s.source();
    }
    text
}

/// `list <plural>[.<group>] in namespace <ns>`, as RBAC and kubectl name it.
fn permission<K: Resource<DynamicType = ()>>(verb: &str, ns: &str) -> String {
    let group = K::group(&());
    let resource = if group.is_empty() {
        K::plural(&()).into_owned()
    } else {
        format!("{}.{group}", K::plural(&()))
    };
    format!("{verb} {resource} in namespace {ns}")
}

async fn list<K>(client: &Client, ns: &str, server: &str) -> Result<Vec<K>, Failure>
where
    K: Resource<DynamicType = (), Scope = NamespaceResourceScope> + Clone + DeserializeOwned + Debug,
{
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    match api.list(&ListParams::default()).await {
        Ok(list) => Ok(list.items),
        Err(e) => Err(failure(permission::<K>("list", ns), server, e)),
    }
}

/// Every object `discover` groups, from namespace `ns`.
pub async fn inventory(client: &Client, server: &str, ns: &str) -> Result<(Inventory, Vec<String>), String> {
    let mut warnings = Vec::new();
    let namespace_object = match Api::<Namespace>::all(client.clone()).get_opt(ns).await {
        Ok(Some(n)) => Some(n),
        Ok(None) => return Err(format!("namespace {ns:?} does not exist on {server}")),
        Err(e) => match failure(format!("get namespaces/{ns}"), server, e) {
            Failure::Forbidden(p) => {
                warnings.push(format!(
                    "the credentials may not {p}: no hub_namespace import is written"
                ));
                None
            }
            Failure::Unreachable(m) | Failure::Other(m) => return Err(m),
        },
    };
    let secrets = async {
        let api: Api<Secret> = Api::namespaced(client.clone(), ns);
        match api.list_metadata(&ListParams::default()).await {
            Ok(list) => Ok(list.items.into_iter().map(|s| s.metadata).collect()),
            Err(e) => Err(failure(permission::<Secret>("list", ns), server, e)),
        }
    };
    let (c, s) = (client, server);
    let (deployments, services, ingresses, hpas, pdbs, config_maps, secrets) = tokio::join!(
        list(c, ns, s),
        list(c, ns, s),
        list(c, ns, s),
        list(c, ns, s),
        list(c, ns, s),
        list(c, ns, s),
        secrets
    );
    let (service_accounts, network_policies, stateful_sets, daemon_sets, cron_jobs, jobs) = tokio::join!(
        list(c, ns, s),
        list(c, ns, s),
        list(c, ns, s),
        list(c, ns, s),
        list(c, ns, s),
        list(c, ns, s)
    );
    let mut failures = Vec::new();
    let inventory = Inventory {
        namespace: ns.to_owned(),
        namespace_object,
        deployments: take(deployments, &mut failures),
        services: take(services, &mut failures),
        ingresses: take(ingresses, &mut failures),
        hpas: take(hpas, &mut failures),
        pdbs: take(pdbs, &mut failures),
        config_maps: take(config_maps, &mut failures),
        secrets: take(secrets, &mut failures),
        service_accounts: take(service_accounts, &mut failures),
        network_policies: take(network_policies, &mut failures),
        stateful_sets: take(stateful_sets, &mut failures),
        daemon_sets: take(daemon_sets, &mut failures),
        cron_jobs: take(cron_jobs, &mut failures),
        jobs: take(jobs, &mut failures),
    };
    refused(failures)?;
    Ok((inventory, warnings))
}

/// The listed objects, or nothing with the failure noted.
fn take<T: Default>(result: Result<T, Failure>, failures: &mut Vec<Failure>) -> T {
    result.map_err(|f| failures.push(f)).unwrap_or_default()
}

/// One message for every failed list: the server when it could not be reached, else every missing
/// permission, else the other answers.
fn refused(failures: Vec<Failure>) -> Result<(), String> {
    let mut forbidden = Vec::new();
    let mut other = Vec::new();
    for f in failures {
        match f {
            Failure::Unreachable(m) => return Err(m),
            Failure::Forbidden(p) => forbidden.push(p),
            Failure::Other(m) => other.push(m),
        }
    }
    if !forbidden.is_empty() {
        return Err(format!(
            "the credentials are not allowed to {}: grant these with RBAC (a Role in the namespace, or a \
             ClusterRole such as `view`)",
            forbidden.join("; ")
        ));
    }
    if other.is_empty() {
        Ok(())
    } else {
        Err(other.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::core::v1::ConfigMap;

    #[test]
    fn permissions_are_named_as_rbac_names_them() {
        assert_eq!(
            permission::<Deployment>("list", "shop"),
            "list deployments.apps in namespace shop"
        );
        assert_eq!(
            permission::<ConfigMap>("list", "shop"),
            "list configmaps in namespace shop"
        );
    }

    #[test]
    fn every_refusal_is_named_and_unreachable_wins() {
        let f = |p: &str| Failure::Forbidden(p.to_owned());
        let msg = refused(vec![f("list a"), f("list b")]).unwrap_err();
        assert!(
            msg.starts_with("the credentials are not allowed to list a; list b:"),
            "{msg}"
        );
        let msg = refused(vec![
            f("list a"),
            Failure::Unreachable("cannot reach the cluster at x".into()),
        ])
        .unwrap_err();
        assert_eq!(msg, "cannot reach the cluster at x");
        assert!(refused(vec![]).is_ok());
    }
}
