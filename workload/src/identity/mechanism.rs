//! Which EKS workload-identity mechanism gave the process its credentials, judged from what EKS injects
//! into the pod, and the role a session belongs to. `/identity` reports both, so a team moving an app from
//! IRSA to Pod Identity can see which one a pod uses and that it still gets the same role.

/// `irsa` (the pod identity webhook's `AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`) or `pod_identity`
/// (the Pod Identity agent's `AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`;
/// ECS task roles use a relative URI and no token file), the names `hub_irsa_binding.mechanism` uses;
/// `None` for any other source, and when static keys (first in the SDK's chain) win anyway.
pub fn mechanism(env: &[(String, String)]) -> Option<&'static str> {
    let set = |name: &str| env.iter().any(|(k, v)| k == name && !v.is_empty());
    if set("AWS_ACCESS_KEY_ID") {
        None
    } else if set("AWS_ROLE_ARN") && set("AWS_WEB_IDENTITY_TOKEN_FILE") {
        Some("irsa")
    } else if set("AWS_CONTAINER_CREDENTIALS_FULL_URI") && set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        Some("pod_identity")
    } else {
        None
    }
}

/// The role name of an assumed-role session ARN (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`).
pub fn assumed_role(caller_arn: &str) -> Option<String> {
    let (_, rest) = caller_arn.split_once(":assumed-role/")?;
    rest.split('/').next().filter(|n| !n.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::{assumed_role, mechanism};

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_mechanism_is_what_eks_injected() {
        let irsa = env(&[
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/a"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
        ]);
        assert_eq!(mechanism(&irsa), Some("irsa"));
        let pod = env(&[
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://169.254.170.23/v1/credentials",
            ),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token",
            ),
        ]);
        assert_eq!(mechanism(&pod), Some("pod_identity"));
        let ecs = env(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x")]);
        assert_eq!(mechanism(&ecs), None);
        let keys = [irsa.clone(), env(&[("AWS_ACCESS_KEY_ID", "AKIA")])].concat();
        assert_eq!(mechanism(&keys), None, "static keys come first in the chain");
    }

    #[test]
    fn the_role_is_read_from_the_session() {
        assert_eq!(
            assumed_role("arn:aws:sts::123456789012:assumed-role/app/eks-c-pod-1").as_deref(),
            Some("app")
        );
        assert_eq!(assumed_role("arn:aws:iam::123456789012:user/ci"), None);
    }
}
