//! `terraform-provider-hub discover` (issue 21): objects made directly with the API (not by hub) are
//! grouped into an app, written as `import` blocks with what hub leaves out, and those blocks, with
//! `plan -generate-config-out` or with the `hub_app` block `--generate` writes, plan imports and nothing
//! else but hub taking the objects over, under OpenTofu and Terraform 1.13. Refusals
//! name the missing permission, a missing namespace and an unreachable server; bad arguments exit 2.

use std::path::Path;
use std::process::{Command, Output};

use base64::Engine as _;
use hub_acceptance::identity::Identity;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_workspace, block_on, err, expect, provider_block, sandbox};
use hub_acceptance::tf::{self, Action, Cli, Plan, ProviderBinary};
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::api::rbac::v1::ClusterRole;
use kube::api::{DeleteParams, Patch, PatchParams};
use kube::{Api, Client};
use serde_json::{Value, json};

/// Runs `discover` with `args`; returns the exit code, stdout and stderr.
fn discover(args: &[&str]) -> tf::Result<(i32, String, String)> {
    let bin = &ProviderBinary::get()?.path;
    let Output { status, stdout, stderr } = Command::new(bin).arg("discover").args(args).output().map_err(err)?;
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    Ok((status.code().unwrap_or(-1), text(stdout), text(stderr)))
}

/// hub's pod template checksum for an app without `config`, secrets or ServiceAccount annotations (as
/// `moved.rs` computes it): what makes a Deployment made elsewhere read back as hub renders it.
fn checksum() -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, b"[{},{},null,{}]");
    digest.as_ref()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn labels() -> Value {
    json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api", "app.kubernetes.io/managed-by": "hub"})
}

fn selector() -> Value {
    json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"})
}

/// The Deployment, shaped as hub renders `image`, `env`, `env_from` and `resources`.
fn deployment() -> Value {
    let security = json!({"runAsNonRoot": true, "runAsUser": 10001, "runAsGroup": 10001,
        "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"}});
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "labels": labels()},
        "spec": {"replicas": 2, "selector": {"matchLabels": selector()},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": {"metadata": {"labels": selector(), "annotations": {"hub.io/config-checksum": checksum()}},
                "spec": {"serviceAccountName": "api", "automountServiceAccountToken": false,
                    "terminationGracePeriodSeconds": 30,
                    "securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "runAsGroup": 10001,
                        "fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
                    "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                        "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": selector()}}],
                    "containers": [{"name": "api", "image": "hub-workload:0.9",
                        "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                        "env": [{"name": "MODE", "value": "discovered"}],
                        "envFrom": [{"configMapRef": {"name": "api-settings", "optional": false}}],
                        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                        "securityContext": security,
                        "livenessProbe": {"httpGet": {"path": "/health", "port": "http"}},
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}},
                        "startupProbe": {"httpGet": {"path": "/startup", "port": "http"}},
                        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}],
                    "volumes": [{"name": "tmp", "emptyDir": {}}]}}}})
}

/// Server-side applies `object` as `kubectl` would (a field manager that is not hub).
async fn put<K>(c: &Client, ns: &str, object: Value) -> Result<(), kube::Error>
where
    K: kube::Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
{
    let name = object["metadata"]["name"].as_str().unwrap_or_default().to_owned();
    let params = PatchParams::apply("kubectl").force();
    Api::<K>::namespaced(c.clone(), ns)
        .patch(&name, &params, &Patch::Apply(&object))
        .await?;
    Ok(())
}

/// The app's objects, a NetworkPolicy and a StatefulSet, made directly with the API in a new namespace.
async fn make_objects(c: &Client, ns: &str) -> Result<(), kube::Error> {
    put::<ServiceAccount>(
        c,
        ns,
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "api", "labels": labels()}, "automountServiceAccountToken": false}),
    )
    .await?;
    put::<ConfigMap>(
        c,
        ns,
        json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "api-settings"}, "data": {"GREETING": "hello"}}),
    )
    .await?;
    put::<Service>(
        c,
        ns,
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "labels": labels()},
        "spec": {"type": "ClusterIP", "selector": selector(),
            "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]}}),
    )
    .await?;
    put::<Deployment>(c, ns, deployment()).await?;
    put::<HorizontalPodAutoscaler>(c, ns, json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "api", "labels": labels()},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
            "minReplicas": 2, "maxReplicas": 4,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 70}}}],
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}, "scaleUp": {"stabilizationWindowSeconds": 0}}}}))
    .await?;
    put::<StatefulSet>(
        c,
        ns,
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
        "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
            "template": {"metadata": {"labels": {"app": "db"}},
                "spec": {"containers": [{"name": "db", "image": "hub-workload:0.9"}]}}}}),
    )
    .await?;
    put::<NetworkPolicy>(
        c,
        ns,
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "api-in"},
        "spec": {"podSelector": {"matchLabels": selector()}, "policyTypes": ["Ingress"],
            "ingress": [{"ports": [{"protocol": "TCP", "port": 8080}]}]}}),
    )
    .await
}

/// Pod Security labels as hub's default `pod_security` writes them. Without them the import reads
/// `pod_security.version` back as null while its default is `latest`, and the plan after it adds the
/// `*-version` labels (a hub_namespace import gap, issue 21 item 1).
async fn label_pod_security(c: &Client, ns: &str) -> Result<(), kube::Error> {
    let mut labels = serde_json::Map::new();
    for kind in ["enforce", "audit", "warn"] {
        labels.insert(format!("pod-security.kubernetes.io/{kind}"), json!("restricted"));
        labels.insert(format!("pod-security.kubernetes.io/{kind}-version"), json!("latest"));
    }
    let patch = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": labels}});
    let params = PatchParams::apply("kubectl").force();
    Api::<Namespace>::all(c.clone())
        .patch(ns, &params, &Patch::Apply(&patch))
        .await?;
    Ok(())
}

/// Runs `test` with a new scope, a namespace of it holding the objects and a
/// scratch directory; deletes the namespace whatever the outcome.
fn in_namespace(name: &str, test: impl FnOnce(&Scope, &str, &Path) -> tf::Result<()>) -> tf::Result<()> {
    let scope = Scope::new(name);
    let ns = namespace_with_objects(&scope)?;
    let result = tempfile::tempdir()
        .map_err(err)
        .and_then(|dir| test(&scope, &ns, dir.path()));
    let deleted = hub_acceptance::support::delete_namespace(&ns);
    result.and(deleted)
}

/// A namespace of the scope with the objects in it.
fn namespace_with_objects(scope: &Scope) -> tf::Result<String> {
    block_on(async {
        let c = sandbox().kube_client().await.map_err(err)?;
        let ns = scope.namespace(&c, "disc").await.map_err(err)?;
        label_pod_security(&c, &ns).await.map_err(err)?;
        make_objects(&c, &ns).await.map_err(err)?;
        Ok(ns)
    })
}

/// Discovery's file and stderr for `ns`, read with the admin kubeconfig, with `extra` arguments.
fn discovered(ns: &str, dir: &Path, extra: &[&str]) -> tf::Result<(String, String)> {
    let out = dir.join("imports.tf");
    let kubeconfig = sandbox().kubeconfig_path();
    let mut args = vec![
        "--namespace".to_owned(),
        ns.to_owned(),
        "--kubeconfig".to_owned(),
        kubeconfig.display().to_string(),
        "--out".to_owned(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = discover(&args)?;
    expect(code == 0, &format!("discover exits 0, got {code}: {stderr}"))?;
    Ok((std::fs::read_to_string(&out).map_err(err)?, stderr))
}

#[test]
fn acc_discover_groups_the_app_and_its_imports_plan_no_change() -> tf::Result<()> {
    in_namespace("discover", |scope, ns, dir| {
        let (file, stderr) = discovered(ns, dir, &[])?;
        println!("imports.tf:\n{file}\nstderr:\n{stderr}");
        for line in [
            "# App api: Deployment api\n",
            "#   Service api: selects its pods\n",
            "#   HorizontalPodAutoscaler api: scales it\n",
            "#   ServiceAccount api: the pods run as it\n",
            "#   ConfigMap/api-settings: the import of hub_app.api reads the ConfigMap named \"api-config\"",
            &format!("import {{\n  to = hub_app.api\n  id = \"{ns}/api\"\n}}\n"),
            &format!(
                "import {{\n  to = hub_namespace.{}\n  id = \"{ns}\"\n}}\n",
                ns.replace('-', "_")
            ),
            "#   StatefulSet db: hub_app renders a Deployment",
            &format!(
                "# NetworkPolicy api-in.\nimport {{\n  to = hub_network_policy.api_in\n  id = \"{ns}/api-in\"\n}}\n"
            ),
        ] {
            expect(file.contains(line), &format!("the file has {line:?}"))?;
        }
        expect(
            stderr.contains("StatefulSet db: not mapped: hub_app renders a Deployment"),
            "the StatefulSet is reported on stderr",
        )?;
        let (with_blocks, _) = discovered(ns, dir, &["--generate"])?;
        println!("imports.tf with --generate:\n{with_blocks}");
        expect(
            with_blocks.contains("resource \"hub_app\" \"api\" {\n  name      = \"api\"\n"),
            "--generate writes the hub_app block",
        )?;
        tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
            // Core writes every block (`plan -generate-config-out`); then with discover's hub_app block, core
            // writes only the namespace's.
            for (imports, core_writes_the_app) in [(&file, true), (&with_blocks, false)] {
                let generated = plan_imports(cli, scope, imports, &addresses(ns))?;
                expect(
                    generated.contains("resource \"hub_app\"") == core_writes_the_app,
                    &format!("core writes a hub_app block: {core_writes_the_app}"),
                )?;
            }
            Ok(())
        })
    })
}

/// `--generate` writes the autoscaled app's block with `autoscaling` and without `replicas` (its default),
/// and that block plans the import and hub's takeover alone.
#[test]
fn acc_discover_generates_an_autoscaled_app() -> tf::Result<()> {
    in_namespace("discover-hpa", |scope, ns, dir| {
        let (file, _) = discovered(ns, dir, &["--generate"])?;
        println!("imports.tf:\n{file}");
        expect(
            file.contains("#   HorizontalPodAutoscaler api: scales it\n") && file.contains("  autoscaling = {\n"),
            "the HPA is the app's autoscaling",
        )?;
        expect(!file.contains("\n  replicas = "), "no replicas next to autoscaling")?;
        tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], |cli| {
            plan_imports(cli, scope, &file, &addresses(ns)).map(drop)
        })
    })
}

/// What the discovered file imports: the app, the namespace and the network policy.
fn addresses(ns: &str) -> Vec<String> {
    vec![
        "hub_app.api".to_owned(),
        format!("hub_namespace.{}", ns.replace('-', "_")),
        "hub_network_policy.api_in".to_owned(),
    ]
}

/// Plans `imports` (which `fmt` leaves as they are) in a new workspace, after `plan -generate-config-out`
/// has written the blocks they lack: imports and hub's takeover only. Returns what core wrote.
fn plan_imports(cli: &Cli, scope: &Scope, imports: &str, addresses: &[String]) -> tf::Result<String> {
    let ws = aws_workspace(cli, scope)?;
    ws.config(&provider_block(""))?;
    ws.write("imports.tf", imports)?;
    // Written as `fmt` writes it: nothing to reformat.
    ws.run(&["fmt", "-check", "-diff", "imports.tf"])?.ok()?;
    let out = ws.run(&["plan", "-input=false", "-no-color", "-generate-config-out=generated.tf"])?;
    let generated = ws.read("generated.tf").unwrap_or_default();
    println!("[{cli}] generated.tf:\n{generated}");
    out.ok()?;
    expect_imports_with_takeover_only(&ws.plan()?, addresses)?;
    Ok(generated)
}

/// hub's bookkeeping of an app, which an import of objects another tool made cannot match: `rendered`
/// (the objects as read, every API default included, until hub's first apply owns its fields) and the
/// `instance_id` that apply writes.
const BOOKKEEPING: &[&str] = &["rendered", "instance_id"];

/// Each of `addresses` is imported, and nothing else changes but hub's bookkeeping: every attribute the
/// generated block sets plans the value the import read (a takeover of the objects, no change to them).
fn expect_imports_with_takeover_only(plan: &Plan, addresses: &[String]) -> tf::Result<()> {
    for address in addresses {
        let change = plan.resource_change(address)?;
        let c = &change.json()["change"];
        expect(c["importing"].is_object(), &format!("{address} is imported"))?;
        expect(
            change.actions == [Action::NoOp] || change.actions == [Action::Update],
            &format!("{address} plans {:?}, neither a no-op nor an update", change.actions),
        )?;
        let (before, after) = (c["before"].as_object(), c["after"].as_object());
        let changed: Vec<&String> = before
            .into_iter()
            .flatten()
            .filter(|(k, v)| !BOOKKEEPING.contains(&k.as_str()) && after.and_then(|a| a.get(*k)) != Some(*v))
            .map(|(k, _)| k)
            .collect();
        expect(
            changed.is_empty(),
            &format!("{address} changes nothing but {BOOKKEEPING:?}; it changes {changed:?}"),
        )?;
    }
    let others: Vec<String> = plan
        .resource_changes()
        .iter()
        .filter(|c| !addresses.iter().any(|a| a == c.address) && c.actions != [Action::NoOp])
        .map(|c| format!("{} {:?}", c.address, c.actions))
        .collect();
    expect(others.is_empty(), &format!("no other change: {others:?}"))
}

/// A kubeconfig that authenticates as `identity` against the sandbox.
fn kubeconfig_for(identity: &Identity, path: &Path) -> tf::Result<()> {
    let sb = sandbox();
    let ca = base64::engine::general_purpose::STANDARD.encode(sb.ca_pem().map_err(err)?);
    let config = json!({"apiVersion": "v1", "kind": "Config", "current-context": "reader",
        "clusters": [{"name": "sandbox", "cluster": {"server": sb.api_server_url(), "certificate-authority-data": ca}}],
        "users": [{"name": "reader", "user": {"token": identity.token}}],
        "contexts": [{"name": "reader", "context": {"cluster": "sandbox", "user": "reader"}}]});
    std::fs::write(path, config.to_string()).map_err(err)
}

/// Everything discover reads but Deployments.
fn role_without_deployments(name: &str) -> Value {
    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": name},
        "rules": [
            {"apiGroups": [""], "resources": ["namespaces", "services", "configmaps", "secrets", "serviceaccounts"],
             "verbs": ["get", "list"]},
            {"apiGroups": ["apps"], "resources": ["statefulsets", "daemonsets"], "verbs": ["list"]},
            {"apiGroups": ["batch"], "resources": ["cronjobs", "jobs"], "verbs": ["list"]},
            {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "networkpolicies"], "verbs": ["list"]},
            {"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers"], "verbs": ["list"]},
            {"apiGroups": ["policy"], "resources": ["poddisruptionbudgets"], "verbs": ["list"]}]})
}

#[test]
fn acc_discover_names_what_it_cannot_read() -> tf::Result<()> {
    in_namespace("discover-refused", |scope, ns, dir| {
        let role = scope.name("no-deployments");
        let result = refusals(ns, dir, &role);
        let cleaned = block_on(async {
            let c = sandbox().kube_client().await.map_err(err)?;
            let _ = Api::<ClusterRole>::all(c).delete(&role, &DeleteParams::default()).await;
            Ok::<_, tf::Error>(())
        });
        result.and(cleaned)
    })
}

/// A reader without `list deployments`, a missing namespace, an unreachable server.
fn refusals(ns: &str, dir: &Path, role: &str) -> tf::Result<()> {
    let identity = block_on(async {
        let c = sandbox().kube_client().await.map_err(err)?;
        let r: ClusterRole = serde_json::from_value(role_without_deployments(role)).map_err(err)?;
        let params = PatchParams::apply("discover-test").force();
        Api::<ClusterRole>::all(c)
            .patch(role, &params, &Patch::Apply(&r))
            .await
            .map_err(err)?;
        Identity::create(ns, "reader", role).await
    })?;
    let kubeconfig = dir.join("reader.kubeconfig");
    kubeconfig_for(&identity, &kubeconfig)?;
    let kc = kubeconfig.display().to_string();
    let (code, _, stderr) = discover(&["--namespace", ns, "--kubeconfig", &kc])?;
    println!("refused: {stderr}");
    let refused = (|| {
        expect(code == 1, &format!("a refusal exits 1, got {code}"))?;
        expect(
            stderr.contains(&format!("list deployments.apps in namespace {ns}")),
            &format!("the message names the permission: {stderr}"),
        )
    })();
    block_on(identity.forget())?;
    refused?;
    let admin = sandbox().kubeconfig_path().display().to_string();
    let (code, _, stderr) = discover(&["--namespace", "no-such-namespace", "--kubeconfig", &admin])?;
    println!("missing: {stderr}");
    expect(
        code == 1 && stderr.contains("namespace \"no-such-namespace\" does not exist on https://"),
        &format!("a missing namespace is named ({code}): {stderr}"),
    )?;
    let unreachable = dir.join("unreachable.kubeconfig");
    let text = std::fs::read_to_string(&kubeconfig).map_err(err)?;
    std::fs::write(
        &unreachable,
        text.replace(&sandbox().api_server_url(), "https://127.0.0.1:9"),
    )
    .map_err(err)?;
    let (code, _, stderr) = discover(&["--namespace", ns, "--kubeconfig", &unreachable.display().to_string()])?;
    println!("unreachable: {stderr}");
    expect(
        code == 1 && stderr.contains("cannot reach the cluster at https://127.0.0.1:9"),
        &format!("an unreachable server is named ({code}): {stderr}"),
    )
}

/// Bad arguments exit 2 before any request, saying what is wrong; `--help` exits 0.
#[test]
fn discover_refuses_bad_arguments() -> tf::Result<()> {
    for (args, message) in [
        (
            &["--namespace", "shop", "--colour"][..],
            "unknown argument \"--colour\"",
        ),
        (&["--kubeconfig", "/dev/null"][..], "--namespace is required"),
        (
            &["--namespace", "Shop_1"][..],
            "--namespace \"Shop_1\" is not a namespace name",
        ),
        (
            &["--namespace", "shop", "--namespace", "other"][..],
            "--namespace is given twice",
        ),
        (&["--namespace"][..], "--namespace needs a value"),
    ] {
        let (code, stdout, stderr) = discover(args)?;
        expect(
            code == 2 && stderr.contains(message) && stderr.contains("usage: terraform-provider-hub discover"),
            &format!("{args:?} exits 2 with {message:?}, got {code}: {stderr}"),
        )?;
        expect(stdout.is_empty(), "nothing on stdout")?;
    }
    let (code, stdout, _) = discover(&["--help"])?;
    expect(
        code == 0 && stdout.contains("--namespace NS"),
        "--help prints the usage",
    )
}
