//! `terraform-provider-hub eks-token`: the provider binary as a client-go exec credential plugin. A consumer
//! provider (kubernetes, helm) configured with `exec` runs it whenever its cached credential has expired, so
//! a token minted at the start of a long apply is replaced instead of being rejected after 15 minutes,
//! which RenewEphemeralResource cannot do (it returns no new result).
//!
//! One set of flags, both ways: [`ExecRequest::args`] writes them for `hub_eks_token.exec.args`,
//! [`ExecRequest::parse`] reads them back in the subprocess. Only non-secret settings travel as flags;
//! credentials come from the environment chain the plugin inherits.

use std::time::{Duration, SystemTime};

use secrecy::{ExposeSecret, SecretString};

use super::eks_token::REFRESH_AFTER;
use super::{AssumeRole, AwsSettings, Endpoints};
use crate::schema::duration::parse_duration;

/// The subcommand's name (the first argument).
pub const SUBCOMMAND: &str = "eks-token";

/// The ExecCredential API version printed (and put into `exec.api_version`).
pub const API_VERSION: &str = "client.authentication.k8s.io/v1beta1";

/// Usage text of the subcommand.
pub const USAGE: &str = "usage: terraform-provider-hub eks-token --cluster-name NAME [--region REGION] \
    [--profile PROFILE] [--role-arn ARN [--role-session-name NAME] [--external-id ID]] \
    [--endpoint-url URL] [--sts-endpoint-url URL] [--renew-after DURATION]\n\
    Prints a client.authentication.k8s.io/v1beta1 ExecCredential holding an EKS token. AWS credentials \
    come from the environment (variables, profile, SSO, instance role), never from arguments.";

/// The shortest `renew_after`: client-go would run the plugin for nearly every request.
const MIN_RENEW_AFTER: Duration = Duration::from_secs(10);
/// The longest `renew_after`: a minute short of EKS's 15 (what `aws eks get-token` allows for clock skew).
const MAX_RENEW_AFTER: Duration = Duration::from_secs(14 * 60);

/// How long after signing a token is handed out as current: `text` (`90s`, `5m`) checked, or the
/// default ([`REFRESH_AFTER`], as hub's own token cache).
pub fn renew_after(text: Option<&str>) -> Result<Duration, String> {
    let Some(text) = text else {
        return Ok(REFRESH_AFTER);
    };
    match parse_duration(text) {
        None => Err(format!("{text:?} is not a duration such as \"90s\" or \"10m\"")),
        Some(d) if d < MIN_RENEW_AFTER || d > MAX_RENEW_AFTER => Err(format!(
            "{text:?} is outside 10s..14m: EKS accepts a token for 15 minutes after signing, and a consumer \
             must renew before that with a margin for clock skew"
        )),
        Some(d) => Ok(d),
    }
}

/// What one run of the plugin mints: for which cluster, with which AWS settings, and how long client-go may
/// reuse the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecRequest {
    /// EKS cluster name (`x-k8s-aws-id`).
    pub cluster_name: String,
    /// The provider block's AWS settings (region, profile, assume-role, endpoint overrides).
    pub settings: AwsSettings,
    /// How long after signing client-go reuses the token (`expirationTimestamp`), when not the default.
    pub renew_after: Option<String>,
}

impl ExecRequest {
    /// The plugin's arguments, subcommand first. Settings that only reach IAM or EKS (not token minting)
    /// are left out.
    pub fn args(&self) -> Vec<String> {
        let s = &self.settings;
        let role = s.assume_role.as_ref();
        let flags = [
            ("--cluster-name", Some(self.cluster_name.as_str())),
            ("--region", s.region.as_deref()),
            ("--profile", s.profile.as_deref()),
            ("--role-arn", role.map(|r| r.role_arn.as_str())),
            ("--role-session-name", role.and_then(|r| r.session_name.as_deref())),
            ("--external-id", role.and_then(|r| r.external_id.as_deref())),
            ("--endpoint-url", s.endpoints.default.as_deref()),
            ("--sts-endpoint-url", s.endpoints.sts.as_deref()),
            ("--renew-after", self.renew_after.as_deref()),
        ];
        std::iter::once(SUBCOMMAND.to_owned())
            .chain(
                flags
                    .into_iter()
                    .filter_map(|(flag, value)| Some([flag.to_owned(), value?.to_owned()]))
                    .flatten(),
            )
            .collect()
    }

    /// Reads the flags after the subcommand (`--flag VALUE` or `--flag=VALUE`). Checks structure only; the
    /// caller checks values as the provider block does.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut args = args.into_iter();
        let mut cluster_name = None;
        let mut settings = AwsSettings::default();
        let mut renew_after = None;
        let (mut role_arn, mut session_name, mut external_id) = (None, None, None);
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg, None),
            };
            let slot = match flag.as_str() {
                "--cluster-name" => &mut cluster_name,
                "--region" => &mut settings.region,
                "--profile" => &mut settings.profile,
                "--role-arn" => &mut role_arn,
                "--role-session-name" => &mut session_name,
                "--external-id" => &mut external_id,
                "--endpoint-url" => &mut settings.endpoints.default,
                "--sts-endpoint-url" => &mut settings.endpoints.sts,
                "--renew-after" => &mut renew_after,
                secret if secret.contains("secret") || secret.contains("access-key") || secret.contains("token") => {
                    return Err(format!(
                        "{secret} is not accepted: AWS credentials come from the environment (AWS_ACCESS_KEY_ID, \
                         AWS_PROFILE, SSO, instance role), never from arguments, which other users can read"
                    ));
                }
                other if other.starts_with("--") => return Err(format!("unknown argument {other:?}")),
                // Not echoed: a stray value may be a pasted credential.
                _ => return Err("unexpected argument: every argument is a --flag (see --help)".to_owned()),
            };
            let value = match inline.or_else(|| args.next()) {
                Some(v) if !v.is_empty() => v,
                _ => return Err(format!("{flag} needs a value")),
            };
            if slot.replace(value).is_some() {
                return Err(format!("{flag} is given twice"));
            }
        }
        let cluster_name = cluster_name.ok_or("--cluster-name is required")?;
        settings.assume_role = match (role_arn, session_name.is_some() || external_id.is_some()) {
            (Some(role_arn), _) => Some(AssumeRole {
                role_arn,
                session_name,
                external_id,
            }),
            (None, true) => return Err("--role-session-name and --external-id need --role-arn".to_owned()),
            (None, false) => None,
        };
        Ok(ExecRequest {
            cluster_name,
            settings,
            renew_after,
        })
    }

    /// The endpoint overrides with their flag names, for checking.
    pub fn endpoint_flags(&self) -> [(&'static str, Option<&str>); 2] {
        let Endpoints { default, sts, .. } = &self.settings.endpoints;
        [
            ("--endpoint-url", default.as_deref()),
            ("--sts-endpoint-url", sts.as_deref()),
        ]
    }
}

/// The ExecCredential document client-go reads from the plugin's stdout: the token, and when to run the
/// plugin again.
pub fn exec_credential(token: &SecretString, renew_at: SystemTime) -> String {
    serde_json::json!({
        "apiVersion": API_VERSION,
        "kind": "ExecCredential",
        "spec": {},
        "status": {
            "expirationTimestamp": rfc3339(renew_at),
            "token": token.expose_secret(),
        }
    })
    .to_string()
}

/// RFC 3339 in UTC, whole seconds (what `metav1.Time` and Terraform's timestamp functions read).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    i64::try_from(secs)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn arguments_round_trip_through_the_subprocess() {
        let request = ExecRequest {
            cluster_name: "prod".into(),
            settings: AwsSettings {
                region: Some("eu-west-1".into()),
                profile: Some("deploy".into()),
                assume_role: Some(AssumeRole {
                    role_arn: "arn:aws:iam::123456789012:role/deploy".into(),
                    session_name: Some("ci".into()),
                    external_id: None,
                }),
                endpoints: Endpoints {
                    default: Some("http://127.0.0.1:5000".into()),
                    sts: Some("http://127.0.0.1:5001".into()),
                    ..Endpoints::default()
                },
            },
            renew_after: Some("90s".into()),
        };
        let args = request.args();
        assert_eq!(args[0], SUBCOMMAND);
        assert_eq!(ExecRequest::parse(args[1..].to_vec()), Ok(request));
    }

    #[test]
    fn only_token_settings_travel() {
        let request = ExecRequest {
            cluster_name: "c".into(),
            settings: AwsSettings {
                endpoints: Endpoints {
                    iam: Some("http://127.0.0.1:1".into()),
                    eks: Some("http://127.0.0.1:2".into()),
                    ..Endpoints::default()
                },
                ..AwsSettings::default()
            },
            renew_after: None,
        };
        assert_eq!(request.args(), strings(&["eks-token", "--cluster-name", "c"]));
    }

    #[test]
    fn bad_arguments_are_refused_with_a_reason() {
        let parse = |a: &[&str]| ExecRequest::parse(strings(a)).unwrap_err();
        assert!(parse(&[]).contains("--cluster-name is required"));
        assert!(parse(&["--cluster-name"]).contains("needs a value"));
        assert!(parse(&["--cluster-name=a", "--cluster-name", "b"]).contains("twice"));
        assert!(parse(&["--cluster-name", "a", "--bogus", "x"]).contains("unknown argument"));
        assert!(parse(&["--cluster-name", "a", "--secret-access-key", "x"]).contains("never from arguments"));
        assert!(parse(&["--cluster-name", "a", "--external-id", "x"]).contains("need --role-arn"));
        let stray = parse(&["--cluster-name", "a", "wJalrXUtnFEMI/K7MDENG"]);
        assert!(
            stray.contains("unexpected argument") && !stray.contains("wJalr"),
            "{stray}"
        );
    }

    #[test]
    fn renew_after_is_bounded_by_the_eks_lifetime() {
        assert_eq!(renew_after(None), Ok(REFRESH_AFTER));
        assert_eq!(renew_after(Some("90s")), Ok(Duration::from_secs(90)));
        assert_eq!(renew_after(Some("14m")), Ok(MAX_RENEW_AFTER));
        assert!(renew_after(Some("15m")).unwrap_err().contains("outside"));
        assert!(renew_after(Some("5s")).unwrap_err().contains("outside"));
        assert!(renew_after(Some("soon")).unwrap_err().contains("not a duration"));
    }

    #[test]
    fn the_credential_is_a_v1beta1_exec_credential_with_whole_second_expiry() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_800_000_000_500);
        let doc: serde_json::Value =
            serde_json::from_str(&exec_credential(&SecretString::from("k8s-aws-v1.x"), t)).unwrap();
        assert_eq!(doc["apiVersion"], API_VERSION);
        assert_eq!(doc["kind"], "ExecCredential");
        assert_eq!(doc["status"]["token"], "k8s-aws-v1.x");
        assert_eq!(doc["status"]["expirationTimestamp"], "2027-01-15T08:00:00Z");
    }
}
