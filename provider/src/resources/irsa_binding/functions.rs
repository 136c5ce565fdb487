//! `provider::hub::irsa_trust_policy` and `provider::hub::pod_identity_trust_policy`: the trust policies
//! `hub_irsa_binding` writes, for roles other tools manage (`aws_iam_role`, the terraform-aws-modules IAM
//! modules). Same generator, same canonical JSON, so a role made either way trusts exactly the same thing.

use crate::framework::{Arguments, Function, FunctionError, Parameter, Signature};
use crate::schema::validators::dns1123_subdomain_problem;
use crate::value::{Type, Value};

use super::policy::{self, ClusterArn, OidcProvider};

/// `namespace` and `service_account` as Kubernetes names, each error pointing at its argument.
fn subject<'a>(args: &'a Arguments<'_>, ns: usize, sa: usize) -> Result<(&'a str, &'a str), FunctionError> {
    let namespace = args.string(ns)?;
    if let Some(p) = crate::schema::validators::dns1123_label_problem(namespace, 63) {
        return Err(FunctionError::argument(
            ns,
            format!("namespace {namespace:?} is not a Kubernetes namespace name: it {p}."),
        ));
    }
    let service_account = args.string(sa)?;
    if let Some(p) = dns1123_subdomain_problem(service_account) {
        return Err(FunctionError::argument(
            sa,
            format!("service_account {service_account:?} is not a service account name: it {p}."),
        ));
    }
    Ok((namespace, service_account))
}

fn namespace_parameter() -> Parameter {
    Parameter::string("namespace", "The service account's namespace.")
}

fn service_account_parameter() -> Parameter {
    Parameter::string("service_account", "The service account's name (no wildcards).")
}

/// The IRSA trust policy of one service account.
pub(crate) struct IrsaTrustPolicy;

impl Function for IrsaTrustPolicy {
    fn name(&self) -> &'static str {
        "irsa_trust_policy"
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: "The IRSA trust policy hub_irsa_binding writes, as JSON",
            description: "Returns the trust policy (canonical JSON) that lets exactly one Kubernetes service account \
                          assume a role through the cluster's IAM OIDC provider: `sts:AssumeRoleWithWebIdentity`, with \
                          `sub` and `aud` (`sts.amazonaws.com`) both under `StringEquals`. It is byte for byte the \
                          document `hub_irsa_binding` writes, for roles made by other resources such as \
                          `aws_iam_role`.",
            parameters: vec![
                Parameter::string(
                    "oidc_provider_arn",
                    "The cluster's IAM OIDC provider ARN (`module.eks.oidc_provider_arn`).",
                ),
                namespace_parameter(),
                service_account_parameter(),
            ],
            returns: Type::String,
        }
    }

    fn call(&self, args: &Arguments<'_>) -> Result<Value, FunctionError> {
        let oidc = OidcProvider::parse(args.string(0)?).map_err(|e| FunctionError::argument(0, e))?;
        let (namespace, service_account) = subject(args, 1, 2)?;
        Ok(Value::string(
            policy::trust_policy(&oidc, namespace, service_account, false).to_canonical(),
        ))
    }
}

/// The EKS Pod Identity trust policy of one service account.
pub(crate) struct PodIdentityTrustPolicy;

impl Function for PodIdentityTrustPolicy {
    fn name(&self) -> &'static str {
        "pod_identity_trust_policy"
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: "An EKS Pod Identity trust policy for one service account, as JSON",
            description: "Returns a trust policy (canonical JSON) for EKS Pod Identity: the `pods.eks.amazonaws.com` \
                          principal may `sts:AssumeRole` and `sts:TagSession` only on behalf of the given cluster \
                          (`aws:SourceAccount`, `aws:SourceArn`) and only for sessions tagged with the given namespace \
                          and service account (`aws:RequestTag/kubernetes-namespace`, \
                          `aws:RequestTag/kubernetes-service-account`, which the Pod Identity agent sets unless the \
                          association disables session tags).",
            parameters: vec![
                Parameter::string(
                    "account_id",
                    "The 12-digit account that owns the cluster (the role's `aws:SourceAccount`).",
                ),
                Parameter::string("cluster_arn", "The EKS cluster's ARN (`module.eks.cluster_arn`)."),
                namespace_parameter(),
                service_account_parameter(),
            ],
            returns: Type::String,
        }
    }

    fn call(&self, args: &Arguments<'_>) -> Result<Value, FunctionError> {
        let account = args.string(0)?;
        if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
            return Err(FunctionError::argument(
                0,
                format!("account_id {account:?} is not a 12-digit AWS account ID."),
            ));
        }
        let cluster = ClusterArn::parse(args.string(1)?).map_err(|e| FunctionError::argument(1, e))?;
        if cluster.account != account {
            return Err(FunctionError::argument(
                0,
                format!(
                    "account_id {account:?} is not the account of cluster_arn ({}); Pod Identity's \
                     aws:SourceAccount is the cluster's account.",
                    cluster.account
                ),
            ));
        }
        let (namespace, service_account) = subject(args, 2, 3)?;
        Ok(Value::string(
            policy::pod_identity_trust_policy(std::slice::from_ref(&cluster), namespace, service_account, true)
                .to_canonical(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OIDC: &str = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";

    fn call(f: &dyn Function, args: &[&str]) -> Result<String, FunctionError> {
        let values: Vec<Value> = args.iter().map(|a| Value::string(*a)).collect();
        f.call(&Arguments(&values))
            .map(|v| v.as_str().expect("a string result").to_owned())
    }

    #[test]
    fn irsa_trust_policy_is_the_bindings_document() {
        let got = call(&IrsaTrustPolicy, &[OIDC, "shop", "api"]).unwrap();
        let oidc = OidcProvider::parse(OIDC).unwrap();
        assert_eq!(got, policy::trust_policy(&oidc, "shop", "api", false).to_canonical());
    }

    #[test]
    fn errors_name_the_argument_at_fault() {
        let at = |f: &dyn Function, args: &[&str]| call(f, args).unwrap_err().argument;
        assert_eq!(at(&IrsaTrustPolicy, &["arn:aws:iam::1:role/x", "shop", "api"]), Some(0));
        assert_eq!(at(&IrsaTrustPolicy, &[OIDC, "Shop", "api"]), Some(1));
        assert_eq!(at(&IrsaTrustPolicy, &[OIDC, "shop", "*"]), Some(2));
        let cluster = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";
        assert_eq!(at(&PodIdentityTrustPolicy, &["1234", cluster, "shop", "api"]), Some(0));
        assert_eq!(
            at(&PodIdentityTrustPolicy, &["444455556666", cluster, "shop", "api"]),
            Some(0)
        );
        assert_eq!(
            at(&PodIdentityTrustPolicy, &["111122223333", "prod", "shop", "api"]),
            Some(1)
        );
        assert_eq!(
            at(&PodIdentityTrustPolicy, &["111122223333", cluster, "", "api"]),
            Some(2)
        );
        assert_eq!(
            at(&PodIdentityTrustPolicy, &["111122223333", cluster, "shop", "a b"]),
            Some(3)
        );
    }
}
