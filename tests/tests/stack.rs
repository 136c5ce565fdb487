//! The whole EKS stack of `examples/eks-stack` in one run, the way users run it, with `prod.tfvars`:
//! `plan` from empty state succeeds while the cluster does not exist yet (no API call from hub), `apply`
//! deploys the four apps onto the local control plane, a second `plan` is empty, a changed image tag gives
//! a plan a reviewer reads in under a screen, and `destroy` succeeds in one run.
//!
//! The registry modules (`terraform-aws-modules/vpc/aws`, `.../eks/aws`) cannot be downloaded here, so the
//! test copies the stack and mechanically points their two `source` lines at the stand-ins in
//! `tests/fixtures/stack-standins` (same inputs and outputs, values unknown until apply, resolving to the
//! sandbox's EKS cluster `hub-sandbox` in moto). It also drops the `hashicorp/aws` requirement and the
//! `provider "aws"` block, which only the real modules use. Nothing else in the stack is changed.

use std::time::{Duration, Instant};

use base64::Engine;
use hub_acceptance::api_requests::ApiRequests;
use hub_acceptance::app_kinds::APP_KINDS;
use hub_acceptance::support::{block_on, err, expect, relative, repo_root, sandbox, wait_for};
use hub_acceptance::tf::{self, Action, Cli, Install, Output, Plan, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Pod, ServiceAccount};
use kube::Api;
use serde_json::Value;

const NAMESPACE: &str = "my-app-prod";
/// Kinds hub writes; writes to them (any verb but GET/LIST/WATCH, no subresource) are hub's or nobody's:
/// those of `hub_namespace` and `hub_network_policy`, and every kind `hub_app` renders.
fn hub_kinds() -> Vec<&'static str> {
    ["namespaces", "networkpolicies", "resourcequotas", "limitranges"]
        .into_iter()
        .chain(APP_KINDS.iter().map(|k| k.plural))
        .collect()
}
/// Replicas each prod app must reach: the HPA minimum (api, admin, worker) or `replicas` (monitoring).
const PROD_REPLICAS: &[(&str, i32)] = &[("api", 3), ("admin", 2), ("worker", 3), ("monitoring", 1)];

/// What the copy changed, counted so the test fails if the stack's layout drifts from what it expects.
#[derive(Default, Debug, PartialEq)]
struct Swaps {
    registry_modules: usize,
    local_modules: usize,
    aws_requirements: usize,
    aws_provider_blocks: usize,
}

/// The mechanical substitutions, on one file's text.
fn substitute(text: &str, standins: &str, modules: &str, swaps: &mut Swaps) -> String {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(kind) = ["vpc", "eks"]
            .iter()
            .find(|k| trimmed.starts_with("source") && trimmed.ends_with(&format!("\"terraform-aws-modules/{k}/aws\"")))
        {
            out.push(format!("  source = \"{standins}/{kind}\""));
            swaps.registry_modules += 1;
            // A local module takes no `version`.
            if lines.peek().is_some_and(|l| l.trim_start().starts_with("version")) {
                lines.next();
            }
        } else if trimmed.starts_with("source") && trimmed.contains("\"../../terraform/modules/") {
            out.push(line.replace("\"../../terraform/modules/", &format!("\"{modules}/")));
            swaps.local_modules += 1;
        } else if trimmed.starts_with("aws = { source = \"hashicorp/aws\"") {
            swaps.aws_requirements += 1;
        } else if trimmed.starts_with("provider \"aws\" {") {
            swaps.aws_provider_blocks += 1;
            for l in lines.by_ref() {
                if l == "}" {
                    break;
                }
            }
        } else {
            out.push(line.to_owned());
        }
    }
    out.join("\n") + "\n"
}

/// Copies the stack into `ws` with the stand-ins swapped in, and tells the EKS stand-in where the sandbox is.
fn prepare(ws: &Workspace) -> tf::Result<()> {
    let root = repo_root()?;
    let here = ws.path().canonicalize().map_err(err)?;
    let standins = relative(&here, &root.join("tests/fixtures/stack-standins"));
    let modules = relative(&here, &root.join("terraform/modules"));
    let mut swaps = Swaps::default();
    let dir = root.join("examples/eks-stack");
    for entry in std::fs::read_dir(&dir).map_err(err)? {
        let name = entry.map_err(err)?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".tf") || name.ends_with(".tfvars") {
            let text = std::fs::read_to_string(dir.join(&name)).map_err(err)?;
            ws.write(&name, &substitute(&text, &standins, &modules, &mut swaps))?;
        }
    }
    let want = Swaps {
        registry_modules: 2,
        local_modules: 1,
        aws_requirements: 1,
        aws_provider_blocks: 1,
    };
    expect(swaps == want, &format!("substitutions {want:?}, made {swaps:?}"))?;
    let sb = sandbox();
    let state = sb.state();
    let ca = base64::engine::general_purpose::STANDARD.encode(sb.ca_pem().map_err(err)?);
    let json = serde_json::json!({
        "cluster_name": state.cluster_name,
        "endpoint": state.api_server_url,
        "ca_base64": ca,
        "oidc_issuer": state.oidc_issuer,
        "account_id": state.account_id,
    });
    ws.write("standin-sandbox.json", &json.to_string())?;
    Ok(())
}

/// The VPC CNI add-on as the stack's `cluster_addons` configures it (what the real EKS module creates; the
/// stand-in cannot), so hub's plan-time enforcement check finds NetworkPolicies enforced.
fn ensure_vpc_cni_enforces_policies() -> tf::Result<()> {
    let cluster_tf = std::fs::read_to_string(repo_root()?.join("examples/eks-stack/cluster.tf")).map_err(err)?;
    expect(
        cluster_tf.contains("configuration_values = jsonencode({ enableNetworkPolicy = \"true\" })"),
        "the stack turns on NetworkPolicy enforcement in the vpc-cni add-on",
    )?;
    let sb = sandbox();
    block_on(async {
        let eks = aws_sdk_eks::Client::new(&sb.aws_config().await);
        let existing = eks
            .describe_addon()
            .cluster_name(sb.cluster_name())
            .addon_name("vpc-cni")
            .send()
            .await;
        if existing.is_err() {
            eks.create_addon()
                .cluster_name(sb.cluster_name())
                .addon_name("vpc-cni")
                .configuration_values(r#"{"enableNetworkPolicy":"true"}"#)
                .send()
                .await
                .map_err(|e| err(format!("{e:?}")))?;
        }
        Ok(())
    })
}

/// Requests the AWS proxy saw, and writes to hub's kinds the API server counted.
fn counters() -> tf::Result<(u64, u64)> {
    let aws = block_on(sandbox().faults().status()).map_err(err)?.stats.requests;
    Ok((aws, ApiRequests::now()?.writes(&hub_kinds())))
}

struct Stack {
    ws: Workspace,
    vars: Vec<String>,
}

impl Stack {
    fn new(cli: &Cli) -> tf::Result<Self> {
        let sb = sandbox();
        let mut ws = Workspace::with_install(cli, Install::FilesystemMirror)?;
        for (k, v) in sb.env() {
            ws.set_env(k, v);
        }
        prepare(&ws)?;
        ws.init()?;
        let vars = vec![
            "-var-file=prod.tfvars".to_owned(),
            format!("-var=region={}", sb.state().region),
        ];
        Ok(Stack { ws, vars })
    }

    fn run(&self, args: &[&str]) -> tf::Result<Output> {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(self.vars.iter().map(String::as_str));
        self.ws.run(&all)
    }

    fn plan(&self) -> tf::Result<Plan> {
        let out = self.run(&["plan", "-json", "-input=false", "-out=tfplan"])?.ok()?;
        let json = self.ws.run(&["show", "-json", "tfplan"])?.ok()?.json()?;
        Ok(Plan::new(json, out.diagnostics()))
    }
}

fn timed<T>(what: &str, cli: &Cli, f: impl FnOnce() -> tf::Result<T>) -> tf::Result<T> {
    let t = Instant::now();
    let r = f();
    eprintln!("[stack] {cli}: {what}: {:.1} s", t.elapsed().as_secs_f64());
    r
}

/// The plan from empty state: every hub object planned, with what depends on the cluster unknown.
fn check_first_plan(plan: &Plan) -> tf::Result<()> {
    let hub_creates = plan
        .resource_changes()
        .iter()
        .filter(|c| c.json()["type"].as_str().is_some_and(|t| t.starts_with("hub_")))
        .inspect(|c| eprintln!("[stack]   {} {:?}", c.address, c.actions))
        .filter(|c| c.actions == [Action::Create])
        .count();
    // platform: namespace + 2 policies; 4 apps + 4 policies + 2 IRSA roles (api, worker).
    expect(
        hub_creates == 13,
        &format!("13 hub objects to create, got {hub_creates}"),
    )?;
    plan.resource_change("module.eks.terraform_data.cluster")?
        .expect_unknown("output")?;
    plan.resource_change("module.apps.module.service[\"api\"].hub_irsa_binding.this[0]")?
        .expect_unknown("role_arn")?;
    let api = plan.resource_change("module.apps.module.service[\"api\"].hub_app.this")?;
    api.expect_after("image", Value::from("ghcr.io/example/my-app:1.0.0"))?;
    expect(
        api.after("autoscaling").is_some_and(|a| {
            a["min_replicas"] == 3 && a["max_replicas"] == 20 && a["cpu_percent"] == 70 && a["memory_percent"] == 80
        }),
        "api autoscales 3-20 at 70 % CPU / 80 % memory",
    )?;
    let ingress = api.after("ingress").cloned().unwrap_or_default();
    expect(
        ingress["certificate_arn"]
            .as_str()
            .is_some_and(|c| c.starts_with("arn:aws:acm:"))
            && ingress["ssl_redirect"] == true,
        &format!("api ingress with ACM certificate and SSL redirect, got {ingress}"),
    )
}

/// After apply: the pods run on the kwok nodes, the api's service account carries its role.
fn check_applied(stack: &Stack) -> tf::Result<()> {
    let sb = sandbox();
    let ready = wait_for(
        Duration::from_secs(90),
        "every prod pod ready on the kwok nodes",
        || {
            let (pods, deployments) = block_on(async {
                let c = sb.kube_client().await.map_err(err)?;
                let pods = Api::<Pod>::namespaced(c.clone(), NAMESPACE)
                    .list(&Default::default())
                    .await
                    .map_err(err)?;
                let deps = Api::<Deployment>::namespaced(c, NAMESPACE)
                    .list(&Default::default())
                    .await
                    .map_err(err)?;
                tf::Result::Ok((pods.items, deps.items))
            })
            .map_err(|e: tf::Error| e.to_string())?;
            let available = |name: &str| {
                deployments
                    .iter()
                    .find(|d| d.metadata.name.as_deref() == Some(name))
                    .and_then(|d| d.status.as_ref()?.available_replicas)
                    .unwrap_or(0)
            };
            let ready = pods
                .iter()
                .filter(|p| {
                    p.status
                        .as_ref()
                        .and_then(|s| s.conditions.as_ref())
                        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
                })
                .count();
            let short: Vec<String> = PROD_REPLICAS
                .iter()
                .filter(|(n, want)| available(n) < *want)
                .map(|(n, want)| format!("{n} {}/{want}", available(n)))
                .collect();
            if short.is_empty() && ready == pods.len() {
                Ok(ready)
            } else {
                Err(format!("{short:?}, {ready}/{} ready", pods.len()))
            }
        },
    );
    eprintln!("[stack]   {ready} pods ready on kwok nodes");
    let outputs = stack.ws.run(&["output", "-json"])?.ok()?.json()?;
    let apps = &outputs["managed_applications"]["value"];
    let role = apps["api"]["role_arn"].as_str().unwrap_or_default().to_owned();
    expect(
        apps.as_object().is_some_and(|a| a.len() == 4) && role.contains(":role/my-app-prod-api-"),
        &format!("managed_applications lists the 4 apps with the api's role, got {apps}"),
    )?;
    let how = outputs["access_instructions"]["value"].as_str().unwrap_or_default();
    expect(
        how.contains("kubectl port-forward -n my-app-prod svc/api 8080:80") && how.contains("https://api.example.com"),
        &format!("access_instructions explain how to reach the api, got {how}"),
    )?;
    let sa = block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        Api::<ServiceAccount>::namespaced(c, NAMESPACE)
            .get("api")
            .await
            .map_err(err)
    })?;
    let annotation = sa
        .metadata
        .annotations
        .unwrap_or_default()
        .remove("eks.amazonaws.com/role-arn")
        .unwrap_or_default();
    expect(
        annotation == role,
        &format!("service account api annotated with {role}, got {annotation:?}"),
    )
}

/// A changed image tag of one app: the human plan names the app, the object and the field, in under a screen.
fn check_image_change_plan(stack: &Stack) -> tf::Result<()> {
    let original = stack.ws.read("prod.tfvars")?;
    let changed = original.replacen("my-app:1.0.0", "my-app:1.0.1", 1);
    expect(changed != original, "prod.tfvars has an image tag to change")?;
    stack.ws.write("prod.tfvars", &changed)?;
    let out = stack.run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
    stack.ws.write("prod.tfvars", &original)?;
    let out = out?;
    expect(
        out.code == Some(2),
        &format!("plan shows changes (exit 2), got {:?}\n{}", out.code, out.stderr),
    )?;
    let text = &out.stdout;
    let actions: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("will perform the following actions"))
        .take_while(|l| !l.starts_with("Plan:"))
        .collect();
    eprintln!(
        "[stack]   image change plan: {} lines of actions\n{}",
        actions.len(),
        actions.join("\n")
    );
    let body = actions.join("\n");
    expect(
        body.contains("module.apps.module.service[\"api\"].hub_app.this will be updated in-place"),
        "the app (api) and its resource are named",
    )?;
    expect(
        body.contains("\"Deployment/api\""),
        "the Kubernetes object (Deployment/api) is named",
    )?;
    expect(
        body.lines()
            .filter(|l| {
                l.contains("image")
                    && l.contains("\"ghcr.io/example/my-app:1.0.0\" -> \"ghcr.io/example/my-app:1.0.1\"")
            })
            .count()
            >= 2,
        "the field (image) is shown with old and new tag, on the app and inside the Deployment",
    )?;
    expect(
        !["admin", "worker", "monitoring"]
            .iter()
            .any(|a| body.contains(&format!("module.apps.module.service[\"{a}\"]"))),
        "no other app is in the plan",
    )?;
    expect(
        text.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "one change",
    )?;
    expect(
        actions.len() < 60,
        &format!("under a screen (< 60 lines), got {}", actions.len()),
    )
}

fn iam_roles_with_prefix(prefix: &str) -> tf::Result<Vec<String>> {
    block_on(async {
        let iam = aws_sdk_iam::Client::new(&sandbox().aws_config().await);
        let out = iam.list_roles().send().await.map_err(err)?;
        Ok(out
            .roles()
            .iter()
            .map(|r| r.role_name().to_owned())
            .filter(|n| n.starts_with(prefix))
            .collect())
    })
}

fn cycle(cli: &Cli) -> tf::Result<()> {
    let stack = timed("copy + init", cli, || Stack::new(cli))?;
    ensure_vpc_cni_enforces_policies()?;
    let result = (|| {
        let before = counters()?;
        let plan = timed("plan from empty state", cli, || stack.plan())?;
        let after = counters()?;
        expect(
            before == after,
            &format!(
                "no AWS or Kubernetes call during the first plan: (aws requests, kube writes) {before:?} -> {after:?}"
            ),
        )?;
        eprintln!("[stack]   (AWS requests, Kubernetes writes) before/after the first plan: {before:?} {after:?}");
        check_first_plan(&plan)?;
        timed("apply", cli, || {
            stack.ws.run(&["apply", "-json", "-input=false", "tfplan"])?.ok()
        })?;
        // The counters do see hub's calls: the apply made both kinds.
        let counted = counters()?;
        eprintln!("[stack]   after apply: {counted:?}");
        expect(
            counted.0 > after.0 && counted.1 > after.1,
            &format!("the apply's AWS and Kubernetes calls are counted: {after:?} -> {counted:?}"),
        )?;
        timed("wait for pods + checks", cli, || check_applied(&stack))?;
        let again = timed("second plan", cli, || {
            stack.run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"])
        })?;
        expect(
            !again.stdout.contains("Warning:") && !again.stderr.contains("Warning:"),
            &format!("second plan without warnings:\n{}{}", again.stdout, again.stderr),
        )?;
        expect(
            again.code == Some(0),
            &format!(
                "second plan empty (exit 0), got {:?}:\n{}\n{}",
                again.code, again.stdout, again.stderr
            ),
        )?;
        timed("image change plan", cli, || check_image_change_plan(&stack))?;
        timed("destroy", cli, || {
            stack.run(&["destroy", "-json", "-input=false", "-auto-approve"])?.ok()
        })?;
        let ns = block_on(async {
            let c = sandbox().kube_client().await.map_err(err)?;
            Api::<Namespace>::all(c).get_opt(NAMESPACE).await.map_err(err)
        })?;
        expect(ns.is_none(), "namespace gone after destroy")?;
        let roles = iam_roles_with_prefix("my-app-prod-")?;
        expect(
            roles.is_empty(),
            &format!("IRSA roles gone after destroy, left {roles:?}"),
        )
    })();
    if result.is_err() {
        // Leave nothing behind for the next CLI.
        let _ = stack.run(&["destroy", "-json", "-input=false", "-auto-approve"]);
    }
    result
}

#[test]
fn acc_eks_stack_prod_one_run_plan_apply_replan_destroy() -> tf::Result<()> {
    let t = Instant::now();
    let r = tf::for_each_cli(cycle);
    eprintln!("[stack] total: {:.1} s", t.elapsed().as_secs_f64());
    r
}

/// dev and staging plan offline from empty state too (no apply: prod covers that), and the modules'
/// checks speak up at plan time: an image with the mutable `latest` tag is refused, and so is a misspelt
/// app setting.
#[test]
fn acc_eks_stack_dev_and_staging_plan_and_validation() -> tf::Result<()> {
    let stack = Stack::new(tf::opentofu()?)?;
    let region = format!("-var=region={}", sandbox().state().region);
    for (file, hub_objects) in [("dev.tfvars", 8), ("staging.tfvars", 11)] {
        let var_file = format!("-var-file={file}");
        let out = stack
            .ws
            .run(&["plan", "-json", "-input=false", "-out=tfplan", &var_file, &region])?
            .ok()?;
        let plan = Plan::new(
            stack.ws.run(&["show", "-json", "tfplan"])?.ok()?.json()?,
            out.diagnostics(),
        );
        let creates = plan
            .resource_changes()
            .iter()
            .filter(|c| {
                c.json()["type"].as_str().is_some_and(|t| t.starts_with("hub_")) && c.actions == [Action::Create]
            })
            .count();
        expect(
            creates == hub_objects,
            &format!("{file}: {hub_objects} hub objects, got {creates}"),
        )?;
    }
    let bad = stack
        .ws
        .read("dev.tfvars")?
        .replacen("my-app:1.0.0", "my-app:latest", 1);
    stack.ws.write("latest.tfvars", &bad)?;
    let out = stack
        .ws
        .run(&["plan", "-input=false", "-no-color", "-var-file=latest.tfvars", &region])?;
    expect(
        !out.success() && out.stderr.contains("image must carry an explicit tag"),
        &format!(
            "a `latest` image is refused by the service module's validation, got:\n{}",
            out.stderr
        ),
    )?;
    // A misspelt setting is an error naming it, not a setting silently dropped.
    let misspelt = stack.ws.read("dev.tfvars")?.replacen("replicas = 1", "replica = 1", 1);
    stack.ws.write("misspelt.tfvars", &misspelt)?;
    let out = stack.ws.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-var-file=misspelt.tfvars",
        &region,
    ])?;
    // The CLI wraps the message inside its `│` frame.
    let said: Vec<&str> = out.stderr.split_whitespace().filter(|w| *w != "│").collect();
    expect(
        !out.success()
            && said
                .join(" ")
                .contains("unknown settings (misspelt?): apps.api.replica."),
        &format!("a misspelt app setting is refused by name, got:\n{}", out.stderr),
    )
}
