//! The cluster's IAM OIDC provider, found one way for every caller: `hub_cluster` shows its ARN, and
//! `hub_irsa_binding` builds the role's trust policy on it.

use crate::diag::Diagnostics;

use super::sdk_error;

/// An issuer URL as IAM registers it: no scheme, no trailing slash, and the dual-stack form
/// (`oidc-eks.<region>.api.aws`) mapped to the standard one, which is what the provider ARN names.
pub fn normalize_issuer(url: &str) -> String {
    let s = url.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let s = s.trim_end_matches('/');
    if let Some(rest) = s.strip_prefix("oidc-eks.")
        && let Some((region, path)) = rest.split_once(".api.aws/")
    {
        return format!("oidc.eks.{region}.amazonaws.com/{path}");
    }
    s.to_owned()
}

/// The ARN of the account's IAM OIDC provider for `issuer` (either form); `None` when the account has none.
pub async fn provider_arn(iam: &aws_sdk_iam::Client, issuer: &str) -> Result<Option<String>, Diagnostics> {
    let providers = iam
        .list_open_id_connect_providers()
        .send()
        .await
        .map_err(|e| sdk_error("Listing IAM OIDC providers", &e))?;
    let suffix = format!(":oidc-provider/{}", normalize_issuer(issuer));
    Ok(providers
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn())
        .find(|arn| arn.ends_with(&suffix))
        .map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_normalise_including_dual_stack() {
        let id = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        assert_eq!(normalize_issuer("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC/"), id);
        assert_eq!(normalize_issuer("https://oidc-eks.eu-west-1.api.aws/id/ABC"), id);
        assert_eq!(normalize_issuer(id), id);
    }
}
