//! Proving a binding works the way a pod would use it (a service-account token exchanged at STS), and the
//! optional `eks.amazonaws.com/role-arn` annotation on the service account.

use std::time::Duration;

use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;
use kube::api::{Patch, PatchParams};

use crate::aws::{AwsClients, classify};
use crate::diag::Diagnostics;
use crate::framework::ProviderContext;

use super::model::IrsaBindingModel;
use super::policy;
use crate::k8s::labels::ROLE_ARN_ANNOTATION;

/// How long verification keeps retrying STS while IAM propagates a new or changed trust policy.
pub(super) const VERIFY_PATIENCE: Duration = Duration::from_secs(30);

/// The verification a pod would do: a token for the service account (TokenRequest, audience
/// `sts.amazonaws.com`) whose claims must satisfy the trust policy, exchanged at STS with
/// AssumeRoleWithWebIdentity. Skipped quietly when there is no cluster connection or no such service
/// account yet; STS refusals are retried while IAM propagates, then reported.
pub(super) async fn verify(
    ctx: &ProviderContext,
    aws: &AwsClients,
    b: &IrsaBindingModel,
    arn: &str,
    trust: &str,
) -> Diagnostics {
    use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
    let mut diags = Diagnostics::new();
    if b.wildcard() || !b.verifies() {
        return diags;
    }
    let Ok(client) = ctx.kube() else {
        tracing::debug!("verification skipped: no cluster connection");
        return diags;
    };
    let api: Api<ServiceAccount> = Api::namespaced(client, b.namespace());
    let request = TokenRequest {
        spec: TokenRequestSpec {
            audiences: vec![policy::AUDIENCE.to_owned()],
            expiration_seconds: Some(600),
            ..Default::default()
        },
        ..Default::default()
    };
    let token = match api
        .create_token_request(b.service_account(), &kube::api::PostParams::default(), &request)
        .await
    {
        Ok(t) => t.status.map(|s| s.token).unwrap_or_default(),
        Err(e) => {
            let text = e.to_string();
            if crate::k8s::Error::from(e).is_not_found() {
                tracing::debug!("verification skipped: the service account does not exist");
                return diags;
            }
            diags.warning(
                "IRSA Role Not Verified",
                format!(
                    "Could not request a token for {}/{}: {text}",
                    b.namespace(),
                    b.service_account()
                ),
            );
            return diags;
        }
    };
    if let Some(problem) = policy::claims_problem(&token, trust) {
        diags.error(
            "Trust Policy Rejects The Service Account",
            format!(
                "A token of service account {}/{} would be refused by role {arn}: {problem}. Pods would get \
                 AccessDenied from sts:AssumeRoleWithWebIdentity.",
                b.namespace(),
                b.service_account()
            ),
        );
        return diags;
    }
    let deadline = tokio::time::Instant::now() + VERIFY_PATIENCE;
    let mut delay = Duration::from_millis(500);
    loop {
        let result = aws
            .sts
            .assume_role_with_web_identity()
            .role_arn(arn)
            .role_session_name("hub-verify")
            .web_identity_token(&token)
            .duration_seconds(900)
            .send()
            .await;
        match result {
            Ok(_) => return diags,
            Err(e) if tokio::time::Instant::now() + delay < deadline && !ctx.stop.is_cancelled() => {
                tracing::debug!(kind = ?classify(&e), "verification: STS refused, retrying while IAM propagates");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
            Err(e) => {
                diags.warning(
                    "IRSA Role Not Verified",
                    format!(
                        "sts:AssumeRoleWithWebIdentity for {arn} with a token of {}/{} still fails after {}s: {}. \
                         If IAM is still propagating, pods will recover on restart; otherwise check the trust policy.",
                        b.namespace(),
                        b.service_account(),
                        VERIFY_PATIENCE.as_secs(),
                        crate::aws::describe(&e)
                    ),
                );
                return diags;
            }
        }
    }
}

/// Sets (or with `None` removes, when it is ours) the role annotation on the service account, if it exists.
pub(super) async fn annotate(ctx: &ProviderContext, b: &IrsaBindingModel, arn: Option<&str>) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if b.wildcard() {
        return diags;
    }
    let client = match ctx.kube() {
        Ok(c) => c,
        Err(d) => {
            diags.warning(
                "Service Account Not Annotated",
                format!(
                    "No cluster connection to annotate {}/{}: {}",
                    b.namespace(),
                    b.service_account(),
                    crate::aws::eks_client::diag_text(&d)
                ),
            );
            return diags;
        }
    };
    let api: Api<ServiceAccount> = Api::namespaced(client, b.namespace());
    let current = match crate::k8s::get(&api, b.service_account(), "service account").await {
        Ok(Some(sa)) => sa,
        Ok(None) => {
            if arn.is_some() {
                diags.warning(
                    "Service Account Not Found",
                    format!(
                        "Service account {}/{} does not exist yet, so it was not annotated. Give it the annotation \
                         from `service_account_annotation` (hub_app does this).",
                        b.namespace(),
                        b.service_account()
                    ),
                );
            }
            return diags;
        }
        Err(d) => return d,
    };
    let existing = current
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(ROLE_ARN_ANNOTATION))
        .cloned();
    let value = match arn {
        Some(a) if existing.as_deref() == Some(a) => return diags,
        Some(a) => serde_json::Value::String(a.to_owned()),
        None if existing.is_none() => return diags,
        None => serde_json::Value::Null,
    };
    let patch = serde_json::json!({"metadata": {"annotations": {ROLE_ARN_ANNOTATION: value}}});
    if let Err(e) = api
        .patch(b.service_account(), &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(crate::k8s::Error::from)
        && !e.is_not_found()
    {
        diags.extend(e.diagnostics("Annotating the service account"));
    }
    diags
}
