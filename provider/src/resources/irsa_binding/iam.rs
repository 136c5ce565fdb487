//! IAM writes of `hub_irsa_binding`: role names, tags, managed-policy attachments, the inline policy, and
//! waiting until a new or changed role is usable (IAM is eventually consistent).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aws_sdk_iam::types::Tag;

use crate::aws::{AwsClients, AwsErrorKind, classify, sdk_error};
use crate::diag::Diagnostics;
use crate::framework::ProviderContext;

use super::policy::INLINE_POLICY_NAME;

static NAME_COUNTER: AtomicU64 = AtomicU64::new(0);

/// `prefix` + UTC timestamp + 12 hex digits (26 characters), like Terraform's generated names.
pub(super) fn generate_name(prefix: &str) -> String {
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let mix = u64::from(now.nanosecond())
        ^ (u64::from(std::process::id()) << 32)
        ^ NAME_COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!("{prefix}{stamp}{:012x}", mix & 0xFFFF_FFFF_FFFF)
}

pub(super) fn iam_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, Diagnostics> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| Diagnostics::from_error("Invalid IAM Tag", e.to_string()))
        })
        .collect()
}

/// Replaces the role's tags `old` with `new`: removes the keys only `old` has, then writes `new`. Tags
/// with keys in neither are left alone.
pub(super) async fn retag(
    aws: &AwsClients,
    name: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Result<(), Diagnostics> {
    let what = |w: &str| format!("{w} of IAM role {name:?}");
    let removed: Vec<String> = old.keys().filter(|k| !new.contains_key(*k)).cloned().collect();
    if !removed.is_empty() {
        aws.iam
            .untag_role()
            .role_name(name)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map_err(|e| sdk_error(&what("Removing tags"), &e))?;
    }
    if !new.is_empty() {
        aws.iam
            .tag_role()
            .role_name(name)
            .set_tags(Some(iam_tags(new)?))
            .send()
            .await
            .map_err(|e| sdk_error(&what("Tagging"), &e))?;
    }
    Ok(())
}

/// Attaches managed policies.
pub(super) async fn attach(
    aws: &AwsClients,
    name: &str,
    arns: impl IntoIterator<Item = &String>,
) -> Result<(), Diagnostics> {
    for arn in arns {
        if let Err(e) = aws
            .iam
            .attach_role_policy()
            .role_name(name)
            .policy_arn(arn)
            .send()
            .await
        {
            return Err(sdk_error(&format!("Attaching {arn} to IAM role {name:?}"), &e));
        }
    }
    Ok(())
}

/// Detaches managed policies; one already detached (or a role already gone) is fine.
pub(super) async fn detach(
    aws: &AwsClients,
    name: &str,
    arns: impl IntoIterator<Item = &String>,
) -> Result<(), Diagnostics> {
    for arn in arns {
        match aws
            .iam
            .detach_role_policy()
            .role_name(name)
            .policy_arn(arn)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if classify(&e) == AwsErrorKind::NotFound => {}
            Err(e) => return Err(sdk_error(&format!("Detaching {arn} from IAM role {name:?}"), &e)),
        }
    }
    Ok(())
}

pub(super) async fn put_policy(aws: &AwsClients, name: &str, doc: &str) -> Result<(), Diagnostics> {
    aws.iam
        .put_role_policy()
        .role_name(name)
        .policy_name(INLINE_POLICY_NAME)
        .policy_document(doc)
        .send()
        .await
        .map(drop)
        .map_err(|e| sdk_error(&format!("Writing the inline policy of IAM role {name:?}"), &e))
}

/// Replaces the role's trust policy with `doc`.
pub(super) async fn put_trust(aws: &AwsClients, name: &str, doc: &str) -> Result<(), Diagnostics> {
    aws.iam
        .update_assume_role_policy()
        .role_name(name)
        .policy_document(doc)
        .send()
        .await
        .map(drop)
        .map_err(|e| sdk_error(&format!("Updating the trust policy of IAM role {name:?}"), &e))
}

/// IAM is eventually consistent: wait (bounded, with backoff) until the new role can be read back. Gives
/// a warning (as `Err`) when it never shows up.
pub(super) async fn wait_usable(ctx: &ProviderContext, aws: &AwsClients, name: &str) -> Result<(), Diagnostics> {
    let mut delay = Duration::from_millis(200);
    for _ in 0..8 {
        match aws.iam.get_role().role_name(name).send().await {
            Ok(_) => return Ok(()),
            Err(e) if classify(&e) == AwsErrorKind::NotFound => {}
            Err(e) => return Err(sdk_error(&format!("Reading back IAM role {name:?}"), &e)),
        }
        tokio::select! {
            () = ctx.stop.cancelled() => break,
            () = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(Duration::from_secs(5));
    }
    let mut d = Diagnostics::new();
    d.warning(
        "IAM Role Not Yet Visible",
        format!("IAM role {name:?} was created but is not readable yet (IAM is eventually consistent); pods may see AccessDenied for a few seconds."),
    );
    Err(d)
}
