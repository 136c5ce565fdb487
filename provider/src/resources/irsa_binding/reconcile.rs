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
use super::associations::{self, Associations};
use super::iam::{attach, detach, generate_name, iam_tags, put_policy, put_trust, retag, wait_usable};
use super::model::{IrsaBindingModel, POD_IDENTITY};
use super::ownership::{self, Owner, ownership_tags};
use super::pod_identity;
use super::policy::{self, INLINE_POLICY_NAME, OidcProvider, canonical_document};
use super::trustee::{self, Trustee};
use super::verify::{annotate, verify};
use super::verify_pod;

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

/// Who the role of `b` trusts: the OIDC provider (given, or resolved from the cluster name) with IRSA, the
/// described clusters with Pod Identity.
async fn trustee_for(ctx: &ProviderContext, b: &IrsaBindingModel) -> Result<Trustee, Diagnostics> {
    if b.pod_identity() {
        let aws = ctx.aws().await?;
        let mut arns = Vec::new();
        for cluster in b.association_clusters().unwrap_or_default() {
            arns.push(associations::cluster_arn(&aws, &cluster).await?);
        }
        if arns.is_empty() {
            return Err(Diagnostics::from_error(
                "Pod Identity Needs A Cluster",
                "Name the EKS clusters in `cluster_names` or `cluster_name`.",
            ));
        }
        return Ok(Trustee::Clusters(arns));
    }
    if let Some(arn) = b.oidc_provider_arn.get() {
        return OidcProvider::parse(arn)
            .map(Trustee::Oidc)
            .map_err(|e| Diagnostics::from_error("Invalid OIDC Provider ARN", e));
    }
    let Some(cluster) = b.cluster_name.get() else {
        return Err(Diagnostics::from_error(
            "Cluster Identity Required",
            "Set `cluster_name` or `oidc_provider_arn`.",
        ));
    };
    resolve_cluster(&ctx.aws().await?, cluster).await.map(Trustee::Oidc)
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
    let trustee = if config.mechanism.is_unknown() {
        None
    } else if config.pod_identity() {
        pod_identity::trustee(ctx, change).await
    } else {
        match &config.oidc_provider_arn {
            Tf::Known(arn) => OidcProvider::parse(arn).ok().map(Trustee::Oidc),
            Tf::Unknown => None,
            Tf::Null => match config.cluster_name.get() {
                Some(name) if !ctx.config_unknown() => match ctx.aws().await {
                    Ok(aws) => match resolve_cluster(&aws, name).await {
                        Ok(o) => Some(Trustee::Oidc(o)),
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
        }
    };
    if change.diags.has_errors() {
        return;
    }
    let planned = &mut change.planned;
    planned.oidc_provider_arn = match &trustee {
        Some(t) => t.provider_arn(),
        None if config.pod_identity() => Tf::Null,
        None => Tf::Unknown,
    };
    let inputs_known = !(planned.namespace.is_unknown()
        || planned.service_account.is_unknown()
        || planned.allow_service_account_wildcard.is_unknown()
        || planned.s3_buckets.is_unknown()
        || planned.secrets_manager.is_unknown()
        || planned.ssm_parameters.is_unknown()
        || planned.custom_policy_json.is_unknown()
        || planned.target_role_arn.is_unknown()
        || planned.disable_session_tags.is_unknown());
    let (trust, policy) = match (&trustee, inputs_known) {
        (Some(t), true) => {
            let region = if matches!(t, Trustee::Oidc(o) if o.region().is_none()) && !ctx.config_unknown() {
                ctx.aws().await.ok().and_then(|a| a.region())
            } else {
                None
            };
            match t.documents(planned, region) {
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
    let arn = match (&trustee, planned.role_name.get(), planned.path.get()) {
        (Some(t), Some(n), Some(p)) => Some(t.role_arn(p, n)),
        // The role keeps its ARN while the clusters are not known yet.
        (None, Some(n), _) => change
            .prior
            .filter(|p| p.role_name.get() == Some(n))
            .and_then(|p| p.role_arn.get().cloned()),
        _ => None,
    };
    planned.role_arn = arn.clone().map_or(Tf::Unknown, Tf::Known);
    planned.service_account_annotation = trustee::annotation(planned, arn.as_deref());
    planned.id = planned.role_name.get().cloned().map_or(Tf::Unknown, Tf::Known);
    pod_identity::plan_associations(planned, change.prior);
    pod_identity::switch_warning(change.prior, &change.planned, &mut change.diags);
}

fn fill_state(
    state: &mut IrsaBindingModel,
    trustee: &Trustee,
    name: &str,
    arn: &str,
    trust: &str,
    policy: Option<&str>,
) {
    state.id = Tf::Known(name.to_owned());
    state.role_name = Tf::Known(name.to_owned());
    state.role_arn = Tf::Known(arn.to_owned());
    state.oidc_provider_arn = trustee.provider_arn();
    state.trust_policy = Tf::Known(trust.to_owned());
    state.policy = Tf::from_option(policy.map(str::to_owned));
    state.service_account_annotation = trustee::annotation(state, Some(arn));
    state.ownership_tags = ownership_of(state);
    set_associations(state, &Associations::default());
}

/// Records `found` in `state`: null with IRSA when there are none, the maps otherwise.
fn set_associations(state: &mut IrsaBindingModel, found: &Associations) {
    if !state.pod_identity() && found.ids.is_empty() {
        state.association_ids = Tf::Null;
        state.association_role_arns = Tf::Null;
    } else {
        state.association_ids = Tf::Known(found.ids.clone());
        state.association_role_arns = Tf::Known(found.roles.clone());
    }
}

pub(super) async fn create(ctx: &ProviderContext, b: &IrsaBindingModel) -> ApplyOutcome<IrsaBindingModel> {
    let prepared = async {
        let (namespace, service_account) = b.subject()?;
        let aws = ctx.aws().await?;
        let trustee = trustee_for(ctx, b).await?;
        let (trust, policy) = trustee.documents(b, aws.region())?;
        Ok::<_, Diagnostics>((ownership_tags(namespace, service_account), aws, trustee, trust, policy))
    }
    .await;
    let (owned, aws, trustee, trust, policy) = match prepared {
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
            .unwrap_or_else(|| trustee.role_arn(b.iam_path(), &name)),
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
    fill_state(&mut state, &trustee, &name, &arn, &trust, policy.as_deref());
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
    if b.pod_identity() {
        match associations::reconcile(&aws, b, &Associations::default(), &arn, false).await {
            Ok(found) => set_associations(&mut state, &found),
            Err((found, d)) => {
                set_associations(&mut state, &found);
                return ApplyOutcome::partial(state, d);
            }
        }
    }
    if b.annotate() {
        diags.extend(annotate(ctx, b, Some(&arn)).await);
    }
    if b.pod_identity() {
        diags.extend(verify_pod::verify(ctx, &aws, b, &arn).await);
    } else {
        diags.extend(verify(ctx, &aws, b, &arn, &trust).await);
    }
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
    fill_defaults(&mut state);
    let arn = role.arn().to_owned();
    state.id = Tf::Known(name.clone());
    state.role_arn = Tf::Known(arn.clone());
    state.path = Tf::Known(role.path().to_owned());
    state.service_account_annotation = trustee::annotation(&state, Some(&arn));
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
    // An import skeleton (no role ARN yet) takes the inline policy as its configuration: the grants it was
    // compiled from cannot be told apart, and as `custom_policy_json` it compiles to the same document.
    if prior.role_arn.is_null() {
        state.custom_policy_json = Tf::from_option(inline.clone());
    }
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
    } else if prior.namespace.as_deref() == Some("")
        && let Some((clusters, ns, sa)) = trust.as_deref().and_then(policy::pod_identity_subject_of)
    {
        state.mechanism = Tf::Known(POD_IDENTITY.to_owned());
        state.namespace = Tf::Known(ns);
        state.service_account = Tf::Known(sa);
        state.cluster_names = Tf::Known(clusters);
        state.service_account_annotation = trustee::annotation(&state, Some(&arn));
    }
    // Associations recorded, and with Pod Identity those the clusters should have: deleted ones drop out,
    // one pointed at another role shows that role.
    let mut clusters: std::collections::BTreeSet<String> = Associations::of(prior).ids.into_keys().collect();
    if state.pod_identity() {
        clusters.extend(state.association_clusters().unwrap_or_default());
    }
    if !clusters.is_empty() {
        let found = associations::read(&aws, &state, &clusters).await?;
        set_associations(&mut state, &found);
    }
    Ok(Some(state))
}

/// Attributes added with Pod Identity start null in a state written before them; their defaults keep an
/// existing binding's plan empty.
fn fill_defaults(state: &mut IrsaBindingModel) {
    if state.mechanism.is_null() {
        state.mechanism = Tf::Known("irsa".to_owned());
    }
    if state.disable_session_tags.is_null() {
        state.disable_session_tags = Tf::Known(false);
    }
    if state.pod_identity_agent_check.is_null() {
        state.pod_identity_agent_check = Tf::Known("warn".to_owned());
    }
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
        let trustee = trustee_for(ctx, b).await?;
        let (trust, policy) = trustee.documents(b, aws.region())?;
        Ok::<_, Diagnostics>((ownership_tags(namespace, service_account), aws, trustee, trust, policy))
    }
    .await;
    let (owned, aws, trustee, trust, policy) = match prepared {
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
    // A mechanism switch first trusts both principals; the new trust alone is written once the service
    // account's wiring has moved.
    let switching = p.pod_identity() != b.pod_identity();
    let first_trust = match (switching, p.trust_policy.get()) {
        (true, Some(old)) => policy::union_of_trust(old, &trust)
            .map_err(|e| Diagnostics::from_error("Unreadable Trust Policy", format!("IAM role {name:?}: {e}"))),
        _ => Ok(trust.clone()),
    };
    let first_trust = match first_trust {
        Ok(t) => t,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let what = |w: &str| format!("{w} of IAM role {name:?}");
    let result: Result<(), Diagnostics> = async {
        if trust_changed {
            put_trust(&aws, &name, &first_trust).await?;
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
        .unwrap_or_else(|| trustee.role_arn(b.iam_path(), &name));
    if let Err(d) = result {
        // Partly applied: keep the prior state so the next plan retries the difference.
        return ApplyOutcome::partial(p.clone(), d);
    }
    let mut diags = Diagnostics::new();
    let mut found = Associations::of(p);
    let wiring: Result<(), Diagnostics> = async {
        if b.pod_identity() {
            let settings_changed =
                b.target_role_arn.get() != p.target_role_arn.get() || b.session_tags() != p.session_tags();
            found = associations::reconcile(&aws, b, &found, &arn, settings_changed)
                .await
                .map_err(|(partial, d)| {
                    found = partial;
                    d
                })?;
            // Only once the associations exist does the IRSA annotation go.
            if p.annotate() {
                diags.extend(annotate(ctx, p, None).await);
            }
        } else {
            if b.annotate() {
                diags.extend(annotate(ctx, b, Some(&arn)).await);
            } else if p.annotate() {
                diags.extend(annotate(ctx, p, None).await);
            }
            associations::delete_all(&aws, &found).await?;
            found = Associations::default();
        }
        if switching && first_trust != trust {
            put_trust(&aws, &name, &trust).await?;
        }
        Ok(())
    }
    .await;
    if let Err(d) = wiring {
        // The role trusts both mechanisms: keep the prior state (with the associations that now exist) so
        // the next plan finishes the switch.
        let mut partial = p.clone();
        set_associations(&mut partial, &found);
        diags.extend(d);
        return ApplyOutcome::partial(partial, diags);
    }
    let mut state = b.clone();
    fill_state(&mut state, &trustee, &name, &arn, &trust, policy.as_deref());
    set_associations(&mut state, &found);
    // Proved again whenever what a pod's credentials depend on changed.
    let rewired = trust_changed
        || found != Associations::of(p)
        || b.target_role_arn.get() != p.target_role_arn.get()
        || b.session_tags() != p.session_tags();
    if b.pod_identity() && rewired {
        diags.extend(verify_pod::verify(ctx, &aws, b, &arn).await);
    } else if trust_changed && !b.pod_identity() {
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
    if let Err(d) = associations::delete_all(&aws, &Associations::of(prior)).await {
        return d;
    }
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
