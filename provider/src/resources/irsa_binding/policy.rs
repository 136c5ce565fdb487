//! Pure generation of the role's trust policy and its inline permission policy, and the canonical JSON
//! form used both for writing to IAM and for drift comparison (IAM returns documents URL-encoded and in
//! whatever formatting they were written with; the canonical form makes equal documents equal strings).
//!
//! The trust condition key is derived from the IAM OIDC provider ARN, never from a hand-written issuer URL,
//! so the standard and dual-stack issuer forms cannot be mixed up; `sub` and `aud` are always under
//! `StringEquals` unless a service-account wildcard is explicitly asked for.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::aws::oidc::normalize_issuer;

/// The `aud` EKS pods present to STS.
pub(super) const AUDIENCE: &str = "sts.amazonaws.com";
/// Name of the inline policy hub writes.
pub(super) const INLINE_POLICY_NAME: &str = "hub-irsa";

/// One string or a list of strings, as IAM allows for Action, Resource and condition values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    /// A single value.
    One(String),
    /// Several values.
    Many(Vec<String>),
}

impl From<&str> for OneOrMany {
    fn from(s: &str) -> Self {
        OneOrMany::One(s.to_owned())
    }
}

impl From<Vec<String>> for OneOrMany {
    fn from(mut v: Vec<String>) -> Self {
        v.sort();
        v.dedup();
        if v.len() == 1 {
            OneOrMany::One(v.remove(0))
        } else {
            OneOrMany::Many(v)
        }
    }
}

/// `Condition`: operator → key → values.
pub(super) type Conditions = BTreeMap<String, BTreeMap<String, OneOrMany>>;

/// One policy statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Statement {
    /// Statement ID (alphanumeric).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// Principal (trust policies only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub principal: Option<BTreeMap<String, OneOrMany>>,
    /// Actions.
    pub action: OneOrMany,
    /// Resources (permission policies only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub resource: Option<OneOrMany>,
    /// Conditions.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub condition: Conditions,
}

/// A policy document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyDocument {
    /// Always `2012-10-17`.
    pub version: String,
    /// The statements.
    pub statement: Vec<Statement>,
}

impl PolicyDocument {
    fn new(statement: Vec<Statement>) -> Self {
        PolicyDocument {
            version: "2012-10-17".into(),
            statement,
        }
    }
    /// The canonical JSON text.
    pub(super) fn to_canonical(&self) -> String {
        // Serialising plain structs and strings cannot fail.
        let json = serde_json::to_value(self).unwrap_or(Json::Null);
        canonical_value(&json).to_string()
    }
}

/// The cluster's IAM OIDC provider, parsed from its ARN: everything the policies need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OidcProvider {
    /// The ARN as given.
    pub arn: String,
    /// `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: String,
    /// Account holding the provider (and the role).
    pub account: String,
    /// Issuer host and path without scheme, e.g. `oidc.eks.eu-west-1.amazonaws.com/id/ABC…` — the
    /// prefix of the trust condition keys.
    pub issuer: String,
}

impl OidcProvider {
    /// Parses `arn:<partition>:iam::<account>:oidc-provider/<issuer host/path>`.
    pub(super) fn parse(arn: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{arn:?} is not an IAM OIDC provider ARN; expected \
                 \"arn:aws:iam::<12-digit account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>\""
            )
        };
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [arn_lit, partition, service, region, account, resource] = parts.as_slice() else {
            return Err(bad());
        };
        let issuer = resource.strip_prefix("oidc-provider/").ok_or_else(bad)?;
        if *arn_lit != "arn"
            || !partition.starts_with("aws")
            || *service != "iam"
            || !region.is_empty()
            || account.len() != 12
            || !account.chars().all(|c| c.is_ascii_digit())
            || issuer.is_empty()
            || issuer.contains(['*', '?', ' '])
        {
            return Err(bad());
        }
        Ok(OidcProvider {
            arn: arn.to_owned(),
            partition: (*partition).to_owned(),
            account: (*account).to_owned(),
            issuer: issuer.to_owned(),
        })
    }

    /// The region in the issuer host (`oidc.eks.<region>.amazonaws.com`), if it has one.
    pub(super) fn region(&self) -> Option<&str> {
        let host = self.issuer.split('/').next()?;
        host.strip_prefix("oidc.eks.")?.split('.').next()
    }
}

/// The trust policy: only `system:serviceaccount:<namespace>:<service_account>` with audience
/// `sts.amazonaws.com` may assume the role through the cluster's OIDC provider. `wildcard` (explicitly
/// asked for) moves only `sub` to `StringLike`.
pub(super) fn trust_policy(
    oidc: &OidcProvider,
    namespace: &str,
    service_account: &str,
    wildcard: bool,
) -> PolicyDocument {
    let sub = format!("system:serviceaccount:{namespace}:{service_account}");
    let mut condition = Conditions::new();
    let mut equals = BTreeMap::from([(format!("{}:aud", oidc.issuer), OneOrMany::from(AUDIENCE))]);
    if wildcard {
        condition.insert(
            "StringLike".into(),
            BTreeMap::from([(format!("{}:sub", oidc.issuer), OneOrMany::One(sub))]),
        );
    } else {
        equals.insert(format!("{}:sub", oidc.issuer), OneOrMany::One(sub));
    }
    condition.insert("StringEquals".into(), equals);
    PolicyDocument::new(vec![Statement {
        sid: None,
        effect: "Allow".into(),
        principal: Some(BTreeMap::from([(
            "Federated".into(),
            OneOrMany::from(oidc.arn.as_str()),
        )])),
        action: "sts:AssumeRoleWithWebIdentity".into(),
        resource: None,
        condition,
    }])
}

/// The principal EKS Pod Identity's agent assumes roles as.
pub(super) const POD_IDENTITY_PRINCIPAL: &str = "pods.eks.amazonaws.com";

/// An EKS cluster, parsed from its ARN: what a Pod Identity trust policy pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ClusterArn {
    /// The ARN as given.
    pub arn: String,
    /// `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: String,
    /// The cluster's region.
    pub region: String,
    /// The account owning the cluster (`aws:SourceAccount`).
    pub account: String,
}

impl ClusterArn {
    /// Parses `arn:<partition>:eks:<region>:<account>:cluster/<name>`.
    pub(super) fn parse(arn: &str) -> Result<Self, String> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        match parts.as_slice() {
            ["arn", partition, "eks", region, account, resource]
                if partition.starts_with("aws")
                    && !region.is_empty()
                    && account.len() == 12
                    && account.chars().all(|c| c.is_ascii_digit())
                    && resource
                        .strip_prefix("cluster/")
                        .is_some_and(|n| crate::schema::validators::eks_cluster_name_problem(n).is_none()) =>
            {
                Ok(ClusterArn {
                    arn: arn.to_owned(),
                    partition: (*partition).to_owned(),
                    region: (*region).to_owned(),
                    account: (*account).to_owned(),
                })
            }
            _ => Err(format!(
                "{arn:?} is not an EKS cluster ARN; expected \"arn:aws:eks:<region>:<12-digit account>:cluster/<name>\""
            )),
        }
    }
}

/// The Pod Identity trust policy: only the EKS Pod Identity agent, acting for one of `clusters` in their own
/// account, may assume the role and tag the session; with `session_tags` (the default for associations) the
/// namespace and service account the agent tags the session with must be the binding's.
pub(super) fn pod_identity_trust_policy(
    clusters: &[ClusterArn],
    namespace: &str,
    service_account: &str,
    session_tags: bool,
) -> PolicyDocument {
    let accounts: Vec<String> = clusters.iter().map(|c| c.account.clone()).collect();
    let arns: Vec<String> = clusters.iter().map(|c| c.arn.clone()).collect();
    let mut equals = BTreeMap::from([("aws:SourceAccount".to_owned(), OneOrMany::from(accounts))]);
    if session_tags {
        equals.insert("aws:RequestTag/kubernetes-namespace".into(), namespace.into());
        equals.insert(
            "aws:RequestTag/kubernetes-service-account".into(),
            service_account.into(),
        );
    }
    let condition = Conditions::from([
        ("StringEquals".to_owned(), equals),
        (
            "ArnEquals".to_owned(),
            BTreeMap::from([("aws:SourceArn".to_owned(), OneOrMany::from(arns))]),
        ),
    ]);
    PolicyDocument::new(vec![Statement {
        sid: None,
        effect: "Allow".into(),
        principal: Some(BTreeMap::from([(
            "Service".into(),
            OneOrMany::from(POD_IDENTITY_PRINCIPAL),
        )])),
        action: OneOrMany::from(vec!["sts:AssumeRole".to_owned(), "sts:TagSession".to_owned()]),
        resource: None,
        condition,
    }])
}

/// A trust policy admitting both the old and the new principal: the statements of two canonical trust
/// documents side by side, so a mechanism switch never leaves a moment when neither can assume the role.
pub(super) fn union_of_trust(old: &str, new: &str) -> Result<String, String> {
    let parse = |t: &str| serde_json::from_str::<Json>(t).map_err(|e| format!("trust policy is not JSON: {e}"));
    let (mut merged, new) = (parse(old)?, parse(new)?);
    let extra = match &new["Statement"] {
        Json::Array(items) => items.clone(),
        Json::Object(_) => vec![new["Statement"].clone()],
        _ => Vec::new(),
    };
    match merged.get_mut("Statement") {
        Some(Json::Array(items)) => items.extend(extra),
        Some(one @ Json::Object(_)) => {
            let first = one.take();
            *one = Json::Array(std::iter::once(first).chain(extra).collect());
        }
        _ => return Err("the current trust policy has no statements".into()),
    }
    Ok(canonical_value(&merged).to_string())
}

/// The inline policy with the statement letting the role chain into `target_role_arn` (Pod Identity's
/// cross-account role: the agent assumes this role, then the target with the same session tags).
pub(super) fn with_target(policy: Option<String>, target_role_arn: Option<&str>) -> Option<String> {
    let Some(target) = target_role_arn else {
        return policy;
    };
    let statement = serde_json::json!({
        "Sid": "AssumeTargetRole",
        "Effect": "Allow",
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Resource": target,
    });
    let mut doc = policy
        .and_then(|p| serde_json::from_str::<Json>(&p).ok())
        .unwrap_or_else(|| serde_json::json!({"Version": "2012-10-17", "Statement": []}));
    if let Some(list) = doc.get_mut("Statement").and_then(Json::as_array_mut) {
        list.push(statement);
    }
    Some(canonical_value(&doc).to_string())
}

/// Read, write or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// List and get objects.
    Read,
    /// Put and delete objects.
    Write,
    /// Both.
    ReadWrite,
}

impl Access {
    /// From the schema's `read`, `write`, `read-write`.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "read" => Some(Access::Read),
            "write" => Some(Access::Write),
            "read-write" => Some(Access::ReadWrite),
            _ => None,
        }
    }
    fn reads(self) -> bool {
        matches!(self, Access::Read | Access::ReadWrite)
    }
    fn writes(self) -> bool {
        matches!(self, Access::Write | Access::ReadWrite)
    }
}

/// Access to one bucket, optionally limited to key prefixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct S3Grant {
    /// Bucket name.
    pub bucket: String,
    /// Key prefixes (`uploads/`); empty = the whole bucket.
    pub prefixes: Vec<String>,
    /// What the role may do.
    pub access: Access,
}

/// Secrets Manager access.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SecretsGrant {
    /// Secret name prefixes ending in `/`, e.g. `/my-app/`.
    pub name_prefixes: Vec<String>,
    /// Exact secret ARNs.
    pub secret_arns: Vec<String>,
    /// Customer-managed KMS key the secrets are encrypted with.
    pub kms_key_arn: Option<String>,
}

/// SSM Parameter Store access.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SsmGrant {
    /// Parameter paths (`/my-app`); access covers the path and everything below it.
    pub paths: Vec<String>,
    /// KMS key of SecureString parameters.
    pub kms_key_arn: Option<String>,
}

/// Everything the permission policy grants.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Grants {
    /// S3 buckets.
    pub s3: Vec<S3Grant>,
    /// Secrets Manager.
    pub secrets: Option<SecretsGrant>,
    /// SSM parameters.
    pub ssm: Option<SsmGrant>,
}

/// Where the ARNs point: partition, region and account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ArnScope {
    /// Partition.
    pub partition: String,
    /// Region of the secrets and parameters.
    pub region: String,
    /// Account.
    pub account: String,
}

fn allow(sid: String, actions: &[&str], resources: Vec<String>, condition: Conditions) -> Statement {
    Statement {
        sid: Some(sid),
        effect: "Allow".into(),
        principal: None,
        action: actions.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>().into(),
        resource: Some(resources.into()),
        condition,
    }
}

fn via_service(service: &str, region: &str) -> Conditions {
    BTreeMap::from([(
        "StringEquals".into(),
        BTreeMap::from([(
            "kms:ViaService".into(),
            OneOrMany::One(format!("{service}.{region}.amazonaws.com")),
        )]),
    )])
}

/// Key prefixes as S3 writes them: no leading `/`, ending in `/` unless empty.
fn s3_prefix(p: &str) -> String {
    let p = p.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        p.to_owned()
    } else {
        format!("{p}/")
    }
}

/// The inline permission policy, or `None` when nothing is granted.
pub(super) fn permission_policy(grants: &Grants, scope: &ArnScope) -> Option<PolicyDocument> {
    let ArnScope {
        partition,
        region,
        account,
    } = scope;
    let mut statements = Vec::new();
    for (i, g) in grants.s3.iter().enumerate() {
        let bucket_arn = format!("arn:{partition}:s3:::{}", g.bucket);
        let prefixes: Vec<String> = g.prefixes.iter().map(|p| s3_prefix(p)).collect();
        let objects: Vec<String> = if prefixes.is_empty() {
            vec![format!("{bucket_arn}/*")]
        } else {
            prefixes.iter().map(|p| format!("{bucket_arn}/{p}*")).collect()
        };
        if g.access.reads() {
            let condition = if prefixes.is_empty() {
                Conditions::new()
            } else {
                let values: Vec<String> = prefixes.iter().flat_map(|p| [p.clone(), format!("{p}*")]).collect();
                BTreeMap::from([(
                    "StringLike".into(),
                    BTreeMap::from([("s3:prefix".into(), values.into())]),
                )])
            };
            statements.push(allow(
                format!("S3List{i}"),
                &["s3:ListBucket"],
                vec![bucket_arn.clone()],
                condition,
            ));
            statements.push(allow(
                format!("S3Read{i}"),
                &["s3:GetObject", "s3:GetObjectVersion"],
                objects.clone(),
                Conditions::new(),
            ));
        }
        if g.access.writes() {
            statements.push(allow(
                format!("S3Write{i}"),
                &["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                objects,
                Conditions::new(),
            ));
        }
    }
    if let Some(s) = &grants.secrets {
        let mut resources: Vec<String> = s
            .name_prefixes
            .iter()
            .map(|p| format!("arn:{partition}:secretsmanager:{region}:{account}:secret:{p}*"))
            .collect();
        resources.extend(s.secret_arns.iter().cloned());
        if !resources.is_empty() {
            statements.push(allow(
                "SecretsRead".into(),
                &["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                resources,
                Conditions::new(),
            ));
        }
        if let Some(key) = &s.kms_key_arn {
            statements.push(allow(
                "SecretsDecrypt".into(),
                &["kms:Decrypt"],
                vec![key.clone()],
                via_service("secretsmanager", region),
            ));
        }
    }
    if let Some(s) = &grants.ssm {
        let resources: Vec<String> = s
            .paths
            .iter()
            .flat_map(|p| {
                let p = p.trim_end_matches('/');
                let base = format!("arn:{partition}:ssm:{region}:{account}:parameter{p}");
                [base.clone(), format!("{base}/*")]
            })
            .collect();
        if !resources.is_empty() {
            statements.push(allow(
                "ParametersRead".into(),
                &["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                resources,
                Conditions::new(),
            ));
        }
        if let Some(key) = &s.kms_key_arn {
            statements.push(allow(
                "ParametersDecrypt".into(),
                &["kms:Decrypt"],
                vec![key.clone()],
                via_service("ssm", region),
            ));
        }
    }
    (!statements.is_empty()).then(|| PolicyDocument::new(statements))
}

/// Appends the statements of a user-written policy document (`custom_policy_json`) to the generated one,
/// keeping them verbatim (NotAction, NotResource and every other field survive). `Err` says why the text
/// is not a policy document.
pub(super) fn with_custom(generated: Option<PolicyDocument>, custom: Option<&str>) -> Result<Option<String>, String> {
    let Some(custom) = custom else {
        return Ok(generated.map(|d| d.to_canonical()));
    };
    let parsed: Json = serde_json::from_str(custom).map_err(|e| format!("is not JSON: {e}"))?;
    let statements = match &parsed["Statement"] {
        Json::Array(items) if items.iter().all(Json::is_object) => items.clone(),
        Json::Object(_) => vec![parsed["Statement"].clone()],
        _ => return Err("has no \"Statement\" list of objects".into()),
    };
    for (i, st) in statements.iter().enumerate() {
        match st.get("Effect").and_then(Json::as_str) {
            None => return Err(format!("has a statement without \"Effect\" (Statement[{i}])")),
            Some("Allow" | "Deny") => {}
            Some(other) => {
                return Err(format!(
                    "has \"Effect\": {other:?} in Statement[{i}]; IAM accepts only \"Allow\" or \"Deny\""
                ));
            }
        }
        if let Some(key) = ["Principal", "NotPrincipal"].into_iter().find(|k| st.get(k).is_some()) {
            return Err(format!(
                "has \"{key}\" in Statement[{i}]; a role's permission policy applies to the role itself, so \
                 IAM rejects principals there (trust is generated from the service account)"
            ));
        }
        if st.get("Action").is_none() && st.get("NotAction").is_none() {
            return Err(format!("has no \"Action\" or \"NotAction\" in Statement[{i}]"));
        }
    }
    let mut doc = serde_json::to_value(generated.unwrap_or_else(|| PolicyDocument::new(Vec::new())))
        .map_err(|e| e.to_string())?;
    if let Some(list) = doc.get_mut("Statement").and_then(Json::as_array_mut) {
        list.extend(statements);
    }
    Ok(Some(canonical_value(&doc).to_string()))
}

/// The canonical form of a JSON value: object keys sorted, one-element string lists collapsed to the
/// string, string lists sorted and deduplicated (IAM treats them as sets).
pub(super) fn canonical_value(v: &Json) -> Json {
    match v {
        Json::Object(m) => {
            let sorted: BTreeMap<&String, Json> = m.iter().map(|(k, v)| (k, canonical_value(v))).collect();
            Json::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Json::Array(items) if items.iter().all(Json::is_string) => {
            let mut strings: Vec<&str> = items.iter().filter_map(Json::as_str).collect();
            strings.sort_unstable();
            strings.dedup();
            match strings.as_slice() {
                [one] => Json::String((*one).to_owned()),
                many => Json::Array(many.iter().map(|s| Json::String((*s).to_owned())).collect()),
            }
        }
        Json::Array(items) => Json::Array(items.iter().map(canonical_value).collect()),
        other => other.clone(),
    }
}

/// Canonical JSON of a document as IAM returns it: percent-decoded when needed, then canonicalised.
pub(super) fn canonical_document(text: &str) -> Result<String, String> {
    let decoded = if text.trim_start().starts_with('{') {
        std::borrow::Cow::Borrowed(text)
    } else {
        percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map_err(|e| format!("policy document is not UTF-8 after percent-decoding: {e}"))?
    };
    let json: Json = serde_json::from_str(&decoded).map_err(|e| format!("policy document is not JSON: {e}"))?;
    Ok(canonical_value(&json).to_string())
}

/// The service account a trust policy admits, with the provider ARN: `(provider_arn, namespace, name)`.
/// Used by import to restore the inputs from the role.
pub(super) fn subject_of(trust_json: &str) -> Option<(String, String, String)> {
    let doc: PolicyDocument = serde_json::from_str(trust_json).ok()?;
    let st = doc.statement.first()?;
    let provider = match st.principal.as_ref()?.get("Federated")? {
        OneOrMany::One(s) => s.clone(),
        OneOrMany::Many(v) => v.first()?.clone(),
    };
    let sub = st
        .condition
        .values()
        .flat_map(|m| m.iter())
        .find(|(k, _)| k.ends_with(":sub"))
        .and_then(|(_, v)| match v {
            OneOrMany::One(s) => Some(s.clone()),
            OneOrMany::Many(_) => None,
        })?;
    let rest = sub.strip_prefix("system:serviceaccount:")?;
    let (ns, sa) = rest.split_once(':')?;
    Some((provider, ns.to_owned(), sa.to_owned()))
}

/// What a Pod Identity trust policy admits: `(cluster names, namespace, service account)`, the namespace
/// and service account from the session-tag conditions. Used by import; `None` for any other document or
/// one without session-tag conditions (nothing then says which service account the role is for).
pub(super) fn pod_identity_subject_of(trust_json: &str) -> Option<(Vec<String>, String, String)> {
    let doc: PolicyDocument = serde_json::from_str(trust_json).ok()?;
    let st = doc.statement.first()?;
    match st.principal.as_ref()?.get("Service")? {
        OneOrMany::One(s) if s == POD_IDENTITY_PRINCIPAL => {}
        _ => return None,
    }
    let one = |key: &str| match st.condition.get("StringEquals")?.get(key)? {
        OneOrMany::One(v) => Some(v.clone()),
        OneOrMany::Many(_) => None,
    };
    let arns = match st.condition.get("ArnEquals")?.get("aws:SourceArn")? {
        OneOrMany::One(a) => vec![a.clone()],
        OneOrMany::Many(a) => a.clone(),
    };
    let clusters = arns
        .iter()
        .filter_map(|a| a.rsplit_once(":cluster/").map(|(_, n)| n.to_owned()))
        .collect();
    Some((
        clusters,
        one("aws:RequestTag/kubernetes-namespace")?,
        one("aws:RequestTag/kubernetes-service-account")?,
    ))
}

/// Why a service-account token (a JWT) would not satisfy a trust policy generated by [`trust_policy`], or
/// `None` when it would. Checks what moto's STS does not: issuer (the condition-key prefix), `sub` and
/// `aud`. The token's signature is not checked here (the API server just issued it).
pub(super) fn claims_problem(jwt: &str, trust_json: &str) -> Option<String> {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Json = serde_json::from_slice(&bytes).ok()?;
    let doc: PolicyDocument = serde_json::from_str(trust_json).ok()?;
    let issuer = normalize_issuer(claims["iss"].as_str().unwrap_or_default());
    let sub = claims["sub"].as_str().unwrap_or_default();
    let auds: Vec<&str> = match &claims["aud"] {
        Json::String(a) => vec![a.as_str()],
        Json::Array(a) => a.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    let st = doc.statement.first()?;
    let equals = st.condition.get("StringEquals")?;
    let one = |key: String| match equals.get(&key) {
        Some(OneOrMany::One(v)) => Some(v.clone()),
        _ => None,
    };
    let Some(want_aud) = one(format!("{issuer}:aud")) else {
        return Some(format!(
            "the cluster issues tokens from {issuer}, but the trust policy has no condition for that issuer \
             (is oidc_provider_arn from another cluster?)"
        ));
    };
    if !auds.contains(&want_aud.as_str()) {
        return Some(format!("the token audience {auds:?} does not include {want_aud:?}"));
    }
    if let Some(want_sub) = one(format!("{issuer}:sub"))
        && want_sub != sub
    {
        return Some(format!("the token subject {sub:?} is not {want_sub:?}"));
    }
    None
}

#[cfg(test)]
mod tests;
