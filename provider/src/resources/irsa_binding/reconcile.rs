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
use crate::value::Value;

use super::adopt;
use super::iam::{attach, detach, generate_name, iam_tags, put_policy, retag, wait_usable};
use super::ownership::{self, Owner, ownership_tags};
use super::policy::{self, ArnScope, INLINE_POLICY_NAME, OidcProvider, canonical_document};
use super::schema::{Binding, string_map_of};
use super::verify::{annotate, verify};

/// Default prefix when neither `role_name` nor `role_name_prefix` is set.
const DEFAULT_PREFIX: &str = "hub-irsa-";

fn set(state: &mut Value, name: &str, value: Value) {
    if let Some(slot) = state.attr_mut(name) {
        *slot = value;
    }
}

fn opt(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::String)
}

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
async fn oidc_for(ctx: &ProviderContext, b: &Binding) -> Result<OidcProvider, Diagnostics> {
    if let Some(arn) = &b.oidc_provider_arn {
        return OidcProvider::parse(arn).map_err(|e| Diagnostics::from_error("Invalid OIDC Provider ARN", e));
    }
    let Some(cluster) = &b.cluster_name else {
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
    b: &Binding,
    fallback_region: Option<String>,
) -> Result<(String, Option<String>), Diagnostics> {
    let trust = policy::trust_policy(oidc, &b.namespace, &b.service_account, b.wildcard).to_canonical();
    let needs_region = b.grants.secrets.is_some() || b.grants.ssm.is_some();
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
        policy::with_custom(policy::permission_policy(&b.grants, &scope), b.custom_policy.as_deref())
            .map_err(|e| Diagnostics::from_error("Invalid Policy Document", format!("custom_policy_json {e}.")))?,
    ))
}

fn role_arn(oidc: &OidcProvider, path: &str, name: &str) -> String {
    format!("arn:{}:iam::{}:role{path}{name}", oidc.partition, oidc.account)
}

fn annotation(arn: Option<&str>) -> Value {
    match arn {
        Some(a) => Value::Map(BTreeMap::from([(ROLE_ARN_ANNOTATION.to_owned(), Value::string(a))])),
        None => Value::unknown(),
    }
}

fn string_map(tags: &BTreeMap<String, String>) -> Value {
    Value::Map(tags.iter().map(|(k, v)| (k.clone(), Value::string(v))).collect())
}

/// The ownership tags of the binding `v` describes, unknown until its namespace and service account are.
fn ownership_value(v: &Value) -> Value {
    let text = |n: &str| v.attr(n).and_then(Value::as_str);
    match (text("namespace"), text("service_account")) {
        (Some(ns), Some(sa)) => string_map(&ownership_tags(ns, sa)),
        _ => Value::unknown(),
    }
}

fn known(v: &Value, names: &[&str]) -> bool {
    names.iter().all(|n| v.attr(n).is_none_or(Value::is_wholly_known))
}

/// Plan: computes the trust and permission policies, the role ARN and the annotation whenever their inputs
/// are known, so the plan shows them and drift read back into state is planned away.
pub(super) async fn plan(ctx: &ProviderContext, change: &mut PlanChange<'_>) {
    let config = change.config;
    if change.planned.is_null() {
        return;
    }
    let oidc = match config.attr("oidc_provider_arn") {
        Some(Value::String(arn)) => OidcProvider::parse(arn).ok(),
        Some(v) if v.is_unknown() => None,
        _ => match config.attr("cluster_name") {
            Some(Value::String(name)) if !ctx.config_unknown() => match ctx.aws().await {
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
    set(
        planned,
        "oidc_provider_arn",
        oidc.as_ref().map_or(Value::unknown(), |o| Value::string(&o.arn)),
    );
    let inputs_known = known(
        planned,
        &[
            "namespace",
            "service_account",
            "allow_service_account_wildcard",
            "s3_buckets",
            "secrets_manager",
            "ssm_parameters",
            "custom_policy_json",
        ],
    );
    let (trust, policy) = match (&oidc, inputs_known, Binding::from_value(planned)) {
        (Some(o), true, Ok(b)) => {
            let region = if o.region().is_none() && !ctx.config_unknown() {
                ctx.aws().await.ok().and_then(|a| a.region())
            } else {
                None
            };
            match documents(o, &b, region) {
                Ok((t, p)) => (Value::string(t), opt(p)),
                Err(d) => {
                    change.diags.extend(d);
                    return;
                }
            }
        }
        _ => (Value::unknown(), Value::unknown()),
    };
    set(planned, "trust_policy", trust);
    set(planned, "policy", policy);
    let owned = ownership_value(planned);
    set(planned, "ownership_tags", owned);
    let name = planned.attr("role_name").and_then(Value::as_str).map(str::to_owned);
    let path = planned.attr("path").and_then(Value::as_str).map(str::to_owned);
    let arn = match (&oidc, &name, &path) {
        (Some(o), Some(n), Some(p)) => Some(role_arn(o, p, n)),
        _ => None,
    };
    set(planned, "role_arn", arn.clone().map_or(Value::unknown(), Value::String));
    set(planned, "service_account_annotation", annotation(arn.as_deref()));
    set(planned, "id", name.map_or(Value::unknown(), Value::String));
}

fn fill_state(state: &mut Value, oidc: &OidcProvider, name: &str, arn: &str, trust: &str, policy: Option<&str>) {
    set(state, "id", Value::string(name));
    set(state, "role_name", Value::string(name));
    set(state, "role_arn", Value::string(arn));
    set(state, "oidc_provider_arn", Value::string(&oidc.arn));
    set(state, "trust_policy", Value::string(trust));
    set(state, "policy", opt(policy.map(str::to_owned)));
    set(state, "service_account_annotation", annotation(Some(arn)));
    let owned = ownership_value(state);
    set(state, "ownership_tags", owned);
}

pub(super) async fn create(ctx: &ProviderContext, planned: &Value) -> ApplyOutcome {
    let prepared = async {
        let b = Binding::from_value(planned)?;
        let aws = ctx.aws().await?;
        let oidc = oidc_for(ctx, &b).await?;
        let (trust, policy) = documents(&oidc, &b, aws.region())?;
        Ok::<_, Diagnostics>((b, aws, oidc, trust, policy))
    }
    .await;
    let (b, aws, oidc, trust, policy) = match prepared {
        Ok(v) => v,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let name = b
        .role_name
        .clone()
        .unwrap_or_else(|| generate_name(b.role_name_prefix.as_deref().unwrap_or(DEFAULT_PREFIX)));
    // hub's tags go into CreateRole with the user's: no moment exists when the role is there untagged.
    let owned = ownership_tags(&b.namespace, &b.service_account);
    let tags = match iam_tags(&b.tags.clone().into_iter().chain(owned.clone()).collect()) {
        Ok(t) => t,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let created = aws
        .iam
        .create_role()
        .role_name(&name)
        .path(&b.path)
        .assume_role_policy_document(&trust)
        .set_description(b.description.clone())
        .max_session_duration(i32::try_from(b.max_session_duration).unwrap_or(3600))
        .set_permissions_boundary(b.permissions_boundary.clone())
        .set_tags((!tags.is_empty()).then_some(tags))
        .send()
        .await;
    let mut diags = Diagnostics::new();
    let arn = match created {
        Ok(out) => out
            .role()
            .map(|r| r.arn().to_owned())
            .unwrap_or_else(|| role_arn(&oidc, &b.path, &name)),
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
    let mut state = planned.clone();
    fill_state(&mut state, &oidc, &name, &arn, &trust, policy.as_deref());
    if let Some(doc) = &policy
        && let Err(d) = put_policy(&aws, &name, doc).await
    {
        return ApplyOutcome::partial(state, d);
    }
    if let Err(d) = attach(&aws, &name, &b.managed_policies).await {
        return ApplyOutcome::partial(state, d);
    }
    if let Err(d) = wait_usable(ctx, &aws, &name).await {
        diags.extend(d);
    }
    if b.annotate {
        diags.extend(annotate(ctx, &b, Some(&arn)).await);
    }
    diags.extend(verify(ctx, &aws, &b, &arn, &trust).await);
    ApplyOutcome {
        state: Some(state),
        diags,
    }
}

pub(super) async fn read(ctx: &ProviderContext, prior: &Value) -> Result<Option<Value>, Diagnostics> {
    let Some(name) = prior.attr("role_name").and_then(Value::as_str).map(str::to_owned) else {
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
    set(&mut state, "id", Value::string(&name));
    set(&mut state, "role_arn", Value::string(&arn));
    set(&mut state, "path", Value::string(role.path()));
    set(&mut state, "service_account_annotation", annotation(Some(&arn)));
    if let Some(d) = role.max_session_duration() {
        set(&mut state, "max_session_duration", Value::from(i64::from(d)));
    }
    set(
        &mut state,
        "permissions_boundary",
        opt(role
            .permissions_boundary()
            .and_then(|p| p.permissions_boundary_arn())
            .map(str::to_owned)),
    );
    if prior.attr("description").is_some_and(|d| !d.is_null()) || role.description().is_some_and(|d| !d.is_empty()) {
        set(&mut state, "description", opt(role.description().map(str::to_owned)));
    }
    // hub's own tags are kept apart from the user's: drift on them shows in `ownership_tags`.
    let (owned, tags): (BTreeMap<String, String>, BTreeMap<String, String>) = role
        .tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .partition(|(k, _)| ownership::is_reserved(k));
    if !tags.is_empty() || prior.attr("tags").is_some_and(|t| !t.is_null()) {
        set(&mut state, "tags", string_map(&tags));
    }
    set(&mut state, "ownership_tags", string_map(&owned));
    let trust = role
        .assume_role_policy_document()
        .map(canonical_document)
        .transpose()
        .map_err(|e| Diagnostics::from_error("Unreadable Trust Policy", format!("IAM role {name:?}: {e}")))?;
    set(&mut state, "trust_policy", opt(trust.clone()));
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
    set(&mut state, "policy", opt(inline));
    // Managed policies hub attached and still attached; attachments made by others are not hub's.
    if let Some(ours) = prior.attr("managed_policy_arns").and_then(Value::as_elements) {
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
        let kept: Vec<Value> = ours
            .iter()
            .filter(|a| a.as_str().is_some_and(|a| live.contains(a)))
            .cloned()
            .collect();
        set(&mut state, "managed_policy_arns", Value::Set(kept));
    }
    // An annotation removed or changed by someone else shows as `annotate_service_account` turning false,
    // so the plan says what will be repaired. A missing service account is not drift (hub_app creates it).
    if prior.attr("annotate_service_account").and_then(Value::as_bool) == Some(true)
        && let Ok(b) = Binding::from_value(prior)
        && !b.wildcard
        && let Ok(client) = ctx.kube()
        && let Ok(Some(sa)) = crate::k8s::get(
            &Api::<ServiceAccount>::namespaced(client, &b.namespace),
            &b.service_account,
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
        set(&mut state, "annotate_service_account", Value::Bool(false));
    }
    // After import only the role name is known: restore the subject from the trust policy.
    if prior.attr("namespace").and_then(Value::as_str) == Some("")
        && let Some((provider, ns, sa)) = trust.as_deref().and_then(policy::subject_of)
    {
        set(&mut state, "namespace", Value::string(ns));
        set(&mut state, "service_account", Value::string(sa));
        set(&mut state, "oidc_provider_arn", Value::string(provider));
    }
    Ok(Some(state))
}

pub(super) async fn update(ctx: &ProviderContext, prior: &Value, planned: &Value) -> ApplyOutcome {
    let prepared = async {
        let b = Binding::from_value(planned)?;
        let p = Binding::from_value(prior)?;
        let aws = ctx.aws().await?;
        let oidc = oidc_for(ctx, &b).await?;
        let (trust, policy) = documents(&oidc, &b, aws.region())?;
        Ok::<_, Diagnostics>((b, p, aws, oidc, trust, policy))
    }
    .await;
    let (b, p, aws, oidc, trust, policy) = match prepared {
        Ok(v) => v,
        Err(d) => return ApplyOutcome::failed(d),
    };
    let Some(name) = prior.attr("role_name").and_then(Value::as_str).map(str::to_owned) else {
        return ApplyOutcome::failed(Diagnostics::from_error(
            "Missing Role Name",
            "The prior state has no role name (a bug).",
        ));
    };
    let text = |v: &Value, n: &str| v.attr(n).and_then(Value::as_str).map(str::to_owned);
    let iam = &aws.iam;
    let what = |w: &str| format!("{w} of IAM role {name:?}");
    let result: Result<(), Diagnostics> = async {
        if text(prior, "trust_policy").as_deref() != Some(trust.as_str()) {
            iam.update_assume_role_policy()
                .role_name(&name)
                .policy_document(&trust)
                .send()
                .await
                .map_err(|e| sdk_error(&what("Updating the trust policy"), &e))?;
        }
        if text(prior, "policy") != policy {
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
        if (b.max_session_duration, &b.description) != (p.max_session_duration, &p.description) {
            iam.update_role()
                .role_name(&name)
                .max_session_duration(i32::try_from(b.max_session_duration).unwrap_or(3600))
                .description(b.description.clone().unwrap_or_default())
                .send()
                .await
                .map_err(|e| sdk_error(&what("Updating settings"), &e))?;
        }
        if b.permissions_boundary != p.permissions_boundary {
            match &b.permissions_boundary {
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
        if b.managed_policies != p.managed_policies {
            detach(&aws, &name, p.managed_policies.difference(&b.managed_policies)).await?;
            attach(&aws, &name, b.managed_policies.difference(&p.managed_policies)).await?;
        }
        if b.tags != p.tags {
            retag(&aws, &name, &p.tags, &b.tags).await?;
        }
        // hub's tags: missing on a role imported or made by a hub before them, or changed with the subject.
        let owned = ownership_tags(&b.namespace, &b.service_account);
        let had = string_map_of(prior, "ownership_tags");
        if had != owned {
            retag(&aws, &name, &had, &owned).await?;
        }
        Ok(())
    }
    .await;
    let arn = text(prior, "role_arn").unwrap_or_else(|| role_arn(&oidc, &b.path, &name));
    let mut state = planned.clone();
    fill_state(&mut state, &oidc, &name, &arn, &trust, policy.as_deref());
    if let Err(d) = result {
        // Partly applied: keep the prior state so the next plan retries the difference.
        return ApplyOutcome::partial(prior.clone(), d);
    }
    let mut diags = Diagnostics::new();
    if b.annotate {
        diags.extend(annotate(ctx, &b, Some(&arn)).await);
    } else if p.annotate {
        diags.extend(annotate(ctx, &p, None).await);
    }
    if text(prior, "trust_policy").as_deref() != Some(trust.as_str()) {
        diags.extend(verify(ctx, &aws, &b, &arn, &trust).await);
    }
    ApplyOutcome {
        state: Some(state),
        diags,
    }
}

pub(super) async fn delete(ctx: &ProviderContext, prior: &Value) -> Diagnostics {
    let Some(name) = prior.attr("role_name").and_then(Value::as_str).map(str::to_owned) else {
        return Diagnostics::new();
    };
    let aws = match ctx.aws().await {
        Ok(a) => a,
        Err(d) => return d,
    };
    // Only a role hub tagged as this binding's is deleted; anything else is refused before any write.
    let expected = Binding::from_value(prior)
        .map(|b| ownership_tags(&b.namespace, &b.service_account))
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
    if let Ok(b) = Binding::from_value(prior) {
        if b.annotate {
            diags.extend(annotate(ctx, &b, None).await);
        }
        if let Err(d) = detach(&aws, &name, &b.managed_policies).await {
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
