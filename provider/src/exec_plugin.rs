//! `terraform-provider-hub eks-token …`: run by client-go as an exec credential plugin (see
//! [`crate::aws::exec_credential`]). Checks its arguments as the provider block checks the same settings,
//! mints through the same code as hub's EKS mode, prints the ExecCredential on stdout. Errors go to stderr
//! as one line each; the token never does.

use crate::aws::LazyAws;
use crate::aws::exec_credential::{self, ExecRequest};
use crate::config::{endpoint_problem, region_problem, role_arn_problem, session_name_problem};
use crate::schema::validators::eks_cluster_name_problem;

/// Parses and checks the arguments after the subcommand.
pub fn request(args: impl IntoIterator<Item = String>) -> Result<ExecRequest, String> {
    let request = ExecRequest::parse(args)?;
    let bad = |flag: &str, value: &str, problem: &dyn std::fmt::Display| format!("{flag} {value:?} {problem}");
    if let Some(p) = eks_cluster_name_problem(&request.cluster_name) {
        return Err(bad(
            "--cluster-name",
            &request.cluster_name,
            &format!("is not an EKS cluster name: it {p}"),
        ));
    }
    let s = &request.settings;
    if let Some(region) = &s.region
        && let Some(p) = region_problem(region)
    {
        return Err(bad("--region", region, &p));
    }
    if let Some(role) = &s.assume_role {
        if let Some(p) = role_arn_problem(&role.role_arn) {
            return Err(bad("--role-arn", &role.role_arn, &p));
        }
        if let Some(name) = &role.session_name
            && let Some(p) = session_name_problem(name)
        {
            return Err(bad("--role-session-name", name, &p));
        }
    }
    for (flag, url) in request.endpoint_flags() {
        if let Some(url) = url
            && let Some((_, detail)) = endpoint_problem(flag, url)
        {
            return Err(detail);
        }
    }
    exec_credential::renew_after(request.renew_after.as_deref()).map_err(|p| format!("--renew-after {p}"))?;
    Ok(request)
}

/// Mints the token and renders the ExecCredential.
pub async fn run(request: ExecRequest) -> Result<String, String> {
    let renew_after = exec_credential::renew_after(request.renew_after.as_deref())?;
    let diagnostics = |d: crate::diag::Diagnostics| {
        d.iter()
            .map(|d| format!("{}: {}", d.summary, d.detail))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let clients = LazyAws::new(request.settings).clients().await.map_err(diagnostics)?;
    let minted = clients
        .mint_eks_token(&request.cluster_name)
        .await
        .map_err(diagnostics)?;
    Ok(exec_credential::exec_credential(
        &minted.token,
        minted.renew_at(renew_after),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(args: &[&str]) -> String {
        request(args.iter().map(|s| (*s).to_owned())).unwrap_err()
    }

    #[test]
    fn values_are_checked_like_the_provider_block() {
        assert!(refusal(&["--cluster-name", "no spaces"]).contains("is not an EKS cluster name"));
        assert!(refusal(&["--cluster-name", "c", "--region", "Europe"]).contains("not an AWS region"));
        assert!(refusal(&["--cluster-name", "c", "--role-arn", "deploy"]).contains("not an IAM role ARN"));
        assert!(refusal(&["--cluster-name", "c", "--endpoint-url", "http://10.0.0.1:5000"]).contains("plain HTTP"));
        assert!(refusal(&["--cluster-name", "c", "--renew-after", "1h"]).contains("--renew-after"));
        assert!(request(["--cluster-name", "c", "--region", "eu-west-1"].map(String::from)).is_ok());
    }
}
