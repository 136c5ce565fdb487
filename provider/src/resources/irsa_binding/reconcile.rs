//! All I/O of `hub_irsa_binding`: resolving the cluster's OIDC provider, IAM writes (the trust policy goes
//! into CreateRole, so a role never exists without it), read-back with drift on trust policy, inline
//! policy, tags and settings, a tolerant delete, and the optional service-account annotation.
//! Throttling and 5xx are retried by the SDK (standard mode, jittered backoff); what is left is reported.
//! The IAM write helpers live in `iam`, verification and the annotation in `verify`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;

use crate::aws::oidc::{self, normalize_issuer};
use crate::aws::{AwsClients, AwsErrorKind, classify, sdk_error};
use crate::diag::Diagnostics;
use crate::framework::{ApplyOutcome, PlanChange, ProviderContext};
use crate::k8s::labels::ROLE_ARN_ANNOTATION;
use crate::value::Tf;

use super::adopt;
use super::iam::{attach, detach, generate_name, iam_tags, put_policy, retag, wait_usable};
use super::model::IrsaBindingModel;
use super::ownership::{self, Owner, ownership_tags};
use super::policy::{self, ArnScope, INLINE_POLICY_NAME, OidcProvider, canonical_document};
use super::verify::{annotate, verify};

/// Default prefix when neither `role_name` nor `role_name_prefix` is set.
const DEFAULT_PREFIX: &str = "hub-irsa-";

/// Finds the IAM OIDC provider of an EKS cluster: DescribeCluster for the issuer, then the provider whose
/// URL is that issuer (dual-stack form normalised).
pub(super) async fn resolve_cluster(aws: &AwsClients, cluster: &str) -> Result<OidcProvider, Diagnostics> {
    let out = aws
        .eks
        .describe_cluster()
        .name(cluster)
        .send()
        .await
        .map_err(|e| sdk_error(&format!("Describing EKS cluster {cluster:?}"), &e))?;
    let issuer = out
        .cluster()
        .and_then(|c| c.identity())
        .and_then(|i| i.oidc())
        .and_then(|o| o.issuer())
        .map(normalize_issuer)
        .ok_or_else(|| {
            Diagnostics::from_error(
                "Cluster Has No OIDC Issuer",
                format!("EKS cluster {cluster:?} reports no OIDC issuer, so no IRSA role can trust it."),
            )
        })?;
    let arn = oidc::provider_arn(&aws.iam, &issuer).await?.ok_or_else(|| {
        Diagnostics::from_error(
            "No IAM OIDC Provider For Cluster",
            format!(
                "EKS cluster {cluster:?} has issuer {issuer}, but this account has no IAM OIDC provider for it. \
                     Create one (the EKS module's enable_irsa, or aws_iam_openid_connect_provider) first."
            ),
        )
    })?;
    OidcProvider::parse(&arn).map_err(|e| Diagnostics::from_error("Invalid OIDC Provider", e))
}

/// The OIDC provider for a binding: given directly, or resolved from the cluster name.
async fn oidc_for(ctx: &ProviderContext, b: &IrsaBindingModel) -> Result<OidcProvider, Diagnostics> {
    if let Some(arn) = b.oidc_provider_arn.get() {
        return OidcProvider::parse(arn).map_err(|e| Diagnostics::from_error("Invalid OIDC Provider ARN", e));
    }
    let Some(cluster) = b.cluster_name.get() else {
        return Err(Diagnostics::from_error(
            "Cluster Identity Required",
            "Set `cluster_name` or `oidc_provider_arn`.",
        ));
    };
    resolve_cluster(&ctx.aws().await?, cluster).await
}

/// Trust and permission documents (canonical JSON).
fn documents(
    oidc: &OidcProvider,
    b: &IrsaBindingModel,
    fallback_region: Option<String>,
) -> Result<(String, Option<String>), Diagnostics> {
    let (namespace, service_account) = b.subject()?;
    let trust = policy::trust_policy(oidc, namespace, service_account, b.wildcard()).to_canonical();
    let grants = b.grants();
    let needs_region = grants.secrets.is_some() || grants.ssm.is_some();
    let region = oidc.region().map(str::to_owned).or(fallback_region);
    let region = match region {
        Some(r) => r,
        None if needs_region => {
            return Err(Diagnostics::from_error(
                "Region Unknown",
                "The issuer does not name a region and the provider has none; set `region` in the provider block.",
            ));
        }
        None => String::new(),
    };
    let scope = ArnScope {
        partition: oidc.partition.clone(),
        region,
        account: oidc.account.clone(),
    };
    Ok((
        trust,
        policy::with_custom(
            policy::permission_policy(&grants, &scope),
            b.custom_policy_json.as_deref(),
        )
        .map_err(|e| Diagnostics::from_error("Invalid Policy Document", format!("custom_policy_json {e}.")))?,
    ))
}

fn role_arn(oidc: &OidcProvider, path: &str, name: &str) -> String {
    format!("arn:{}:iam::{}:role{path}{name}", oidc.partition, oidc.account)
}

fn annotation(arn: Option<&str>) -> Tf<BTreeMap<String, String>> {
    match arn {
        Some(a) => Tf::Known(BTreeMap::from([(ROLE_ARN_ANNOTATION.to_owned(), a.to_owned())])),
        None => Tf::Unknown,
    }
}

/// The ownership tags of binding `b`, unknown until its namespace and service account are.
fn ownership_of(b: &IrsaBindingModel) -> Tf<BTreeMap<String, String>> {
    match (b.namespace.get(), b.service_account.get()) {
        (Some(ns), Some(sa)) => Tf::Known(ownership_tags(ns, sa)),
        _ => Tf::Unknown,
    }
}

/// Plan: computes the trust and permission policies, the role ARN and the annotation whenever their inputs
/// are known, so the plan shows them and drift read back into state is planned away.
pub(super) async fn plan(ctx: &ProviderContext, change: &mut PlanChange<'_, IrsaBindingModel>) {
    let config = change.config;
    let oidc = match &config.oidc_provider_arn {
        Tf::Known(arn) => OidcProvider::parse(arn).ok(),
        Tf::Unknown => None,
        Tf::Null => match config.cluster_name.get() {
            Some(name) if !ctx.config_unknown() => match ctx.aws().await {
                Ok(aws) => match resolve_cluster(&aws, name).await {
                    Ok(o) => Some(o),
                    Err(d) => {
                        change.diags.extend(d);
                        return;
                    }
                },
                Err(d) => {
                    change.diags.extend(d);
                    return;
                }
            },
            _ => None,
        },
    };
    let planned = &mut change.planned;
    planned.oidc_provider_arn = oidc.as_ref().map_or(Tf::Unknown, |o| Tf::Known(o.arn.clone()));
    let inputs_known = !(planned.namespace.is_unknown()
        || planned.service_account.is_unknown()
        || planned.allow_service_account_wildcard.is_unknown()
        || planned.s3_buckets.is_unknown()
        || planned.secrets_manager.is_unknown()
        || planned.ssm_parameters.is_unknown()
        || planned.custom_policy_json.is_unknown());
    let (trust, policy) = match (&oidc, inputs_known) {
        (Some(o), true) => {
            let region = if o.region().is_none() && !ctx.config_unknown() {
                ctx.aws().await.ok().and_then(|a| a.region())
            } else {
                None
            };
            match documents(o, planned, region) {
                Ok((t, p)) => (Tf::Known(t), Tf::from_option(p)),
                Err(d) => {
                    change.diags.extend(d);
                    return;
                }
            }
        }
        _ => (Tf::Unknown, Tf::Unknown),
    };
    planned.trust_policy = trust;
    planned.policy = policy;
    planned.ownership_tags = ownership_of(planned);
    let arn = match (&oidc, planned.role_name.get(), planned.path.get()) {
        (Some(o), Some(n), Some(p)) => Some(role_arn(o, p, n)),
        _ => None,
    };
    planned.role_arn = arn.clone().map_or(Tf::Unknown, Tf::Known);
    planned.service_account_annotation = annotation(arn.as_deref());
    planned.id = planned.role_name.get().cloned().map_or(Tf::Unknown, Tf::Known);
}

fn fill_state(
    state: &mut IrsaBindingModel,
    oidc: &OidcProvider,
    name: &str,
    arn: &str,
    trust: &str,
    policy: Option<&str>,
) {
    state.id = Tf::Known(name.to_owned());
    state.role_name = Tf::Known(name.to_owned());
    state.role_arn = Tf::Known(arn.to_owned());
    state.oidc_provider_arn = Tf::Known(oidc.arn.clone());
    state.trust_policy = Tf::Known(trust.to_owned());
    state.policy = Tf::from_option(policy.map(str::to_owned));
    state.service_account_annotation = annotation(Some(arn));
    state.ownership_tags = ownership_of(state);
}

pub(super) async fn create(ctx: &ProviderContext, b: &IrsaBindingModel) -> ApplyOutcome<IrsaBindingModel> {
    let prepared = async {
        let (namespace, service_account) = b.subject()?;
        let aws = ctx.aws().await?;
        let oidc = oidc_for(ctx, b).await?;
        let (trust, policy) = documents(&oidc, b, aws.region())?;
        Ok::<_, Diagnostics>((ownership_tags(namespace, service_account), aws, oidc, trust, policy))
    }
    .await;
    let (owned, aws, oidc, trust, policy) = match prepared {
        Ok(v) => v,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let name = b
        .role_name
        .get()
        .cloned()
        .unwrap_or_else(|| generate_name(b.role_name_prefix.as_deref().unwrap_or(DEFAULT_PREFIX)));
    // hub's tags go into CreateRole with the user's: no moment exists when the role is there untagged.
    let tags = match iam_tags(&b.user_tags().into_iter().chain(owned.clone()).collect()) {
        Ok(t) => t,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let created = aws
        .iam
        .create_role()
        .role_name(&name)
        .path(b.iam_path())
        .assume_role_policy_document(&trust)
        .set_description(b.description.get().cloned())
        .max_session_duration(i32::try_from(b.max_session()).unwrap_or(3600))
        .set_permissions_boundary(b.permissions_boundary.get().cloned())
        .set_tags((!tags.is_empty()).then_some(tags))
        .send()
        .await;
    let mut diags = Diagnostics::new();
    let arn = match created {
        Ok(out) => out
            .role()
            .map(|r| r.arn().to_owned())
            .unwrap_or_else(|| role_arn(&oidc, b.iam_path(), &name)),
        Err(e) if classify(&e) == AwsErrorKind::AlreadyExists => {
            match adopt::adopt(&aws, &name, &owned, &trust).await {
                Ok(arn) => {
                    diags.extend(adopt::adopted_warning(&name));
                    arn
                }
                Err(d) => return ApplyOutcome::failed(d),
            }
        }
        Err(e) => return ApplyOutcome::failed(sdk_error(&format!("Creating IAM role {name:?}"), &e)),
    };
    let mut state = b.clone();
    fill_state(&mut state, &oidc, &name, &arn, &trust, policy.as_deref());
    if let Some(doc) = &policy
        && let Err(d) = put_policy(&aws, &name, doc).await
    {
        return ApplyOutcome::partial(state, d);
    }
    if let Err(d) = attach(&aws, &name, &b.managed_policies()).await {
        return ApplyOutcome::partial(state, d);
    }
    if let Err(d) = wait_usable(ctx, &aws, &name).await {
        diags.extend(d);
    }
    if b.annotate() {
        diags.extend(annotate(ctx, b, Some(&arn)).await);
    }
    diags.extend(verify(ctx, &aws, b, &arn, &trust).await);
    ApplyOutcome {
        state: Some(state),
        diags,
    }
}

pub(super) async fn read(
    ctx: &ProviderContext,
    prior: &IrsaBindingModel,
) -> Result<Option<IrsaBindingModel>, Diagnostics> {
    let Some(name) = prior.role_name.get().cloned() else {
        return Ok(Some(prior.clone()));
    };
    let aws = ctx.aws().await?;
    let role = match aws.iam.get_role().role_name(&name).send().await {
        Ok(out) => match out.role().cloned() {
            Some(r) => r,
            None => return Ok(None),
        },
        Err(e) if classify(&e) == AwsErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(sdk_error(&format!("Reading IAM role {name:?}"), &e)),
    };
    let mut state = prior.clone();
    let arn = role.arn().to_owned();
    state.id = Tf::Known(name.clone());
    state.role_arn = Tf::Known(arn.clone());
    state.path = Tf::Known(role.path().to_owned());
    state.service_account_annotation = annotation(Some(&arn));
    if let Some(d) = role.max_session_duration() {
        state.max_session_duration = Tf::Known(i64::from(d));
    }
    state.permissions_boundary = Tf::from_option(
        role.permissions_boundary()
            .and_then(|p| p.permissions_boundary_arn())
            .map(str::to_owned),
    );
    if prior.description.is_set() || role.description().is_some_and(|d| !d.is_empty()) {
        state.description = Tf::from_option(role.description().map(str::to_owned));
    }
    // hub's own tags are kept apart from the user's: drift on them shows in `ownership_tags`.
    let (owned, tags): (BTreeMap<String, String>, BTreeMap<String, String>) = role
        .tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .partition(|(k, _)| ownership::is_reserved(k));
    if !tags.is_empty() || prior.tags.is_set() {
        state.tags = Tf::Known(tags);
    }
    state.ownership_tags = Tf::Known(owned);
    let trust = role
        .assume_role_policy_document()
        .map(canonical_document)
        .transpose()
        .map_err(|e| Diagnostics::from_error("Unreadable Trust Policy", format!("IAM role {name:?}: {e}")))?;
    state.trust_policy = Tf::from_option(trust.clone());
    let inline = match aws
        .iam
        .get_role_policy()
        .role_name(&name)
        .policy_name(INLINE_POLICY_NAME)
        .send()
        .await
    {
        Ok(out) => Some(
            canonical_document(out.policy_document())
                .map_err(|e| Diagnostics::from_error("Unreadable Inline Policy", format!("IAM role {name:?}: {e}")))?,
        ),
        Err(e) if classify(&e) == AwsErrorKind::NotFound => None,
        Err(e) => {
            return Err(sdk_error(
                &format!("Reading the inline policy of IAM role {name:?}"),
                &e,
            ));
        }
    };
    state.policy = Tf::from_option(inline);
    // Managed policies hub attached and still attached; attachments made by others are not hub's.
    if let Some(ours) = prior.managed_policy_arns.get() {
        let attached = aws
            .iam
            .list_attached_role_policies()
            .role_name(&name)
            .max_items(1000)
            .send()
            .await
            .map_err(|e| sdk_error(&format!("Listing managed policies of IAM role {name:?}"), &e))?;
        let live: std::collections::BTreeSet<&str> = attached
            .attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn())
            .collect();
        let kept = ours
            .iter()
            .filter(|a| a.as_deref().is_some_and(|a| live.contains(a)))
            .cloned()
            .collect();
        state.managed_policy_arns = Tf::Known(kept);
    }
    // An annotation removed or changed by someone else shows as `annotate_service_account` turning false,
    // so the plan says what will be repaired. A missing service account is not drift (hub_app creates it).
    if prior.annotate()
        && let Ok((namespace, service_account)) = prior.subject()
        && !prior.wildcard()
        && let Ok(client) = ctx.kube()
        && let Ok(Some(sa)) = crate::k8s::get(
            &Api::<ServiceAccount>::namespaced(client, namespace),
            service_account,
            "service account",
        )
        .await
        && sa
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ROLE_ARN_ANNOTATION))
            != Some(&arn)
    {
        state.annotate_service_account = Tf::Known(false);
    }
    // After import only the role name is known: restore the subject from the trust policy.
    if prior.namespace.as_deref() == Some("")
        && let Some((provider, ns, sa)) = trust.as_deref().and_then(policy::subject_of)
    {
        state.namespace = Tf::Known(ns);
        state.service_account = Tf::Known(sa);
        state.oidc_provider_arn = Tf::Known(provider);
    }
    Ok(Some(state))
}

pub(super) async fn update(
    ctx: &ProviderContext,
    p: &IrsaBindingModel,
    b: &IrsaBindingModel,
) -> ApplyOutcome<IrsaBindingModel> {
    let prepared = async {
        let (namespace, service_account) = b.subject()?;
        p.subject()?;
        let aws = ctx.aws().await?;
        let oidc = oidc_for(ctx, b).await?;
        let (trust, policy) = documents(&oidc, b, aws.region())?;
        Ok::<_, Diagnostics>((ownership_tags(namespace, service_account), aws, oidc, trust, policy))
    }
    .await;
    let (owned, aws, oidc, trust, policy) = match prepared {
        Ok(v) => v,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let Some(name) = p.role_name.get().cloned() else {
        return ApplyOutcome::failed(Diagnostics::from_error(
            "Missing Role Name",
            "The prior state has no role name (a bug).",
        ));
    };
    let iam = &aws.iam;
    let trust_changed = p.trust_policy.as_deref() != Some(trust.as_str());
    let what = |w: &str| format!("{w} of IAM role {name:?}");
    let result: Result<(), Diagnostics> = async {
        if trust_changed {
            iam.update_assume_role_policy()
                .role_name(&name)
                .policy_document(&trust)
                .send()
                .await
                .map_err(|e| sdk_error(&what("Updating the trust policy"), &e))?;
        }
        if p.policy.get() != policy.as_ref() {
            match &policy {
                Some(doc) => put_policy(&aws, &name, doc).await?,
                None => match iam
                    .delete_role_policy()
                    .role_name(&name)
                    .policy_name(INLINE_POLICY_NAME)
                    .send()
                    .await
                {
                    Ok(_) => {}
                    Err(e) if classify(&e) == AwsErrorKind::NotFound => {}
                    Err(e) => return Err(sdk_error(&what("Deleting the inline policy"), &e)),
                },
            }
        }
        if (b.max_session(), b.description.get()) != (p.max_session(), p.description.get()) {
            iam.update_role()
                .role_name(&name)
                .max_session_duration(i32::try_from(b.max_session()).unwrap_or(3600))
                .description(b.description.get().cloned().unwrap_or_default())
                .send()
                .await
                .map_err(|e| sdk_error(&what("Updating settings"), &e))?;
        }
        if b.permissions_boundary.get() != p.permissions_boundary.get() {
            match b.permissions_boundary.get() {
                Some(arn) => iam
                    .put_role_permissions_boundary()
                    .role_name(&name)
                    .permissions_boundary(arn)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| sdk_error(&what("Setting the permissions boundary"), &e))?,
                None => match iam.delete_role_permissions_boundary().role_name(&name).send().await {
                    Ok(_) => {}
                    Err(e) if classify(&e) == AwsErrorKind::NotFound => {}
                    Err(e) => return Err(sdk_error(&what("Removing the permissions boundary"), &e)),
                },
            }
        }
        let (now, before) = (b.managed_policies(), p.managed_policies());
        if now != before {
            detach(&aws, &name, before.difference(&now)).await?;
            attach(&aws, &name, now.difference(&before)).await?;
        }
        let (now, before) = (b.user_tags(), p.user_tags());
        if now != before {
            retag(&aws, &name, &before, &now).await?;
        }
        // hub's tags: missing on a role imported or made by a hub before them, or changed with the subject.
        let had = p.ownership_tags.get().cloned().unwrap_or_default();
        if had != owned {
            retag(&aws, &name, &had, &owned).await?;
        }
        Ok(())
    }
    .await;
    let arn = p
        .role_arn
        .get()
        .cloned()
        .unwrap_or_else(|| role_arn(&oidc, b.iam_path(), &name));
    let mut state = b.clone();
    fill_state(&mut state, &oidc, &name, &arn, &trust, policy.as_deref());
    if let Err(d) = result {
        // Partly applied: keep the prior state so the next plan retries the difference.
        return ApplyOutcome::partial(p.clone(), d);
    }
    let mut diags = Diagnostics::new();
    if b.annotate() {
        diags.extend(annotate(ctx, b, Some(&arn)).await);
    } else if p.annotate() {
        diags.extend(annotate(ctx, p, None).await);
    }
    if trust_changed {
        diags.extend(verify(ctx, &aws, b, &arn, &trust).await);
    }
    ApplyOutcome {
        state: Some(state),
        diags,
    }
}

pub(super) async fn delete(ctx: &ProviderContext, prior: &IrsaBindingModel) -> Diagnostics {
    let Some(name) = prior.role_name.get().cloned() else {
        return Diagnostics::new();
    };
    let aws = match ctx.aws().await {
        Ok(a) => a,
        Err(d) => return d,
    };
    // Only a role hub tagged as this binding's is deleted; anything else is refused before any write.
    let expected = prior
        .subject()
        .map(|(ns, sa)| ownership_tags(ns, sa))
        .unwrap_or_default();
    match aws.iam.get_role().role_name(&name).send().await {
        Ok(out) => {
            let tags = ownership::reserved_of(
                out.role()
                    .into_iter()
                    .flat_map(|r| r.tags())
                    .map(|t| (t.key(), t.value())),
            );
            let owner = ownership::owner(&tags, &expected);
            if owner != Owner::ThisBinding {
                return ownership::not_deleted(&name, &owner);
            }
        }
        Err(e) if classify(&e) == AwsErrorKind::NotFound => {}
        Err(e) => return sdk_error(&format!("Reading IAM role {name:?}"), &e),
    }
    let mut diags = Diagnostics::new();
    if prior.subject().is_ok() {
        if prior.annotate() {
            diags.extend(annotate(ctx, prior, None).await);
        }
        if let Err(d) = detach(&aws, &name, &prior.managed_policies()).await {
            diags.extend(d);
            return diags;
        }
    }
    match aws
        .iam
        .delete_role_policy()
        .role_name(&name)
        .policy_name(INLINE_POLICY_NAME)
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if classify(&e) == AwsErrorKind::NotFound => {}
        Err(e) => {
            diags.extend(sdk_error(
                &format!("Deleting the inline policy of IAM role {name:?}"),
                &e,
            ));
            return diags;
        }
    }
    match aws.iam.delete_role().role_name(&name).send().await {
        Ok(_) => {}
        Err(e) if classify(&e) == AwsErrorKind::NotFound => {}
        Err(e) if e.as_service_error().is_some_and(|s| s.is_delete_conflict_exception()) => diags.error(
            "IAM Role Still In Use",
            format!(
                "IAM role {name:?} still has policies or instance profiles that hub did not create; detach them and \
                 destroy again."
            ),
        ),
        Err(e) => diags.extend(sdk_error(&format!("Deleting IAM role {name:?}"), &e)),
    }
    diags
}

#[cfg(test)]
mod tests;
