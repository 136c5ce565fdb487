//! Per-test isolation on a shared plane: each test gets a unique ID, from which its namespaces, its IAM
//! name prefix and its own AWS access key are derived. Parallel tests then never see each other's
//! Kubernetes objects or IAM entities, and fault injection can be limited to one test's AWS traffic.
//! [`Scope::cleanup`] deletes what the test created under its names.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aws_credential_types::Credentials;
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, DeleteParams, ListParams, PostParams};

use super::SECRET_ACCESS_KEY;
use super::error::{Result, SandboxError};

/// Label put on every namespace a scope creates (value: the scope ID).
pub const SCOPE_LABEL: &str = "sandbox.hub/scope";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A test's private slice of the sandbox.
#[derive(Debug, Clone)]
pub struct Scope {
    id: String,
}

fn base36(mut n: u64, width: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::with_capacity(width);
    for _ in 0..width {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Scope {
    /// A new scope named after the test (`name` is sanitised to a DNS label fragment).
    pub fn new(name: &str) -> Self {
        let mut clean: String = name
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        clean = clean.trim_matches('-').chars().take(24).collect::<String>();
        let clean = clean.trim_end_matches('-');
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mix = nanos ^ (u64::from(std::process::id()) << 40) ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let suffix = base36(mix, 6);
        let id = if clean.is_empty() {
            format!("t-{suffix}")
        } else {
            format!("{clean}-{suffix}")
        };
        Self { id }
    }

    /// The unique ID (`<test-name>-<6 chars>`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// A DNS-label-safe name `<id>-<suffix>` (at most 63 characters).
    pub fn name(&self, suffix: &str) -> String {
        let mut n = if suffix.is_empty() {
            self.id.clone()
        } else {
            format!("{}-{suffix}", self.id)
        };
        n.truncate(63);
        n.trim_end_matches('-').to_owned()
    }

    /// Prefix for IAM names (roles, policies) created by this test: `hubt-<id>-`.
    pub fn iam_prefix(&self) -> String {
        format!("hubt-{}-", self.id)
    }

    /// AWS credentials unique to this test (`AKIASBX…`, sandbox secret). moto treats them like the
    /// sandbox's own, the token webhook can verify tokens signed with them, and
    /// [`super::faults::FaultConfig::access_key_ids`] can target them.
    pub fn aws_credentials(&self) -> Credentials {
        let mut key: String = self
            .id
            .to_ascii_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .rev()
            .take(13)
            .collect();
        while key.len() < 13 {
            key.push('X');
        }
        Credentials::new(
            format!("AKIASBX{key}"),
            SECRET_ACCESS_KEY,
            None,
            None,
            "hub-sandbox-scope",
        )
    }

    /// Creates namespace `<id>-<suffix>` (labelled with the scope) and waits until its `default`
    /// ServiceAccount exists, so pods can be created right away.
    pub async fn namespace(&self, client: &kube::Client, suffix: &str) -> Result<String> {
        let name = self.name(suffix);
        let api: Api<Namespace> = Api::all(client.clone());
        let ns = Namespace {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                labels: Some(BTreeMap::from([(SCOPE_LABEL.to_owned(), self.id.clone())])),
                ..Default::default()
            },
            ..Default::default()
        };
        match api.create(&PostParams::default(), &ns).await {
            Ok(_) => {}
            Err(kube::Error::Api(s)) if s.code == 409 => {}
            Err(e) => return Err(e.into()),
        }
        let sas: Api<ServiceAccount> = Api::namespaced(client.clone(), &name);
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            match sas.get_opt("default").await? {
                Some(_) => return Ok(name),
                None if std::time::Instant::now() > deadline => {
                    return Err(SandboxError::Invalid(format!(
                        "namespace {name}: no default ServiceAccount after 30 s (is kube-controller-manager running?)"
                    )));
                }
                None => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Deletes this scope's namespaces and its IAM roles and policies (by name prefix).
    pub async fn cleanup(&self, client: &kube::Client, aws: &aws_config::SdkConfig) -> Result<()> {
        let api: Api<Namespace> = Api::all(client.clone());
        let lp = ListParams::default().labels(&format!("{SCOPE_LABEL}={}", self.id));
        for ns in api.list(&lp).await? {
            if let Some(name) = ns.metadata.name {
                match api.delete(&name, &DeleteParams::background()).await {
                    Ok(_) => {}
                    Err(kube::Error::Api(s)) if s.code == 404 => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        cleanup_iam(&aws_sdk_iam::Client::new(aws), &self.iam_prefix()).await
    }
}

fn iam_err(e: impl std::fmt::Display) -> SandboxError {
    SandboxError::Invalid(format!("IAM cleanup: {e}"))
}

async fn cleanup_iam(iam: &aws_sdk_iam::Client, prefix: &str) -> Result<()> {
    let roles = iam.list_roles().max_items(1000).send().await.map_err(iam_err)?;
    for role in roles.roles() {
        let name = role.role_name();
        if !name.starts_with(prefix) {
            continue;
        }
        let attached = iam
            .list_attached_role_policies()
            .role_name(name)
            .send()
            .await
            .map_err(iam_err)?;
        for p in attached.attached_policies() {
            if let Some(arn) = p.policy_arn() {
                iam.detach_role_policy()
                    .role_name(name)
                    .policy_arn(arn)
                    .send()
                    .await
                    .map_err(iam_err)?;
            }
        }
        let inline = iam.list_role_policies().role_name(name).send().await.map_err(iam_err)?;
        for p in inline.policy_names() {
            iam.delete_role_policy()
                .role_name(name)
                .policy_name(p)
                .send()
                .await
                .map_err(iam_err)?;
        }
        iam.delete_role().role_name(name).send().await.map_err(iam_err)?;
    }
    let policies = iam
        .list_policies()
        .scope(aws_sdk_iam::types::PolicyScopeType::Local)
        .max_items(1000)
        .send()
        .await
        .map_err(iam_err)?;
    for p in policies.policies() {
        if p.policy_name().is_some_and(|n| n.starts_with(prefix))
            && let Some(arn) = p.arn()
        {
            iam.delete_policy().policy_arn(arn).send().await.map_err(iam_err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_dns_labels() {
        let a = Scope::new("deployment_rolls_out::With Spaces");
        let b = Scope::new("deployment_rolls_out::With Spaces");
        assert_ne!(a.id(), b.id());
        let n = a.name("apps");
        assert!(
            n.len() <= 63
                && n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{n}"
        );
        assert_eq!(a.aws_credentials().access_key_id().len(), 20);
        assert!(a.iam_prefix().starts_with("hubt-"));
    }
}
