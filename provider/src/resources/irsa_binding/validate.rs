//! Plan-time checks of IAM and AWS names, so that nothing is written before a typo is caught: role names
//! and paths, ARNs, bucket names, key prefixes, secret and parameter paths, tags.

use crate::diag::Diagnostics;
use crate::schema::{Validator, validators};
use crate::value::AttributePath;

use super::model::IrsaBindingModel;

/// Why `s` is not an IAM role name (1–`max` of `[A-Za-z0-9+=,.@_-]`), or `None`.
pub(super) fn role_name_problem(s: &str, max: usize) -> Option<String> {
    if s.is_empty() || s.len() > max {
        return Some(format!("must be 1 to {max} characters (it has {})", s.len()));
    }
    s.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c)))
        .map(|c| format!("contains {c:?}; only letters, digits and + = , . @ _ - are allowed"))
}

/// Why `s` is not an IAM path (`/` or `/a/b/`), or `None`.
pub(super) fn iam_path_problem(s: &str) -> Option<String> {
    if s.len() > 512 || !s.starts_with('/') || !s.ends_with('/') {
        return Some("must start and end with '/', e.g. \"/\" or \"/apps/\"".into());
    }
    if s.contains("//") && s != "/" {
        return Some("must not contain empty segments (\"//\")".into());
    }
    s.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-/".contains(*c)))
        .map(|c| format!("contains {c:?}"))
}

/// "an IAM ARN", "a KMS ARN": the service's name as people write it, with its article.
fn arn_kind(service: &str) -> String {
    match service {
        "iam" => "an IAM ARN".into(),
        "kms" => "a KMS ARN".into(),
        "secretsmanager" => "a Secrets Manager ARN".into(),
        "ssm" => "an SSM ARN".into(),
        "s3" => "an S3 ARN".into(),
        other => format!("an ARN of {other}"),
    }
}

/// Why `s` is not an ARN of `service` with a resource starting with `resource_prefix`, or `None`.
pub(super) fn arn_problem(s: &str, service: &str, resource_prefix: &str) -> Option<String> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, svc, _region, account, resource]
            if partition.starts_with("aws")
                && *svc == service
                && (account.is_empty()
                    || *account == "aws"
                    || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())))
                && resource.starts_with(resource_prefix)
                && resource.len() > resource_prefix.len()
                && !resource.contains(['*', '?']) =>
        {
            None
        }
        _ => Some(format!(
            "is not {} of the form arn:aws:{service}:…:{resource_prefix}…, without wildcards",
            arn_kind(service)
        )),
    }
}

/// Why `s` is not an S3 bucket name, or `None`.
pub(super) fn bucket_problem(s: &str) -> Option<String> {
    if !(3..=63).contains(&s.len()) {
        return Some("must be 3 to 63 characters".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return Some(format!(
            "contains {c:?}; only lower-case letters, digits, '.' and '-' are allowed"
        ));
    }
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !ends_ok(s.chars().next()) || !ends_ok(s.chars().last()) {
        return Some("must start and end with a letter or digit".into());
    }
    if s.contains("..") || s.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some("must not contain \"..\" or look like an IP address".into());
    }
    None
}

/// Why `s` is not a literal key prefix / path (no wildcards, printable), or `None`.
pub(super) fn literal_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("must not be empty".into());
    }
    if s.contains(['*', '?']) {
        return Some("must not contain wildcards ('*', '?'); hub adds exactly the wildcard the scope needs".into());
    }
    s.chars()
        .find(|c| c.is_control() || c.is_whitespace())
        .map(|c| format!("contains {c:?}"))
}

/// A Secrets Manager name prefix: a literal ending in `/`, so `/my-app/` never also matches `/my-app-old`.
pub(super) fn secret_prefix_problem(s: &str) -> Option<String> {
    literal_problem(s).or_else(|| (!s.ends_with('/')).then(|| "must end with '/', e.g. \"/my-app/\"".into()))
}

/// An SSM parameter path: a literal starting with `/`.
pub(super) fn ssm_path_problem(s: &str) -> Option<String> {
    literal_problem(s).or_else(|| {
        (!s.starts_with('/') || s == "/").then(|| "must start with '/' and name a path, e.g. \"/my-app\"".into())
    })
}

/// Why `s` is not an IAM role description (at most 1000 characters of tab, newline and Latin-1 printable
/// text), or `None`.
pub(super) fn description_problem(s: &str) -> Option<String> {
    let count = s.chars().count();
    if count > 1000 {
        return Some(format!("must be at most 1000 characters (it has {count})"));
    }
    s.chars()
        .find(|c| !matches!(*c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a1}'..='\u{ff}'))
        .map(|c| format!("contains {c:?}, which IAM does not accept in a description"))
}

/// Why `s` is not an OIDC issuer URL (`https://host/...`), or `None`.
pub(super) fn issuer_problem(s: &str) -> Option<String> {
    let host = s
        .strip_prefix("https://")
        .map(|rest| rest.split('/').next().unwrap_or_default());
    match host {
        Some(h) if !h.is_empty() && !h.contains(char::is_whitespace) => None,
        _ => Some("is not an https URL, e.g. \"https://oidc.eks.eu-west-1.amazonaws.com/id/ABC…\"".into()),
    }
}

/// Every check of `hub_irsa_binding` made on the model (the schema's validators ran before).
pub(super) fn validate(config: &IrsaBindingModel, diags: &mut Diagnostics) {
    if config.mechanism.is_unknown() {
        return;
    }
    if config.pod_identity() {
        check_pod_identity(config, diags);
    } else {
        check_irsa_only(config, diags);
        check_identity(config, diags);
    }
    if config.role_name.is_set() && config.role_name_prefix.is_set() {
        diags.error_at(
            &AttributePath::attr("role_name_prefix"),
            "Conflicting Role Name Settings",
            "Set `role_name` or `role_name_prefix`, not both.",
        );
    }
    check_subject(config, diags);
    check_attributes(config, diags);
    check_admin_policies(config, diags);
}

/// IRSA's cluster identity: one of `cluster_name` and `oidc_provider_arn`, and a matching issuer.
fn check_identity(config: &IrsaBindingModel, diags: &mut Diagnostics) {
    let (cluster, provider) = (&config.cluster_name, &config.oidc_provider_arn);
    if cluster.is_set() == provider.is_set() && !cluster.is_unknown() && !provider.is_unknown() {
        diags.error(
            "Cluster Identity Required",
            "Set exactly one of `cluster_name` (hub looks up the issuer and OIDC provider) or `oidc_provider_arn` \
             (for example the EKS module's `oidc_provider_arn`).",
        );
    }
    if let (Some(arn), Some(issuer)) = (provider.get(), config.oidc_issuer.get())
        && let Ok(p) = super::policy::OidcProvider::parse(arn)
        && crate::aws::oidc::normalize_issuer(issuer) != p.issuer
    {
        diags.error_at(
            &AttributePath::attr("oidc_issuer"),
            "Issuer Does Not Match OIDC Provider",
            format!(
                "oidc_issuer {issuer:?} names issuer {:?}, but oidc_provider_arn is for {:?}. Tokens would never match \
                 the trust policy; use the outputs of the same cluster.",
                crate::aws::oidc::normalize_issuer(issuer),
                p.issuer
            ),
        );
    }
}

/// Settings only Pod Identity reads, refused with IRSA so nothing configured is silently ignored.
fn check_irsa_only(config: &IrsaBindingModel, diags: &mut Diagnostics) {
    let pod_identity_only = |attr: &str, diags: &mut Diagnostics| {
        diags.error_at(
            &AttributePath::attr(attr),
            "Pod Identity Setting With IRSA",
            format!(
                "`{attr}` applies only to EKS Pod Identity; this binding uses IRSA (`mechanism = \"irsa\"`, the \
                 default). Remove it, or set `mechanism = \"pod_identity\"`."
            ),
        );
    };
    if config.cluster_names.is_set() {
        pod_identity_only("cluster_names", diags);
    }
    if config.target_role_arn.is_set() {
        pod_identity_only("target_role_arn", diags);
    }
    if config.disable_session_tags.value() == Some(true) {
        pod_identity_only("disable_session_tags", diags);
    }
}

/// Pod Identity needs clusters and refuses what only IRSA reads: an OIDC provider or issuer, a wildcard
/// subject (an association names one service account) and the role annotation (a service account must not
/// carry both).
fn check_pod_identity(config: &IrsaBindingModel, diags: &mut Diagnostics) {
    let irsa_only = |attr: &str, why: &str, diags: &mut Diagnostics| {
        diags.error_at(
            &AttributePath::attr(attr),
            "IRSA Setting With Pod Identity",
            format!("`{attr}` applies only to IRSA, and this binding uses `mechanism = \"pod_identity\"`: {why}"),
        );
    };
    if config.oidc_provider_arn.is_set() {
        irsa_only(
            "oidc_provider_arn",
            "Pod Identity trusts pods.eks.amazonaws.com for the clusters named, not an OIDC provider. Remove it \
             and name the clusters in `cluster_name` or `cluster_names`.",
            diags,
        );
    }
    if config.oidc_issuer.is_set() {
        irsa_only(
            "oidc_issuer",
            "Pod Identity does not use the OIDC issuer. Remove it.",
            diags,
        );
    }
    if config.allow_service_account_wildcard.value() == Some(true) {
        irsa_only(
            "allow_service_account_wildcard",
            "a Pod Identity association names exactly one service account. Remove it and name the account.",
            diags,
        );
    }
    if config.annotate_service_account.value() == Some(true) {
        irsa_only(
            "annotate_service_account",
            "with Pod Identity the service account must not carry the eks.amazonaws.com/role-arn annotation (the \
             SDK would try IRSA first). Remove it; hub takes its annotation off when switching.",
            diags,
        );
    }
    if config.association_clusters().is_some_and(|c| c.is_empty()) {
        diags.error_at(
            &AttributePath::attr("cluster_names"),
            "Pod Identity Needs A Cluster",
            "With `mechanism = \"pod_identity\"`, name the EKS clusters whose pods get the role in `cluster_names` \
             (or `cluster_name`); hub makes one association on each.",
        );
    }
}

/// The service account: a valid name, or a wildcard only when asked for.
fn check_subject(config: &IrsaBindingModel, diags: &mut Diagnostics) {
    if let Some(sa) = config.service_account.get() {
        let wildcard = sa.contains(['*', '?']);
        let path = AttributePath::attr("service_account");
        if wildcard && !config.wildcard() {
            diags.error_at(
                &path,
                "Wildcard Service Account",
                format!(
                    "service_account = {sa:?} contains a wildcard. Under StringEquals it would match nothing (AccessDenied at \
                     run time); set allow_service_account_wildcard = true if you really want any matching account."
                ),
            );
        } else if !wildcard && let Some(p) = validators::dns1123_subdomain_problem(sa) {
            diags.error_at(
                &path,
                "Invalid Kubernetes Name",
                format!("service_account = {sa:?} is not a valid name: it {p}."),
            );
        }
    }
}

/// Single-attribute checks of `hub_irsa_binding` that live here rather than in the schema.
fn check_attributes(config: &IrsaBindingModel, diags: &mut Diagnostics) {
    for (name, value, what, problem) in [
        (
            "description",
            &config.description,
            "Description",
            description_problem as fn(&str) -> Option<String>,
        ),
        ("oidc_issuer", &config.oidc_issuer, "OIDC Issuer", issuer_problem),
    ] {
        if let Some(s) = value.get() {
            string_problem(what, problem, s, &AttributePath::attr(name), diags);
        }
    }
}

/// AWS managed policies that make the role an administrator (or able to make itself one).
const ADMIN_POLICIES: &[&str] = &["AdministratorAccess", "IAMFullAccess"];

/// Why a statement of a custom policy grants administrator access (`Allow` of `*` or `iam:*` on `*`), or
/// `None`.
pub(super) fn admin_statement_problem(st: &serde_json::Value) -> Option<String> {
    let strings = |key: &str| -> Vec<String> {
        match st.get(key) {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
            }
            _ => Vec::new(),
        }
    };
    if st.get("Effect").and_then(serde_json::Value::as_str) != Some("Allow")
        || !strings("Resource").iter().any(|r| r == "*")
    {
        return None;
    }
    strings("Action")
        .into_iter()
        .find(|a| a == "*" || a.eq_ignore_ascii_case("iam:*"))
        .map(|a| format!("allows {a:?} on \"*\""))
}

/// Policies that give the role administrator access need `allow_admin_policy = true`: one plan approval
/// should not hand a pod the whole account by accident.
fn check_admin_policies(config: &IrsaBindingModel, diags: &mut Diagnostics) {
    if config.allow_admin_policy.is_unknown() || config.allow_admin_policy.value() == Some(true) {
        return;
    }
    let opt_in =
        "Set allow_admin_policy = true if the pods really need it, or grant only the actions and resources they use.";
    if let Some(text) = config.custom_policy_json.get()
        && let Ok(doc) = serde_json::from_str::<serde_json::Value>(text)
    {
        let statements = match &doc["Statement"] {
            serde_json::Value::Array(items) => items.clone(),
            one @ serde_json::Value::Object(_) => vec![one.clone()],
            _ => Vec::new(),
        };
        for (i, st) in statements.iter().enumerate() {
            if let Some(p) = admin_statement_problem(st) {
                diags.error_at(
                    &AttributePath::attr("custom_policy_json"),
                    "Administrator Policy Needs Opt-in",
                    format!(
                        "custom_policy_json Statement[{i}] {p}: that is administrator access to the account. {opt_in}"
                    ),
                );
            }
        }
    }
    let arns = config.managed_policy_arns.get().map(Vec::as_slice).unwrap_or_default();
    for (i, arn) in arns.iter().enumerate() {
        if let Some(name) = arn
            .as_deref()
            .and_then(|a| a.rsplit_once(":policy/"))
            .filter(|(head, _)| head.ends_with(":iam::aws"))
            .map(|(_, name)| name)
            .filter(|name| ADMIN_POLICIES.contains(name))
        {
            diags.error_at(
                &AttributePath::attr("managed_policy_arns").then_index(i),
                "Administrator Policy Needs Opt-in",
                format!("managed_policy_arns includes the AWS managed policy {name}: that is administrator access to the account. {opt_in}"),
            );
        }
    }
}

/// A string validator from a problem function.
pub(super) fn string(what: &'static str, problem: fn(&str) -> Option<String>) -> Validator {
    Validator::new(what, move |v, path, diags| {
        if let Some(s) = v.as_str() {
            string_problem(what, problem, s, path, diags);
        }
    })
}

/// Reports `s` at `path` when `problem` finds one.
fn string_problem(
    what: &str,
    problem: fn(&str) -> Option<String>,
    s: &str,
    path: &AttributePath,
    diags: &mut Diagnostics,
) {
    if let Some(p) = problem(s) {
        diags.error_at(path, format!("Invalid {what}"), format!("{path} = {s:?} {p}."));
    }
}

/// A list-of-strings validator from a problem function.
pub(super) fn each(what: &'static str, problem: fn(&str) -> Option<String>) -> Validator {
    Validator::new(what, move |v, path, diags| {
        for (i, item) in v.as_elements().unwrap_or_default().iter().enumerate() {
            if let Some(s) = item.as_str()
                && let Some(p) = problem(s)
            {
                diags.error_at(
                    &path.then_index(i),
                    format!("Invalid {what}"),
                    format!("{path}[{i}] = {s:?} {p}."),
                );
            }
        }
    })
}

/// IAM tags: keys 1–128, values up to 256 characters, no `aws:` prefix, none of hub's own `hub:` keys
/// (they mark the roles hub made, see `ownership`), and room left for those on the role.
pub(super) fn tags() -> Validator {
    Validator::new("IAM tags", |v, path, diags| {
        let tags = v.as_map();
        for (k, val) in tags.into_iter().flatten() {
            let len = val.as_str().map_or(0, str::len);
            if k.is_empty() || k.len() > 128 || len > 256 || k.to_ascii_lowercase().starts_with("aws:") {
                diags.error_at(
                    &path.then_key(k),
                    "Invalid IAM Tag",
                    format!("{path}[{k:?}]: keys must be 1 to 128 characters and not start with \"aws:\"; values at most 256."),
                );
            } else if super::ownership::is_reserved(k) {
                diags.error_at(
                    &path.then_key(k),
                    "Reserved IAM Tag Key",
                    format!(
                        "{path}[{k:?}]: keys starting with {:?} (in any case) are reserved for hub, which tags the \
                         roles it creates with {} and {} to tell them from roles other tools made. Use another key.",
                        super::ownership::RESERVED_PREFIX,
                        super::ownership::MANAGED_BY_KEY,
                        super::ownership::BINDING_KEY
                    ),
                );
            }
        }
        let hub = super::ownership::ownership_tags("", "").len();
        let room = super::ownership::MAX_ROLE_TAGS - hub;
        if let Some(n) = tags.map(|t| t.len()).filter(|n| *n > room) {
            diags.error_at(
                path,
                "Too Many IAM Tags",
                format!(
                    "{path} has {n} tags; at most {room} fit, because IAM allows {} per role and hub adds its {hub}.",
                    super::ownership::MAX_ROLE_TAGS
                ),
            );
        }
    })
}

/// Why `s` is not the ARN of an IAM managed policy (`arn:aws:iam::123456789012:policy/NAME`, or
/// `arn:aws:iam::aws:policy/NAME` for one of AWS's), or `None`.
pub(super) fn policy_arn_problem(s: &str) -> Option<String> {
    let form =
        "is not an IAM managed policy ARN (arn:aws:iam::123456789012:policy/NAME or arn:aws:iam::aws:policy/NAME)";
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let ["arn", partition, "iam", region, account, resource] = parts.as_slice() else {
        return Some(form.to_owned());
    };
    let account_ok = *account == "aws" || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()));
    let name = resource.strip_prefix("policy/").and_then(|r| r.rsplit('/').next());
    if !partition.starts_with("aws") || !account_ok || name.is_none_or(str::is_empty) {
        return Some(form.to_owned());
    }
    if !region.is_empty() {
        return Some(format!(
            "{form}: IAM is global, so the region field must be empty, not {region:?}"
        ));
    }
    resource
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-/".contains(*c)))
        .map(|c| format!("{form}: the policy path and name cannot contain {c:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attribute paths `validate` refuses for `config`.
    fn refused(config: &IrsaBindingModel) -> Vec<String> {
        let mut d = crate::diag::Diagnostics::new();
        validate(config, &mut d);
        d.0.into_iter()
            .map(|d| d.path.map(|p| p.to_string()).unwrap_or_default())
            .collect()
    }

    fn pod_identity() -> IrsaBindingModel {
        IrsaBindingModel {
            mechanism: "pod_identity".to_owned().into(),
            cluster_names: crate::value::Tf::Known(vec!["prod".to_owned()]),
            namespace: "shop".to_owned().into(),
            service_account: "api".to_owned().into(),
            ..IrsaBindingModel::default()
        }
    }

    #[test]
    fn each_mechanism_refuses_the_others_settings_by_path() {
        use crate::value::Tf;
        assert_eq!(refused(&pod_identity()), Vec::<String>::new());
        let with_irsa_settings = IrsaBindingModel {
            oidc_provider_arn: "arn:aws:iam::111122223333:oidc-provider/x".to_owned().into(),
            oidc_issuer: "https://x".to_owned().into(),
            allow_service_account_wildcard: Tf::Known(true),
            annotate_service_account: Tf::Known(true),
            ..pod_identity()
        };
        assert_eq!(
            refused(&with_irsa_settings),
            [
                "oidc_provider_arn",
                "oidc_issuer",
                "allow_service_account_wildcard",
                "annotate_service_account"
            ]
        );
        let no_cluster = IrsaBindingModel {
            cluster_names: Tf::Null,
            ..pod_identity()
        };
        assert_eq!(refused(&no_cluster), ["cluster_names"]);
        let irsa = IrsaBindingModel {
            mechanism: "irsa".to_owned().into(),
            cluster_name: "prod".to_owned().into(),
            target_role_arn: "arn:aws:iam::210987654321:role/x".to_owned().into(),
            disable_session_tags: Tf::Known(true),
            ..pod_identity()
        };
        assert_eq!(
            refused(&irsa),
            ["cluster_names", "target_role_arn", "disable_session_tags"]
        );
        let unknown_clusters = IrsaBindingModel {
            cluster_names: Tf::Unknown,
            ..pod_identity()
        };
        assert_eq!(refused(&unknown_clusters), Vec::<String>::new());
    }

    #[test]
    fn administrator_policies_need_the_opt_in() {
        use crate::value::Tf;
        let errors = |config: IrsaBindingModel| {
            let mut d = crate::diag::Diagnostics::new();
            check_admin_policies(&config, &mut d);
            d.0.into_iter().map(|d| d.detail).collect::<Vec<_>>()
        };
        let custom = r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:*"],"Resource":"*"}]}"#;
        let config = |allow: Tf<bool>, custom: &str, arns: &[&str]| IrsaBindingModel {
            allow_admin_policy: allow,
            custom_policy_json: Tf::Known(custom.to_owned()),
            managed_policy_arns: Tf::Known(arns.iter().map(|a| Tf::Known((*a).to_owned())).collect()),
            ..IrsaBindingModel::default()
        };
        let e = errors(config(
            Tf::Null,
            custom,
            &["arn:aws:iam::aws:policy/AdministratorAccess"],
        ));
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("Statement[0] allows \"iam:*\""), "{e:?}");
        assert!(e[1].contains("AdministratorAccess"), "{e:?}");
        assert!(
            errors(config(
                Tf::Known(true),
                custom,
                &["arn:aws:iam::aws:policy/IAMFullAccess"]
            ))
            .is_empty()
        );
        let scoped = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}}"#;
        assert!(
            errors(config(
                Tf::Known(false),
                scoped,
                &["arn:aws:iam::123456789012:policy/AdministratorAccess"]
            ))
            .is_empty()
        );
        assert_eq!(arn_kind("iam"), "an IAM ARN");
        assert!(
            arn_problem("x", "secretsmanager", "secret:")
                .unwrap()
                .starts_with("is not a Secrets Manager ARN")
        );
    }

    #[test]
    fn a_known_administrator_policy_is_refused_while_other_arns_are_unknown() {
        use crate::value::Tf;
        let config = IrsaBindingModel {
            managed_policy_arns: Tf::Known(vec![
                Tf::Unknown,
                Tf::Known("arn:aws:iam::aws:policy/AdministratorAccess".to_owned()),
            ]),
            ..IrsaBindingModel::default()
        };
        let mut d = Diagnostics::new();
        check_admin_policies(&config, &mut d);
        let paths: Vec<String> = d
            .iter()
            .filter_map(|d| d.path.as_ref().map(ToString::to_string))
            .collect();
        assert_eq!(paths, ["managed_policy_arns[1]"]);
    }

    #[test]
    fn role_names_and_paths() {
        assert_eq!(role_name_problem("my-app_role.1@x", 64), None);
        assert!(role_name_problem(&"a".repeat(65), 64).is_some());
        assert!(role_name_problem("bad name!", 64).is_some());
        assert_eq!(iam_path_problem("/"), None);
        assert_eq!(iam_path_problem("/apps/prod/"), None);
        assert!(iam_path_problem("apps/").is_some());
        assert!(iam_path_problem("/apps").is_some());
        assert!(iam_path_problem("/a//b/").is_some());
    }

    #[test]
    fn descriptions_and_issuers() {
        assert_eq!(description_problem("Orders API, café\tteam"), None);
        assert!(description_problem(&"d".repeat(1001)).is_some());
        assert!(description_problem("emoji 🚀").is_some());
        assert_eq!(issuer_problem("https://oidc.eks.us-east-1.amazonaws.com/id/ABC"), None);
        assert!(issuer_problem("ftp://issuer.example.com").is_some());
        assert!(issuer_problem("https://").is_some());
        let mut diags = crate::diag::Diagnostics::new();
        let config = IrsaBindingModel {
            description: "ok".to_owned().into(),
            oidc_issuer: "http://x".to_owned().into(),
            ..IrsaBindingModel::default()
        };
        check_attributes(&config, &mut diags);
        assert_eq!(diags.0.len(), 1);
        assert!(
            diags.0[0].detail.starts_with("oidc_issuer = \"http://x\""),
            "{}",
            diags.0[0].detail
        );
    }

    #[test]
    fn arns_buckets_and_paths() {
        assert_eq!(
            arn_problem("arn:aws:iam::123456789012:policy/boundary", "iam", "policy/"),
            None
        );
        assert_eq!(
            arn_problem("arn:aws:iam::aws:policy/ReadOnlyAccess", "iam", "policy/"),
            None
        );
        assert!(arn_problem("arn:aws:iam::123:policy/x", "iam", "policy/").is_some());
        assert!(arn_problem("arn:aws:kms:eu-west-1:123456789012:key/*", "kms", "key/").is_some());
        assert_eq!(
            policy_arn_problem("arn:aws:iam::123456789012:policy/team/boundary"),
            None
        );
        assert_eq!(
            policy_arn_problem("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"),
            None
        );
        for bad in [
            "boundary",
            "arn:aws:iam::123456789012:role/boundary",
            "arn:aws:iam::123:policy/boundary",
            "arn:aws:iam::123456789012:policy/",
            "arn:aws:s3:::policy/boundary",
        ] {
            let p = policy_arn_problem(bad).unwrap_or_default();
            assert!(p.starts_with("is not an IAM managed policy ARN"), "{bad}: {p}");
        }
        let p = policy_arn_problem("arn:aws:iam:us-east-1:123456789012:policy/b").unwrap_or_default();
        assert!(p.contains("region field must be empty"), "{p}");
        let p = policy_arn_problem("arn:aws:iam::123456789012:policy/b*").unwrap_or_default();
        assert!(p.contains("'*'"), "{p}");
        assert_eq!(bucket_problem("my-app-bucket"), None);
        assert!(bucket_problem("My_Bucket").is_some());
        assert!(bucket_problem("192.168.1.1").is_some());
        assert!(bucket_problem("ab").is_some());
        assert_eq!(secret_prefix_problem("/my-app/"), None);
        assert!(secret_prefix_problem("/my-app").is_some());
        assert!(secret_prefix_problem("/my-app/*").is_some());
        assert_eq!(ssm_path_problem("/my-app"), None);
        assert!(ssm_path_problem("my-app").is_some());
        assert!(ssm_path_problem("/").is_some());
    }

    fn tag_diags(tags: &[(&str, &str)]) -> Vec<String> {
        let value = crate::value::Value::Map(
            tags.iter()
                .map(|(k, v)| ((*k).to_owned(), crate::value::Value::string(*v)))
                .collect(),
        );
        let mut diags = crate::diag::Diagnostics::new();
        crate::schema::validators::run(
            &super::tags(),
            &value,
            &crate::value::AttributePath::attr("tags"),
            &mut diags,
        );
        diags.0.iter().map(|d| format!("{}: {}", d.summary, d.detail)).collect()
    }

    #[test]
    fn hubs_tag_keys_are_refused_in_any_case_and_leave_room_on_the_role() {
        assert!(tag_diags(&[("team", "payments"), ("hubble", "x")]).is_empty());
        for key in ["hub:binding", "HUB:managed-by", "Hub:anything"] {
            let d = tag_diags(&[(key, "x")]);
            assert_eq!(d.len(), 1, "{d:?}");
            assert!(
                d[0].starts_with("Reserved IAM Tag Key: tags[") && d[0].contains(key),
                "{d:?}"
            );
        }
        let keys: Vec<String> = (0..49).map(|i| format!("k{i}")).collect();
        let many: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "v")).collect();
        assert!(tag_diags(&many[..48]).is_empty());
        let d = tag_diags(&many);
        assert!(d.len() == 1 && d[0].contains("tags has 49 tags; at most 48"), "{d:?}");
    }
}
