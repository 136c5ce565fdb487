//! The arguments of `terraform-provider-hub discover`, checked before any request: a bad one exits 2 with
//! the reason, so a typo never reaches the cluster.

use std::path::PathBuf;

use crate::schema::validators::dns1123_label_problem;

/// The subcommand's name.
pub const SUBCOMMAND: &str = "discover";

/// One line of usage, shown with `--help` and after a bad argument.
pub const USAGE: &str = "usage: terraform-provider-hub discover --namespace NS [--kubeconfig PATH] [--context NAME] \
    [--out FILE] [--generate]\n\
    Lists the namespace's Deployments, Services, Ingresses, HPAs, PDBs, ConfigMaps, Secrets (names only), \
    ServiceAccounts and NetworkPolicies, groups them into apps and writes `import` blocks for hub_app, \
    hub_namespace and hub_network_policy to FILE (default stdout). What hub cannot express is reported as a \
    comment and on stderr. --generate also writes each app's hub_app block, as its import reads it back; \
    `terraform plan -generate-config-out=generated.tf` writes the rest. The kubeconfig defaults to $KUBECONFIG, then ~/.kube/config.";

/// What to discover and where to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The namespace to read.
    pub namespace: String,
    /// The kubeconfig file; `None`: kube's default search ($KUBECONFIG, then ~/.kube/config).
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context; `None`: its current context.
    pub context: Option<String>,
    /// Where the blocks go; `None`: stdout.
    pub out: Option<PathBuf>,
    /// Whether to write each app's `hub_app` block too.
    pub generate: bool,
}

impl Request {
    /// Parses the arguments after the subcommand (`--flag value` or `--flag=value`).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut args = args.into_iter();
        let (mut namespace, mut kubeconfig, mut context, mut out) = (None, None, None, None);
        let mut generate = false;
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg, None),
            };
            let slot = match flag.as_str() {
                "--namespace" | "-n" => &mut namespace,
                "--kubeconfig" => &mut kubeconfig,
                "--context" => &mut context,
                "--out" | "-o" => &mut out,
                "--generate" if inline.is_none() => {
                    generate = true;
                    continue;
                }
                "--generate" => return Err("--generate takes no value".to_owned()),
                other if other.starts_with('-') => return Err(format!("unknown argument {other:?}")),
                other => return Err(format!("unexpected argument {other:?}: every argument is a --flag")),
            };
            let value = match inline.or_else(|| args.next()) {
                Some(v) if !v.is_empty() => v,
                _ => return Err(format!("{flag} needs a value")),
            };
            if slot.replace(value).is_some() {
                return Err(format!("{flag} is given twice"));
            }
        }
        let namespace: String = namespace.ok_or("--namespace is required")?;
        if let Some(problem) = dns1123_label_problem(&namespace, 63) {
            return Err(format!(
                "--namespace {namespace:?} is not a namespace name: it {problem}"
            ));
        }
        Ok(Request {
            namespace,
            kubeconfig: kubeconfig.map(PathBuf::from),
            context,
            out: out.map(PathBuf::from),
            generate,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Request, String> {
        Request::parse(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn flags_are_read_in_both_spellings() {
        let r = parse(&[
            "--namespace",
            "shop",
            "--kubeconfig=/k",
            "--context",
            "c",
            "-o",
            "x.tf",
            "--generate",
        ])
        .expect("valid");
        assert_eq!(
            r,
            Request {
                namespace: "shop".into(),
                kubeconfig: Some("/k".into()),
                context: Some("c".into()),
                out: Some("x.tf".into()),
                generate: true,
            }
        );
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        assert_eq!(parse(&[]).unwrap_err(), "--namespace is required");
        assert_eq!(parse(&["--namespace"]).unwrap_err(), "--namespace needs a value");
        assert!(
            parse(&["--namespace", "a", "--bogus"])
                .unwrap_err()
                .contains("unknown argument \"--bogus\"")
        );
        assert!(
            parse(&["--namespace", "a", "-n", "b"])
                .unwrap_err()
                .contains("given twice")
        );
        assert!(parse(&["shop"]).unwrap_err().contains("unexpected argument"));
        assert!(
            parse(&["--namespace", "Shop_1"])
                .unwrap_err()
                .contains("is not a namespace name")
        );
        assert!(
            parse(&["--namespace", "a", "--generate=yes"])
                .unwrap_err()
                .contains("takes no value")
        );
    }
}
