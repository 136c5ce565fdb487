//! The configurations the scenarios apply: a namespace (with its default-deny companion) and `apps`
//! `hub_app`s, optionally `bindings` `hub_irsa_binding`s under the scope's IAM prefix (IRSA, or Pod Identity
//! with an association each on the sandbox cluster); or the dev stack
//! itself (`examples/local-demo` with `examples/eks-stack/dev.tfvars`: the apps module in EKS mode).

use hub_acceptance::sandbox::{CLUSTER_NAME, Scope};
use hub_acceptance::support::{aws_workspace, err, provider_block, relative, repo_root, sandbox};
use hub_acceptance::tf::{self, Install, Workspace};

/// What one scenario applies.
#[derive(Debug, Clone)]
pub(crate) struct Stack {
    pub scope: Scope,
    /// The namespace every app lives in.
    pub namespace: String,
    pub apps: usize,
    pub bindings: usize,
    /// The bindings use EKS Pod Identity (an association each on the sandbox cluster) instead of IRSA.
    pub pod_identity: bool,
    /// Extra provider-block lines (e.g. `host`/`token` for the throttled identity).
    pub provider_extra: Option<String>,
    /// `-parallelism` of its applies.
    pub parallelism: usize,
    /// The dev stack instead of the generated configuration.
    pub dev_stack: bool,
}

/// What `examples/eks-stack/dev.tfvars` deploys: its namespace, apps and IRSA bindings (roles named by the
/// service module: namespace, app, random suffix).
const DEV_NAMESPACE: &str = "my-app-dev";
const DEV_APPS: usize = 2;
const DEV_BINDINGS: usize = 1;

impl Stack {
    pub fn new(test: &str, apps: usize, bindings: usize) -> Self {
        let scope = Scope::new(test);
        let namespace = scope.name("rel");
        Self {
            scope,
            namespace,
            apps,
            bindings,
            pod_identity: false,
            provider_extra: None,
            parallelism: 10,
            dev_stack: false,
        }
    }

    /// The same stack with Pod Identity bindings.
    pub fn with_pod_identity(self) -> Self {
        Self {
            pod_identity: true,
            ..self
        }
    }

    /// The dev stack, as `make demo` applies it.
    pub fn dev(test: &str) -> Self {
        Self {
            namespace: DEV_NAMESPACE.to_owned(),
            dev_stack: true,
            ..Self::new(test, DEV_APPS, DEV_BINDINGS)
        }
    }

    /// IAM role names start with this.
    pub fn role_prefix(&self) -> String {
        if self.dev_stack {
            format!("{DEV_NAMESPACE}-")
        } else {
            self.scope.iam_prefix()
        }
    }

    /// The `apply` command line.
    pub fn apply_args(&self) -> Vec<String> {
        ["apply", "-json", "-input=false", "-auto-approve"]
            .into_iter()
            .map(str::to_owned)
            .chain([format!("-parallelism={}", self.parallelism)])
            .collect()
    }

    /// A workspace with the sandbox's AWS environment signed with the scope's own key, so AWS faults can
    /// target this scenario only.
    pub fn workspace(&self) -> tf::Result<Workspace> {
        if self.dev_stack {
            return self.dev_workspace();
        }
        let mut ws = aws_workspace(tf::opentofu()?, &self.scope)?;
        ws.set_timeout(std::time::Duration::from_secs(600));
        ws.config(&self.hcl())?;
        Ok(ws)
    }

    /// `examples/local-demo` copied with its module source made absolute, `dev.tfvars` as
    /// `terraform.tfvars` (so every plan and apply reads it), hub from the filesystem mirror, `init` done.
    fn dev_workspace(&self) -> tf::Result<Workspace> {
        let root = repo_root()?;
        let mut ws = Workspace::with_install(tf::opentofu()?, Install::FilesystemMirror)?;
        for (k, v) in sandbox().env() {
            ws.set_env(k, v);
        }
        let creds = self.scope.aws_credentials();
        ws.set_env("AWS_ACCESS_KEY_ID", creds.access_key_id());
        ws.set_env("AWS_SECRET_ACCESS_KEY", creds.secret_access_key());
        ws.set_timeout(std::time::Duration::from_secs(600));
        let demo = root.join("examples/local-demo");
        for entry in std::fs::read_dir(&demo).map_err(err)? {
            let name = entry.map_err(err)?.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tf") {
                let text = std::fs::read_to_string(demo.join(&name)).map_err(err)?;
                let here = ws.path().canonicalize().map_err(err)?;
                let modules = relative(&here, &root.join("terraform/modules"));
                ws.write(&name, &text.replace("../../terraform/modules", &modules))?;
            }
        }
        let vars = std::fs::read_to_string(root.join("examples/eks-stack/dev.tfvars")).map_err(err)?;
        ws.write("terraform.tfvars", &vars)?;
        ws.init()?;
        Ok(ws)
    }

    fn provider(&self) -> String {
        match &self.provider_extra {
            Some(block) => format!(
                "terraform {{\n  required_providers {{\n    hub = {{ source = \"hub/hub\" }}\n  }}\n}}\n\nprovider \"hub\" {{\n{block}}}\n"
            ),
            None => provider_block("  region = \"us-east-1\"\n"),
        }
    }

    pub fn hcl(&self) -> String {
        let mut s = format!(
            r#"{provider}
resource "hub_namespace" "ns" {{
  name         = {ns:?}
  default_deny = true
}}
"#,
            provider = self.provider(),
            ns = self.namespace,
        );
        if self.apps > 0 {
            s.push_str(&format!(
                r#"
resource "hub_app" "app" {{
  count     = {n}
  name      = "app-${{count.index}}"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"
  replicas  = 1
  config    = {{ LOG_LEVEL = "info" }}
  rollout   = {{ timeout = "180s" }}
}}
"#,
                n = self.apps
            ));
        }
        if self.bindings > 0 {
            let provider_arn = format!(
                "arn:aws:iam::123456789012:oidc-provider/{}",
                sandbox().oidc_issuer().trim_start_matches("https://")
            );
            let wiring = if self.pod_identity {
                format!("cluster_name      = {CLUSTER_NAME:?}\n  mechanism         = \"pod_identity\"")
            } else {
                format!("oidc_provider_arn = {provider_arn:?}")
            };
            s.push_str(&format!(
                r#"
resource "hub_irsa_binding" "role" {{
  count             = {n}
  {wiring}
  namespace         = hub_namespace.ns.name
  service_account   = "app-${{count.index}}"
  role_name         = "{prefix}${{count.index}}"
  s3_buckets        = [{{ bucket = "bucket-${{count.index}}" }}]
}}
"#,
                n = self.bindings,
                prefix = self.role_prefix(),
            ));
        }
        s
    }
}
