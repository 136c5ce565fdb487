//! Proving a Pod Identity binding works the way the agent uses it: a token of a pod that runs as the
//! service account (TokenRequest bound to that pod, audience `pods.eks.amazonaws.com`, as the agent's
//! projected token is) exchanged at EKS Auth `AssumeRoleForPodIdentity` on the cluster that issued it.
//! EKS Auth refuses tokens not bound to a pod, so with no such pod yet there is nothing to prove and the
//! check is skipped, as it is without a cluster connection or when the connection is to a cluster the
//! binding does not name.

use std::time::Duration;

use aws_sdk_eksauth::error::ProvideErrorMetadata;
use k8s_openapi::api::core::v1::{Pod, ServiceAccount};
use kube::Api;
use kube::api::ListParams;

use crate::aws::AwsClients;
use crate::aws::oidc::normalize_issuer;
use crate::diag::Diagnostics;
use crate::framework::ProviderContext;

use super::model::IrsaBindingModel;
use super::policy::POD_IDENTITY_PRINCIPAL;
use super::verify::VERIFY_PATIENCE;

/// Summary of every warning that says the binding could not be verified (not that it is wrong).
const NOT_VERIFIED: &str = "Pod Identity Role Not Verified";

/// The agent's exchange for one pod of the binding's service account; see the module doc for when it is
/// skipped. Refusals are retried while EKS and IAM propagate, then reported as errors naming the cause.
pub(super) async fn verify(ctx: &ProviderContext, aws: &AwsClients, b: &IrsaBindingModel, arn: &str) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if !b.pod_identity() || b.wildcard() || !b.verifies() {
        return diags;
    }
    let Ok(client) = ctx.kube() else {
        tracing::debug!("Pod Identity verification skipped: no cluster connection");
        return diags;
    };
    let (ns, sa) = (b.namespace(), b.service_account());
    let listed = Api::<Pod>::namespaced(client.clone(), ns)
        .list(&ListParams::default().fields(&format!("spec.serviceAccountName={sa}")))
        .await;
    let pod = match listed {
        Ok(list) => match pick_pod(&list.items) {
            Some(p) => p.clone(),
            None => {
                tracing::debug!("Pod Identity verification skipped: no pod runs as {ns}/{sa}");
                return diags;
            }
        },
        Err(e) => {
            diags.warning(NOT_VERIFIED, format!("Could not list the pods of {ns}/{sa}: {e}"));
            return diags;
        }
    };
    let token = match pod_token(client, ns, sa, &pod).await {
        Ok(Some(t)) => t,
        Ok(None) => return diags,
        Err(text) => {
            diags.warning(NOT_VERIFIED, format!("Could not request a token for {ns}/{sa}: {text}"));
            return diags;
        }
    };
    let Some(cluster) = issuing_cluster(aws, b, &token, &mut diags).await else {
        tracing::debug!("Pod Identity verification skipped: the connected cluster is none of the binding's");
        return diags;
    };
    let expected = b.target_role_arn.get().map_or(arn, String::as_str);
    let deadline = tokio::time::Instant::now() + VERIFY_PATIENCE;
    let mut delay = Duration::from_millis(500);
    loop {
        let result = aws
            .eks_auth
            .assume_role_for_pod_identity()
            .cluster_name(&cluster)
            .token(&token)
            .send()
            .await;
        let refusal = match result {
            Ok(out) => {
                let assumed = out.assumed_role_user().map(|u| u.arn()).unwrap_or_default();
                if !same_role(assumed, expected) {
                    diags.warning(
                        NOT_VERIFIED,
                        format!(
                            "EKS Auth gave pods of {ns}/{sa} on cluster {cluster:?} the session {assumed}, not one of \
                             role {expected}: is another association in effect?"
                        ),
                    );
                }
                return diags;
            }
            Err(e) => Refusal {
                code: e.code().unwrap_or_default().to_owned(),
                message: e.message().map_or_else(|| crate::aws::describe(&e), str::to_owned),
            },
        };
        if refusal.transient() && tokio::time::Instant::now() + delay < deadline && !ctx.stop.is_cancelled() {
            tracing::debug!(code = %refusal.code, "Pod Identity verification: EKS Auth refused, retrying");
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
            continue;
        }
        refusal.report(b, &cluster, arn, &mut diags);
        return diags;
    }
}

/// A pod to borrow a token from: running ones first, never one being deleted.
fn pick_pod(pods: &[Pod]) -> Option<&Pod> {
    let live = || {
        pods.iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none() && p.metadata.uid.is_some())
    };
    let running = |p: &&Pod| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running");
    live().find(running).or_else(|| live().next())
}

/// A token of `sa` bound to `pod`, for the agent's audience; `None` when the service account is gone.
async fn pod_token(client: kube::Client, ns: &str, sa: &str, pod: &Pod) -> Result<Option<String>, String> {
    use k8s_openapi::api::authentication::v1::{BoundObjectReference, TokenRequest, TokenRequestSpec};
    let request = TokenRequest {
        spec: TokenRequestSpec {
            audiences: vec![POD_IDENTITY_PRINCIPAL.to_owned()],
            expiration_seconds: Some(600),
            bound_object_ref: Some(BoundObjectReference {
                api_version: Some("v1".to_owned()),
                kind: Some("Pod".to_owned()),
                name: pod.metadata.name.clone(),
                uid: pod.metadata.uid.clone(),
            }),
        },
        ..Default::default()
    };
    match Api::<ServiceAccount>::namespaced(client, ns)
        .create_token_request(sa, &kube::api::PostParams::default(), &request)
        .await
    {
        Ok(t) => Ok(t.status.map(|s| s.token)),
        Err(e) => {
            let text = e.to_string();
            if crate::k8s::Error::from(e).is_not_found() {
                tracing::debug!("Pod Identity verification skipped: the service account or pod is gone");
                return Ok(None);
            }
            Err(text)
        }
    }
}

/// The `iss` claim of a JWT (not verified: it only picks the cluster to ask).
fn token_issuer(jwt: &str) -> Option<String> {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims["iss"].as_str().map(normalize_issuer)
}

/// The binding's cluster whose service-account issuer signed `token` (EKS issues a cluster's tokens from
/// its OIDC issuer), if any.
async fn issuing_cluster(
    aws: &AwsClients,
    b: &IrsaBindingModel,
    token: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let issuer = token_issuer(token)?;
    for cluster in b.association_clusters().unwrap_or_default() {
        let described = match aws.eks.describe_cluster().name(&cluster).send().await {
            Ok(d) => d,
            Err(e) => {
                // Said, not skipped quietly: otherwise nothing would tell the user nothing was proven.
                diags.warning(
                    NOT_VERIFIED,
                    format!(
                        "Could not describe cluster {cluster:?} to tell whether it issued the pods' token: {}",
                        crate::aws::describe(&e)
                    ),
                );
                continue;
            }
        };
        let theirs = described
            .cluster()
            .and_then(|c| c.identity())
            .and_then(|i| i.oidc())
            .and_then(|o| o.issuer())
            .map(normalize_issuer);
        if theirs.as_deref() == Some(issuer.as_str()) {
            return Some(cluster);
        }
    }
    None
}

/// Whether `assumed` (`arn:…:sts::ACCOUNT:assumed-role/NAME/SESSION`) is a session of role `role`
/// (`arn:…:iam::ACCOUNT:role/PATH/NAME`).
fn same_role(assumed: &str, role: &str) -> bool {
    let name = role.rsplit('/').next().unwrap_or_default();
    let account = |arn: &str| arn.split(':').nth(4).map(str::to_owned);
    assumed
        .split(":assumed-role/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .is_some_and(|n| n == name)
        && account(assumed) == account(role)
}

/// What EKS Auth said when it refused.
#[derive(Debug, Clone, PartialEq)]
struct Refusal {
    code: String,
    message: String,
}

impl Refusal {
    /// Whether hub's own identity may not call EKS Auth (the action is named in the denial), rather than
    /// EKS Pod Identity being refused the role.
    fn caller_denied(&self) -> bool {
        self.code == "AccessDeniedException" && self.message.contains("eks-auth:AssumeRoleForPodIdentity")
    }

    /// Refusals that a new association or trust policy shows until EKS and IAM have propagated it, and
    /// throttling or service faults left over after the SDK's retries.
    fn transient(&self) -> bool {
        !self.caller_denied()
            && matches!(
                self.code.as_str(),
                "ResourceNotFoundException"
                    | "AccessDeniedException"
                    | "ThrottlingException"
                    | "ServiceUnavailableException"
                    | "InternalServerException"
            )
    }

    /// The diagnostic: an error when EKS Auth says the setup is wrong, a warning when it could not say.
    fn report(&self, b: &IrsaBindingModel, cluster: &str, arn: &str, diags: &mut Diagnostics) {
        let (ns, sa) = (b.namespace(), b.service_account());
        let waited = VERIFY_PATIENCE.as_secs();
        let aws = &self.message;
        match self.code.as_str() {
            _ if self.caller_denied() => diags.warning(
                NOT_VERIFIED,
                format!(
                    "hub's AWS identity may not call EKS Auth ({aws}), so it could not prove pods of {ns}/{sa} on \
                     EKS cluster {cluster:?} get role {arn}. Grant eks-auth:AssumeRoleForPodIdentity on the \
                     cluster (docs/permissions.md) or set verify = false."
                ),
            ),
            "ResourceNotFoundException" => diags.error(
                "Pod Identity Association Not Found",
                format!(
                    "EKS Auth finds no Pod Identity association for {ns}/{sa} on EKS cluster {cluster:?} after \
                     {waited}s ({aws}). Pods of {ns}/{sa} would get no credentials. Was the association deleted \
                     out of band? The next plan shows it and apply re-creates it."
                ),
            ),
            "AccessDeniedException" => {
                let target = b
                    .target_role_arn
                    .get()
                    .map(|t| {
                        format!(
                            " With target_role_arn, target role {t} must also trust {arn} for sts:AssumeRole and \
                             sts:TagSession (with the association's external ID, when its trust asks for one)."
                        )
                    })
                    .unwrap_or_default();
                diags.error(
                    "Pod Identity Role Not Assumable",
                    format!(
                        "EKS Auth refuses pods of {ns}/{sa} on EKS cluster {cluster:?} the role {arn} after {waited}s \
                         ({aws}). The role's trust policy must let {POD_IDENTITY_PRINCIPAL} perform sts:AssumeRole \
                         and sts:TagSession, with conditions matching this cluster (aws:SourceArn, \
                         aws:SourceAccount) and the session tags (kubernetes-namespace = {ns:?}, \
                         kubernetes-service-account = {sa:?}); hub writes that policy, so an edit made out of band \
                         is the usual cause.{target}"
                    ),
                );
            }
            _ => diags.warning(
                NOT_VERIFIED,
                format!(
                    "EKS Auth AssumeRoleForPodIdentity for {ns}/{sa} on EKS cluster {cluster:?} failed: {}: {aws}. \
                     hub could not prove pods get role {arn}.",
                    if self.code.is_empty() { "error" } else { &self.code }
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{Pod, PodStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    use super::super::model::IrsaBindingModel;
    use super::{Refusal, pick_pod, same_role, token_issuer};
    use crate::diag::Diagnostics;
    use crate::value::Tf;

    fn pod(name: &str, phase: &str, deleting: bool) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.to_owned()),
                uid: Some(format!("uid-{name}")),
                deletion_timestamp: deleting.then(|| Time(Default::default())),
                ..Default::default()
            },
            status: Some(PodStatus {
                phase: Some(phase.to_owned()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_running_pod_is_preferred_and_a_deleted_one_never_used() {
        let pods = [
            pod("a", "Pending", false),
            pod("b", "Running", true),
            pod("c", "Running", false),
        ];
        assert_eq!(pick_pod(&pods).and_then(|p| p.metadata.name.as_deref()), Some("c"));
        let pods = [pod("b", "Running", true), pod("a", "Pending", false)];
        assert_eq!(pick_pod(&pods).and_then(|p| p.metadata.name.as_deref()), Some("a"));
        assert!(pick_pod(&[pod("b", "Running", true)]).is_none());
    }

    #[test]
    fn the_issuer_is_read_from_the_token() {
        use base64::Engine as _;
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"iss":"https://oidc.eks.us-east-1.amazonaws.com/id/ABC","aud":["pods.eks.amazonaws.com"]}"#);
        assert_eq!(
            token_issuer(&format!("e30.{claims}.sig")).as_deref(),
            Some("oidc.eks.us-east-1.amazonaws.com/id/ABC")
        );
        assert_eq!(token_issuer("not-a-jwt"), None);
    }

    #[test]
    fn sessions_are_matched_to_their_role() {
        let role = "arn:aws:iam::123456789012:role/apps/worker";
        assert!(same_role(
            "arn:aws:sts::123456789012:assumed-role/worker/eks-c-pod-1",
            role
        ));
        assert!(!same_role(
            "arn:aws:sts::123456789012:assumed-role/other/eks-c-pod-1",
            role
        ));
        assert!(!same_role(
            "arn:aws:sts::210987654321:assumed-role/worker/eks-c-pod-1",
            role
        ));
    }

    fn binding(target: Option<&str>) -> IrsaBindingModel {
        IrsaBindingModel {
            mechanism: Tf::Known("pod_identity".to_owned()),
            namespace: Tf::Known("shop".to_owned()),
            service_account: Tf::Known("worker".to_owned()),
            target_role_arn: Tf::from_option(target.map(str::to_owned)),
            ..Default::default()
        }
    }

    fn text(diags: &Diagnostics) -> String {
        diags.iter().map(|d| format!("{}: {}", d.summary, d.detail)).collect()
    }

    fn reported(code: &str, target: Option<&str>) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let refusal = Refusal {
            code: code.to_owned(),
            message: "denied".to_owned(),
        };
        refusal.report(
            &binding(target),
            "prod",
            "arn:aws:iam::123456789012:role/worker",
            &mut diags,
        );
        diags
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        let missing = reported("ResourceNotFoundException", None);
        assert!(missing.has_errors());
        let said = text(&missing);
        assert!(
            said.contains("no Pod Identity association for shop/worker on EKS cluster \"prod\""),
            "{said}"
        );

        let denied = text(&reported("AccessDeniedException", None));
        assert!(
            denied.contains("pods.eks.amazonaws.com") && denied.contains("kubernetes-namespace"),
            "{denied}"
        );
        assert!(!denied.contains("target role"), "{denied}");
        let chained = text(&reported(
            "AccessDeniedException",
            Some("arn:aws:iam::210987654321:role/data"),
        ));
        assert!(
            chained.contains("target role arn:aws:iam::210987654321:role/data must also trust"),
            "{chained}"
        );

        let mut diags = Diagnostics::new();
        Refusal {
            code: "AccessDeniedException".into(),
            message: "User: arn:aws:iam::1:user/ci is not authorized to perform: eks-auth:AssumeRoleForPodIdentity"
                .into(),
        }
        .report(&binding(None), "prod", "arn:aws:iam::1:role/worker", &mut diags);
        assert!(
            !diags.has_errors(),
            "hub's own missing permission is a warning: {}",
            text(&diags)
        );

        let other = reported("InvalidTokenException", None);
        assert!(
            !other.has_errors(),
            "a refusal that says nothing about the setup is a warning"
        );
        assert!(
            Refusal {
                code: "AccessDeniedException".into(),
                message: String::new()
            }
            .transient()
        );
        assert!(
            !Refusal {
                code: "InvalidTokenException".into(),
                message: String::new()
            }
            .transient()
        );
    }
}
