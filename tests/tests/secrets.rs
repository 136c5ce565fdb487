//! Secrets never leak (issue 10, item 5), in one run that holds every kind hub handles: stored and
//! write-only app secrets, the AWS secret access key (IAM and EKS calls are signed with it), and the EKS
//! bearer tokens the provider mints in EKS mode. With `TF_LOG=trace` and `TF_LOG_PROVIDER=trace`, none may
//! appear in the logs, the plan output, the JSON plan (marked sensitive instead), or an error message; the
//! write-only value never reaches state.

use hub_acceptance::sandbox::{CLUSTER_NAME, SECRET_ACCESS_KEY, Scope};
use hub_acceptance::support::{aws_workspace, eks_provider_block, expect};
use hub_acceptance::tf::{self, Action};

const STORED: &str = "stored-s3cret-d0d1";
const WRITE_ONLY: &str = "write-only-s3cret-e7f3";
/// Every EKS token starts with this prefix; the rest is a presigned URL carrying a signature.
const EKS_TOKEN_PREFIX: &str = "k8s-aws-v1.";

fn config(ns: &str, role: &str, image: &str) -> String {
    format!(
        r#"{provider}
resource "hub_namespace" "ns" {{
  name = {ns:?}
}}
resource "hub_irsa_binding" "api" {{
  cluster_name    = {CLUSTER_NAME:?}
  namespace       = hub_namespace.ns.name
  service_account = "api"
  role_name       = {role:?}
  ssm_parameters  = {{ paths = ["/my-app"] }}
}}
resource "hub_app" "api" {{
  name                  = "api"
  namespace             = hub_namespace.ns.name
  image                 = {image:?}
  replicas              = 1
  secret_env            = {{ DB_PASSWORD = {STORED:?} }}
  secret_env_wo         = {{ API_TOKEN = {WRITE_ONLY:?} }}
  secret_env_wo_version = 1
  service_account       = {{ irsa = hub_irsa_binding.api }}
  rollout               = {{ timeout = "10s" }}
}}
"#,
        provider = eks_provider_block()
    )
}

/// Which secrets `text` gives away.
fn leaks(text: &str, aws_secret: &str) -> Vec<&'static str> {
    [
        (STORED, "the stored secret"),
        (WRITE_ONLY, "the write-only secret"),
        (aws_secret, "the AWS secret access key"),
        (SECRET_ACCESS_KEY, "the sandbox's AWS secret access key"),
        (EKS_TOKEN_PREFIX, "an EKS bearer token"),
    ]
    .into_iter()
    .filter(|(needle, _)| text.contains(needle))
    .map(|(_, what)| what)
    .collect()
}

#[test]
fn acc_no_secret_in_trace_logs_plans_errors_or_state() -> tf::Result<()> {
    let scope = Scope::new("secrets");
    let ns = scope.name("apps");
    let role = format!("{}api", scope.iam_prefix());
    let aws_secret = scope.aws_credentials().secret_access_key().to_owned();
    let mut ws = aws_workspace(tf::opentofu()?, &scope)?;
    ws.set_env("TF_LOG", "trace");
    ws.set_env("TF_LOG_PROVIDER", "trace");

    // The plan: values masked in the output and marked sensitive in the JSON plan.
    ws.config(&config(&ns, &role, "hub-workload:1.0"))?;
    let plan_out = ws.run(&["plan", "-input=false", "-no-color", "-out=tfplan"])?.ok()?;
    let shown = ws.run(&["show", "-json", "tfplan"])?.ok()?;
    let human = ws.run(&["show", "-no-color", "tfplan"])?.ok()?;
    let plan = ws.plan()?;
    let app = plan.resource_change("hub_app.api")?;
    app.expect_actions(&[Action::Create])?;
    expect(
        app.is_sensitive("secret_env"),
        "secret_env is marked sensitive in the JSON plan",
    )?;
    // `show -json` prints sensitive values in clear by design (marked in `*_sensitive`), and its
    // `configuration` section echoes literals of the .tf files; the planned values must still never hold
    // the write-only secret.
    let json: serde_json::Value = serde_json::from_str(&shown.stdout).map_err(hub_acceptance::support::err)?;
    for section in ["planned_values", "resource_changes"] {
        let text = json[section].to_string();
        expect(
            !text.contains(WRITE_ONLY),
            &format!("the write-only secret is not in the JSON plan's {section}"),
        )?;
    }
    for (what, text) in [
        (
            "plan output and trace logs",
            format!("{}{}", plan_out.stdout, plan_out.stderr),
        ),
        ("the human plan", human.stdout.clone()),
    ] {
        let found = leaks(&text, &aws_secret);
        expect(found.is_empty(), &format!("no secret in {what}; found {found:?}"))?;
    }

    // The apply (EKS tokens minted, AWS calls signed): nothing in the trace logs; write-only not in state.
    let applied = ws.apply()?;
    let logs = format!("{}{}", applied.stdout, applied.stderr);
    expect(logs.contains("tf_rpc"), "provider trace logging was on")?;
    let found = leaks(&logs, &aws_secret);
    expect(
        found.is_empty(),
        &format!("no secret in the apply's trace logs; found {found:?}"),
    )?;
    expect(
        !ws.read("terraform.tfstate")?.contains(WRITE_ONLY),
        "the write-only value is not in state",
    )?;

    // A failing update (the rollout times out): the error names pods and reasons, never a secret.
    ws.config(&config(&ns, &role, "fault.invalid/crash-loop:2"))?;
    let failed = ws.apply_err()?;
    let text = format!("{}{}", failed.stdout, failed.stderr);
    expect(text.contains("Rollout Failed"), "the update failed as arranged")?;
    let found = leaks(&text, &aws_secret);
    expect(
        found.is_empty(),
        &format!("no secret in the failed apply's output; found {found:?}"),
    )?;

    ws.config(&config(&ns, &role, "hub-workload:1.0"))?;
    let destroyed = ws.destroy()?.ok()?;
    let found = leaks(&format!("{}{}", destroyed.stdout, destroyed.stderr), &aws_secret);
    expect(
        found.is_empty(),
        &format!("no secret in the destroy's trace logs; found {found:?}"),
    )
}
