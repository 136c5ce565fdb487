//! EKS Pod Identity associations of a binding: one per cluster for its namespace and service account,
//! tagged as hub's like the role, read back for drift (deleted, or pointed at another role) and reconciled
//! by create, update and delete. An association found for the same service account is adopted only when it
//! carries this binding's ownership tags; anyone else's is reported, never overwritten.

use std::collections::BTreeMap;

use crate::aws::{AwsClients, AwsErrorKind, classify, sdk_error};
use crate::diag::Diagnostics;

use super::model::IrsaBindingModel;
use super::ownership::{self, Owner};
use super::policy::ClusterArn;

/// Cluster name → association ID, and cluster name → the role the association gives pods.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Associations {
    /// The association on each cluster.
    pub ids: BTreeMap<String, String>,
    /// The role ARN each association points at, as EKS reports it.
    pub roles: BTreeMap<String, String>,
}

impl Associations {
    /// The associations recorded in a state.
    pub(super) fn of(b: &IrsaBindingModel) -> Self {
        Associations {
            ids: b.association_ids.get().cloned().unwrap_or_default(),
            roles: b.association_role_arns.get().cloned().unwrap_or_default(),
        }
    }
}

/// What a plan needs to know of a cluster, from DescribeCluster.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ClusterFacts {
    pub arn: ClusterArn,
    /// The Kubernetes version ("1.31"), when EKS says.
    pub version: Option<String>,
    /// EKS Auto Mode (which runs the Pod Identity agent itself).
    pub auto_mode: bool,
}

/// The cluster's ARN, version and compute mode, from DescribeCluster.
pub(super) async fn describe_cluster(aws: &AwsClients, name: &str) -> Result<ClusterFacts, Diagnostics> {
    let out = aws
        .eks
        .describe_cluster()
        .name(name)
        .send()
        .await
        .map_err(|e| sdk_error(&format!("Describing EKS cluster {name:?}"), &e))?;
    let cluster = out.cluster();
    let arn = cluster.and_then(|c| c.arn()).unwrap_or_default();
    Ok(ClusterFacts {
        arn: ClusterArn::parse(arn).map_err(|e| Diagnostics::from_error("Unexpected Cluster ARN", e))?,
        version: cluster.and_then(|c| c.version()).map(str::to_owned),
        auto_mode: cluster
            .and_then(|c| c.compute_config())
            .and_then(|c| c.enabled())
            .unwrap_or(false),
    })
}

/// The cluster's ARN, from DescribeCluster.
pub(super) async fn cluster_arn(aws: &AwsClients, name: &str) -> Result<ClusterArn, Diagnostics> {
    describe_cluster(aws, name).await.map(|f| f.arn)
}

/// The association of `namespace/service_account` on `cluster`, if one exists (a missing cluster has none).
async fn find(
    aws: &AwsClients,
    cluster: &str,
    namespace: &str,
    service_account: &str,
) -> Result<Option<aws_sdk_eks::types::PodIdentityAssociation>, Diagnostics> {
    let listed = aws
        .eks
        .list_pod_identity_associations()
        .cluster_name(cluster)
        .namespace(namespace)
        .service_account(service_account)
        .send()
        .await;
    let id = match listed {
        Ok(out) => out
            .associations()
            .iter()
            .find_map(|a| a.association_id().map(str::to_owned)),
        Err(e) if classify(&e) == AwsErrorKind::NotFound => None,
        Err(e) => {
            return Err(sdk_error(
                &format!("Listing Pod Identity associations on EKS cluster {cluster:?}"),
                &e,
            ));
        }
    };
    let Some(id) = id else { return Ok(None) };
    match aws
        .eks
        .describe_pod_identity_association()
        .cluster_name(cluster)
        .association_id(&id)
        .send()
        .await
    {
        Ok(out) => Ok(out.association().cloned()),
        Err(e) if classify(&e) == AwsErrorKind::NotFound => Ok(None),
        Err(e) => Err(sdk_error(
            &format!("Reading Pod Identity association {id} on EKS cluster {cluster:?}"),
            &e,
        )),
    }
}

/// What EKS has for the binding's service account on each of `clusters`: deleted ones are absent, and a
/// role changed out of band shows in `roles`.
pub(super) async fn read(
    aws: &AwsClients,
    b: &IrsaBindingModel,
    clusters: impl IntoIterator<Item = &String>,
) -> Result<Associations, Diagnostics> {
    let (namespace, service_account) = b.subject()?;
    let mut found = Associations::default();
    for cluster in clusters {
        if let Some(a) = find(aws, cluster, namespace, service_account).await? {
            found
                .ids
                .insert(cluster.clone(), a.association_id().unwrap_or_default().to_owned());
            found
                .roles
                .insert(cluster.clone(), a.role_arn().unwrap_or_default().to_owned());
        }
    }
    Ok(found)
}

/// Makes the associations of `b` exist on its clusters and give pods `role_arn`, and deletes those on
/// clusters it no longer names. `prior` is what the state recorded; `settings_changed` forces an update of
/// associations whose role is already right (target role or session tags changed). On error, what exists
/// so far is returned with the diagnostics, so the state never forgets an association.
pub(super) async fn reconcile(
    aws: &AwsClients,
    b: &IrsaBindingModel,
    prior: &Associations,
    role_arn: &str,
    settings_changed: bool,
) -> Result<Associations, (Associations, Diagnostics)> {
    let mut now = prior.clone();
    let wanted = b.association_clusters().unwrap_or_default();
    let result = async {
        let (namespace, service_account) = b.subject()?;
        for cluster in &wanted {
            let id = match prior.ids.get(cluster) {
                Some(id) => Some(id.clone()),
                None => adoptable(aws, b, cluster).await?,
            };
            let id = match id {
                Some(id) if settings_changed || prior.roles.get(cluster).map(String::as_str) != Some(role_arn) => {
                    update(aws, b, cluster, &id, role_arn).await?;
                    id
                }
                Some(id) => id,
                None => create(aws, b, cluster, namespace, service_account, role_arn).await?,
            };
            now.ids.insert(cluster.clone(), id);
            now.roles.insert(cluster.clone(), role_arn.to_owned());
        }
        let gone: Vec<(String, String)> = now
            .ids
            .iter()
            .filter(|(c, _)| !wanted.contains(*c))
            .map(|(c, id)| (c.clone(), id.clone()))
            .collect();
        for (cluster, id) in gone {
            delete_one(aws, &cluster, &id).await?;
            now.ids.remove(&cluster);
            now.roles.remove(&cluster);
        }
        Ok::<_, Diagnostics>(())
    }
    .await;
    match result {
        Ok(()) => Ok(now),
        Err(d) => Err((now, d)),
    }
}

/// The ID of an association already there for the service account that this binding made (an interrupted
/// apply, or a state that lost it); another owner's association is an error.
async fn adoptable(aws: &AwsClients, b: &IrsaBindingModel, cluster: &str) -> Result<Option<String>, Diagnostics> {
    let (namespace, service_account) = b.subject()?;
    let Some(found) = find(aws, cluster, namespace, service_account).await? else {
        return Ok(None);
    };
    let id = found.association_id().unwrap_or_default().to_owned();
    let tags = ownership::reserved_of(
        found
            .tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    if ownership::owner(&tags, &ownership::ownership_tags(namespace, service_account)) == Owner::ThisBinding {
        return Ok(Some(id));
    }
    Err(Diagnostics::from_error(
        "Pod Identity Association Exists",
        format!(
            "EKS cluster {cluster:?} already has Pod Identity association {id} for {namespace}/{service_account} \
             (role {}), made outside this binding. EKS allows one per service account: delete it (aws eks \
             delete-pod-identity-association --cluster-name {cluster} --association-id {id}) or leave this \
             cluster out of the binding.",
            found.role_arn().unwrap_or("?")
        ),
    ))
}

async fn create(
    aws: &AwsClients,
    b: &IrsaBindingModel,
    cluster: &str,
    namespace: &str,
    service_account: &str,
    role_arn: &str,
) -> Result<String, Diagnostics> {
    let tags = ownership::ownership_tags(namespace, service_account);
    let sent = aws
        .eks
        .create_pod_identity_association()
        .cluster_name(cluster)
        .namespace(namespace)
        .service_account(service_account)
        .role_arn(role_arn)
        .set_target_role_arn(b.target_role_arn.get().cloned())
        .disable_session_tags(!b.session_tags())
        .set_tags(Some(tags.into_iter().collect()))
        .send()
        .await;
    let what =
        || format!("Creating the Pod Identity association of {namespace}/{service_account} on EKS cluster {cluster:?}");
    let out = match sent {
        Ok(out) => out,
        // A retried create whose first attempt reached EKS and lost its answer: the association is there,
        // tagged as this binding's by that attempt, so it is adopted rather than failing the apply.
        Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_in_use_exception()) => {
            return match adoptable(aws, b, cluster).await? {
                Some(id) => Ok(id),
                None => Err(sdk_error(&what(), &e)),
            };
        }
        Err(e) => return Err(sdk_error(&what(), &e)),
    };
    Ok(out
        .association()
        .and_then(|a| a.association_id())
        .unwrap_or_default()
        .to_owned())
}

async fn update(
    aws: &AwsClients,
    b: &IrsaBindingModel,
    cluster: &str,
    id: &str,
    role_arn: &str,
) -> Result<(), Diagnostics> {
    aws.eks
        .update_pod_identity_association()
        .cluster_name(cluster)
        .association_id(id)
        .role_arn(role_arn)
        // An empty target removes one set before.
        .target_role_arn(b.target_role_arn.get().cloned().unwrap_or_default())
        .disable_session_tags(!b.session_tags())
        .send()
        .await
        .map(drop)
        .map_err(|e| {
            sdk_error(
                &format!("Updating Pod Identity association {id} on EKS cluster {cluster:?}"),
                &e,
            )
        })
}

async fn delete_one(aws: &AwsClients, cluster: &str, id: &str) -> Result<(), Diagnostics> {
    match aws
        .eks
        .delete_pod_identity_association()
        .cluster_name(cluster)
        .association_id(id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if classify(&e) == AwsErrorKind::NotFound => Ok(()),
        Err(e) => Err(sdk_error(
            &format!("Deleting Pod Identity association {id} on EKS cluster {cluster:?}"),
            &e,
        )),
    }
}

/// Deletes every association recorded in `prior` (already gone ones are fine).
pub(super) async fn delete_all(aws: &AwsClients, prior: &Associations) -> Result<(), Diagnostics> {
    for (cluster, id) in &prior.ids {
        delete_one(aws, cluster, id).await?;
    }
    Ok(())
}
