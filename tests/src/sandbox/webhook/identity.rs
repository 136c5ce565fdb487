//! Who signed the token: ask STS (moto) with the presigned request, then map the caller ARN to a
//! Kubernetes user the way aws-iam-authenticator does (canonical ARN, `mapRoles`/`mapUsers`-like rules).

use std::collections::BTreeMap;
use std::time::Duration;

use http::Method;
use serde::{Deserialize, Serialize};

use super::token::{CLUSTER_ID_HEADER, Presigned};
use crate::sandbox::httpc;

/// The caller as STS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, `arn:aws:iam::ACCOUNT:user/NAME`, ...
    pub arn: String,
    /// Account ID.
    pub account: String,
    /// Unique ID (`AIDA...` or `AROA...:session`).
    pub user_id: String,
}

/// An explicit mapping (like an aws-auth ConfigMap entry). `{{SessionName}}` and `{{AccountID}}` in the
/// username are replaced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mapping {
    /// Canonical ARN (`arn:aws:iam::ACCOUNT:role/NAME` or `...:user/NAME`).
    pub arn: String,
    /// Kubernetes username.
    pub username: String,
    /// Kubernetes groups.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// The Kubernetes identity a token maps to.
#[derive(Debug, Clone, Serialize)]
pub struct UserInfo {
    /// Username.
    pub username: String,
    /// UID.
    pub uid: String,
    /// Groups.
    pub groups: Vec<String>,
    /// Extra attributes (arn, canonicalArn, sessionName, accessKeyId, principalId).
    pub extra: BTreeMap<String, Vec<String>>,
}

fn xml_field(body: &str, tag: &str) -> Option<String> {
    let start = body.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + body[start..].find(&format!("</{tag}>"))?;
    Some(body[start..end].trim().to_owned())
}

/// Calls GetCallerIdentity on moto with the presigned query and the cluster header, as the
/// authenticator calls STS.
pub async fn get_caller_identity(moto_url: &str, p: &Presigned, cluster_id: &str) -> Result<Caller, String> {
    let url = format!("{}/?{}", moto_url.trim_end_matches('/'), p.raw_query);
    let resp = httpc::send(
        Method::GET,
        &url,
        &[(CLUSTER_ID_HEADER, cluster_id), ("accept", "application/json")],
        Vec::new(),
        Duration::from_secs(10),
    )
    .await
    .map_err(|e| format!("calling STS: {e}"))?;
    let body = resp.text();
    if resp.status != http::StatusCode::OK {
        return Err(format!(
            "error from AWS (expected 200, got {}). Body: {}",
            resp.status.as_u16(),
            body.trim()
        ));
    }
    // moto answers in XML even when JSON is asked for; accept both.
    let (arn, account, user_id) = match serde_json::from_str::<serde_json::Value>(&body) {
        Ok(v) => {
            let r = &v["GetCallerIdentityResponse"]["GetCallerIdentityResult"];
            let s = |k: &str| r[k].as_str().map(str::to_owned);
            (s("Arn"), s("Account"), s("UserId"))
        }
        Err(_) => (
            xml_field(&body, "Arn"),
            xml_field(&body, "Account"),
            xml_field(&body, "UserId"),
        ),
    };
    match (arn, account, user_id) {
        (Some(arn), Some(account), Some(user_id)) => Ok(Caller { arn, account, user_id }),
        _ => Err(format!("unexpected GetCallerIdentity response: {}", body.trim())),
    }
}

/// aws-iam-authenticator's `arn.Canonicalize`: an assumed-role ARN becomes its role ARN (session dropped,
/// path dropped), an STS user ARN becomes the IAM user ARN. Returns `(canonical, session name)`.
pub fn canonicalize(arn: &str) -> Result<(String, Option<String>), String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, _region, account, resource] = parts[..] else {
        return Err(format!("malformed ARN {arn:?}"));
    };
    if prefix != "arn" {
        return Err(format!("malformed ARN {arn:?}"));
    }
    let iam = |r: &str| format!("arn:{partition}:iam::{account}:{r}");
    match (service, resource.split_once('/')) {
        ("sts", Some(("assumed-role", rest))) => {
            let (role_path, session) = rest
                .rsplit_once('/')
                .ok_or_else(|| format!("assumed-role ARN without session: {arn:?}"))?;
            let role = role_path.rsplit('/').next().unwrap_or(role_path);
            Ok((iam(&format!("role/{role}")), Some(session.to_owned())))
        }
        ("sts", Some(("user", name))) | ("iam", Some(("user", name))) => Ok((iam(&format!("user/{name}")), None)),
        ("iam", Some(("role", _))) => Ok((arn.to_owned(), None)),
        _ => Err(format!("unsupported ARN type {arn:?}")),
    }
}

/// Maps a caller to a Kubernetes user: an explicit [`Mapping`] wins; otherwise callers from the
/// sandbox account get `system:masters` with their canonical ARN as username (EKS gives the cluster
/// creator admin rights); anyone else is not authenticated.
pub fn map_user(
    caller: &Caller,
    access_key_id: &str,
    sandbox_account: &str,
    mappings: &[Mapping],
) -> Result<UserInfo, String> {
    let (canonical, session) = canonicalize(&caller.arn)?;
    let session_name = session.clone().unwrap_or_default();
    let (username, groups) = if let Some(m) = mappings.iter().find(|m| m.arn == canonical) {
        let name = m
            .username
            .replace("{{SessionName}}", &session_name)
            .replace("{{AccountID}}", &caller.account);
        (name, m.groups.clone())
    } else if caller.account == sandbox_account {
        (canonical.clone(), vec!["system:masters".to_owned()])
    } else {
        return Err(format!("ARN is not mapped: {canonical}"));
    };
    let mut extra = BTreeMap::new();
    extra.insert("arn".to_owned(), vec![caller.arn.clone()]);
    extra.insert("canonicalArn".to_owned(), vec![canonical]);
    extra.insert("accessKeyId".to_owned(), vec![access_key_id.to_owned()]);
    extra.insert("principalId".to_owned(), vec![caller.user_id.clone()]);
    if let Some(s) = session {
        extra.insert("sessionName".to_owned(), vec![s]);
    }
    Ok(UserInfo {
        username,
        uid: format!("aws-iam-authenticator:{}:{}", caller.account, caller.user_id),
        groups,
        extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_arns() {
        assert_eq!(
            canonicalize("arn:aws:sts::123456789012:assumed-role/path/r1/sess").ok(),
            Some(("arn:aws:iam::123456789012:role/r1".to_owned(), Some("sess".to_owned())))
        );
        assert_eq!(
            canonicalize("arn:aws:sts::123456789012:user/moto").ok(),
            Some(("arn:aws:iam::123456789012:user/moto".to_owned(), None))
        );
        assert!(canonicalize("nonsense").is_err());
    }

    #[test]
    fn mapping_rules() {
        let caller = Caller {
            arn: "arn:aws:sts::123456789012:assumed-role/dev/alice".to_owned(),
            account: "123456789012".to_owned(),
            user_id: "AROAEXAMPLE:alice".to_owned(),
        };
        let admin = map_user(&caller, "ASIA1", "123456789012", &[]).expect("mapped");
        assert_eq!(admin.groups, ["system:masters"]);
        let m = Mapping {
            arn: "arn:aws:iam::123456789012:role/dev".to_owned(),
            username: "dev:{{SessionName}}".to_owned(),
            groups: vec!["developers".to_owned()],
        };
        let dev = map_user(&caller, "ASIA1", "123456789012", &[m]).expect("mapped");
        assert_eq!(dev.username, "dev:alice");
        let foreign = Caller {
            account: "999999999999".to_owned(),
            arn: "arn:aws:iam::999999999999:user/bob".to_owned(),
            ..caller
        };
        assert!(map_user(&foreign, "AKIA", "123456789012", &[]).is_err());
    }
}
