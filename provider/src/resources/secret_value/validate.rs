//! Checks of `hub_secret_value` before anything is read: exactly one source, and names AWS would refuse.
//! Names and ids are quoted back in diagnostics; they are not secret.

use crate::diag::Diagnostics;
use crate::value::AttributePath;

use super::model::SecretValueModel;

/// The longest secret id or parameter name AWS accepts (an ARN included).
const MAX_ID: usize = 2048;

/// Refuses a configuration without a source, or with more than one.
pub(super) fn one_source(config: &SecretValueModel, diags: &mut Diagnostics) {
    const CHOICE: &str = "Set exactly one of `kubernetes_secret`, `secrets_manager` and `ssm_parameter`";
    let sources = config.sources();
    match sources.as_slice() {
        [] => diags.error(
            "No Secret Source",
            format!("{CHOICE}: hub_secret_value reads one secret from the source set."),
        ),
        [first, rest @ ..] => {
            for other in rest {
                diags.error_at(
                    &AttributePath::attr(*other),
                    "Conflicting Secret Sources",
                    format!("{other} and {first} are both set. {CHOICE}: hub_secret_value reads exactly one secret."),
                );
            }
        }
    }
}

/// Why `s` is not an id, name or ARN of a kind AWS accepts, or `None`.
fn id_problem(s: &str, service: &str, resource: &str, allowed: &str, example: &str) -> Option<String> {
    if s.is_empty() {
        return Some(format!("must not be empty; e.g. {example:?}"));
    }
    if s.len() > MAX_ID {
        return Some(format!("must be at most {MAX_ID} characters (it has {})", s.len()));
    }
    if let Some(arn) = s.strip_prefix("arn:") {
        let parts: Vec<&str> = arn.splitn(5, ':').collect();
        return match parts.as_slice() {
            [_, svc, _, _, rest] if *svc == service && rest.starts_with(resource) => None,
            [_, svc, ..] if *svc != service => Some(format!(
                "is an ARN of another service ({svc:?}); a {service} ARN looks like \
                 arn:aws:{service}:<region>:<account>:{resource}<name>"
            )),
            _ => Some(format!(
                "is not a {service} ARN: it looks like arn:aws:{service}:<region>:<account>:{resource}<name>"
            )),
        };
    }
    s.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || allowed.contains(*c)))
        .map(|c| format!("contains {c:?}; only letters, digits and {allowed:?} are allowed"))
}

/// A Secrets Manager secret name or ARN.
pub(super) fn secret_id_problem(s: &str) -> Option<String> {
    id_problem(s, "secretsmanager", "secret:", "/_+=.@-", "/my-app/db")
}

/// An SSM parameter name or ARN; a name with a hierarchy starts with `/`.
pub(super) fn parameter_name_problem(s: &str) -> Option<String> {
    id_problem(s, "ssm", "parameter/", "/_.-", "/my-app/api-key").or_else(|| {
        (!s.starts_with("arn:") && s.contains('/') && !s.starts_with('/'))
            .then(|| "has a hierarchy, so it must start with '/', e.g. \"/my-app/api-key\"".to_owned())
    })
}

/// A key of the secret's JSON object.
pub(super) fn json_key_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("must not be empty; to read the whole secret string, leave json_key out".into());
    }
    s.chars()
        .find(|c| c.is_control())
        .map(|c| format!("contains the control character {c:?}"))
}

#[cfg(test)]
mod tests {
    use super::super::model::{KubernetesSecret, SsmParameter};
    use super::*;
    use crate::value::Tf;

    #[test]
    fn exactly_one_source() {
        let mut diags = Diagnostics::new();
        one_source(&SecretValueModel::default(), &mut diags);
        assert!(diags.0[0].detail.contains("`kubernetes_secret`"), "{diags:?}");
        assert_eq!(diags.0[0].path, None);

        let two = SecretValueModel {
            kubernetes_secret: Tf::Known(KubernetesSecret::default()),
            ssm_parameter: Tf::Unknown,
            ..Default::default()
        };
        let mut diags = Diagnostics::new();
        one_source(&two, &mut diags);
        assert_eq!(diags.0.len(), 1);
        assert_eq!(diags.0[0].path, Some(AttributePath::attr("ssm_parameter")));

        let one = SecretValueModel {
            ssm_parameter: Tf::Known(SsmParameter::default()),
            ..Default::default()
        };
        let mut diags = Diagnostics::new();
        one_source(&one, &mut diags);
        assert!(diags.is_empty());
    }

    #[test]
    fn secret_ids() {
        assert_eq!(secret_id_problem("/my-app/db"), None);
        assert_eq!(
            secret_id_problem("arn:aws:secretsmanager:us-east-1:123456789012:secret:/my-app/db-AbCdEf"),
            None
        );
        assert!(secret_id_problem("").unwrap().contains("empty"));
        assert!(secret_id_problem("my secret").unwrap().contains("' '"));
        assert!(
            secret_id_problem("arn:aws:ssm:us-east-1:123456789012:parameter/x")
                .unwrap()
                .contains("another service")
        );
        assert!(secret_id_problem("arn:aws:secretsmanager:us-east-1:1:key/x").is_some());
        assert!(secret_id_problem(&"a".repeat(MAX_ID + 1)).is_some());
    }

    #[test]
    fn parameter_names() {
        for ok in [
            "/my-app/api-key",
            "plain_name",
            "arn:aws:ssm:us-east-1:123456789012:parameter/my-app/x",
        ] {
            assert_eq!(parameter_name_problem(ok), None, "{ok}");
        }
        assert!(parameter_name_problem("my-app/key").unwrap().contains("start with '/'"));
        assert!(parameter_name_problem("/my app").is_some());
        assert!(parameter_name_problem("").is_some());
    }

    #[test]
    fn json_keys() {
        assert_eq!(json_key_problem("password"), None);
        assert!(json_key_problem("").is_some());
        assert!(json_key_problem("a\nb").is_some());
    }
}
