//! `hub_irsa_binding`, `hub_cluster` and the EKS provider mode against the local plane (moto behind the
//! fault proxy, the real API server with the token webhook): create with policies known at plan, an empty
//! re-plan, out-of-band trust edits and role deletion repaired, import by role name, delete; 20 bindings at
//! parallelism 10 through 20 % throttling/5xx; a provider block with only `cluster_name` + `region`.

use hub_acceptance::sandbox::{FaultConfig, Scope};
use std::sync::{Arc, OnceLock};

use hub_acceptance::support::{
    GRANT_NOT_IMPORTED as GRANT, aws_case, aws_fixture_config, aws_workspace, block_on, err, expect,
    namespace_with_account, role_annotation, sandbox,
};
use hub_acceptance::tf::{self, Action, ImportId, Step, Unverifiable, Workspace};
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::Api;
use kube::api::PostParams;
use serde_json::Value;

fn workspace(scope: &Scope) -> tf::Result<Workspace> {
    aws_workspace(tf::opentofu()?, scope)
}

fn provider_kubeconfig() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    hub = {{ source = \"hub/hub\" }}\n  }}\n}}\n\nprovider \"hub\" {{\n  config_path = {:?}\n  region      = \"us-east-1\"\n}}\n",
        sandbox().kubeconfig_path().display().to_string()
    )
}

async fn iam() -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sandbox().aws_config().await)
}

fn decode(doc: &str) -> tf::Result<Value> {
    let text = percent_encoding::percent_decode_str(doc).decode_utf8().map_err(err)?;
    serde_json::from_str(&text).map_err(err)
}

async fn trust_of(role: &str) -> tf::Result<Value> {
    let out = iam().await.get_role().role_name(role).send().await.map_err(err)?;
    decode(
        out.role()
            .and_then(|r| r.assume_role_policy_document())
            .unwrap_or_default(),
    )
}

/// What `import` of a `hub_irsa_binding` (by role name) cannot know.
const UNVERIFIABLE: &[Unverifiable] = &[
    Unverifiable::new(
        "cluster_name",
        "the role records the cluster's OIDC issuer, not the cluster's name",
    ),
    Unverifiable::new(
        "annotate_service_account",
        "the provider's import does not look at the service account's annotation yet (it reads false)",
    ),
    Unverifiable::new("s3_buckets", GRANT),
    Unverifiable::new("secrets_manager", GRANT),
    Unverifiable::new("ssm_parameters", GRANT),
    Unverifiable::new("custom_policy_json", GRANT),
    Unverifiable::new(
        "managed_policy_arns",
        "the provider's import does not list the role's attached policies yet",
    ),
    Unverifiable::new(
        "oidc_issuer",
        "the provider's import fills oidc_provider_arn from the trust policy, not the issuer URL, yet",
    ),
];

/// The live role's trust policy, as a shared slot: planned in step 1, compared after every repair.
type Planned = Arc<OnceLock<Value>>;

/// The service account's role annotation, if any.
fn annotation(ns: &str) -> tf::Result<Option<String>> {
    role_annotation(ns, "my-app-serviceaccount")
}

/// The role's tags, live.
fn live_tags(role: &str) -> tf::Result<std::collections::BTreeMap<String, String>> {
    block_on(async {
        let out = iam().await.get_role().role_name(role).send().await.map_err(err)?;
        Ok(out
            .role()
            .map(|r| {
                r.tags()
                    .iter()
                    .map(|t| (t.key().to_owned(), t.value().to_owned()))
                    .collect()
            })
            .unwrap_or_default())
    })
}

/// The trust policy planned in step 1.
fn planned(trust: &Planned) -> tf::Result<&Value> {
    trust.get().ok_or_else(|| err("no trust policy was planned"))
}

/// Create with policies known at plan, the live role and the whole credential chain checked, import by
/// role name; then a widened trust policy, a removed annotation and a deleted role, each repaired.
#[test]
fn acc_irsa_lifecycle_drift_import_delete() -> tf::Result<()> {
    let sb = sandbox();
    let scope = Scope::new("irsa-life");
    let role = format!("{}app", scope.iam_prefix());
    let arn = format!("arn:aws:iam::123456789012:role/{role}");
    let ns = namespace_with_account(&scope, "apps", "my-app-serviceaccount")?;
    let config = aws_fixture_config("irsa/binding.tf", &[("namespace", &ns), ("role", &role)]);
    let trust: Planned = Arc::default();
    let step = || Step::new(config.clone());

    let create = step()
        .plan_check({
            let (ns, arn, trust) = (ns.clone(), arn.clone(), trust.clone());
            move |plan| {
                // The policies and the role ARN are known before anything is created.
                let rc = plan.resource_change("hub_irsa_binding.app")?;
                rc.expect_actions(&[Action::Create])?;
                let planned: Value =
                    serde_json::from_str(rc.after("trust_policy").and_then(Value::as_str).unwrap_or("null"))
                        .map_err(err)?;
                let issuer = sandbox().oidc_issuer().trim_start_matches("https://").to_owned();
                let cond = &planned["Statement"][0]["Condition"]["StringEquals"];
                expect(
                    cond[format!("{issuer}:sub")] == format!("system:serviceaccount:{ns}:my-app-serviceaccount")
                        && cond[format!("{issuer}:aud")] == "sts.amazonaws.com",
                    "trust policy with exact sub and aud at plan",
                )?;
                rc.expect_after("role_arn", Value::String(arn.clone()))?;
                let policy = rc.after("policy").and_then(Value::as_str).unwrap_or_default();
                expect(
                    policy.contains("arn:aws:s3:::my-app-bucket/*") && policy.contains("secret:/my-app/*"),
                    "policy at plan",
                )?;
                let _ = trust.set(planned);
                Ok(())
            }
        })
        .check({
            let (ns, role, arn, trust) = (ns.clone(), role.clone(), arn.clone(), trust.clone());
            move |state| {
                let trust = planned(&trust)?;
                expect(
                    block_on(trust_of(&role))? == *trust,
                    "the role carries exactly the planned trust policy",
                )?;
                expect(annotation(&ns)?.as_deref() == Some(&arn), "SA annotated")?;
                // hub's ownership tags are on the role, next to the user's, and kept out of `tags`.
                let tags = live_tags(&role)?;
                let binding_tag = format!("{ns}/my-app-serviceaccount");
                expect(
                    tags.get("team").map(String::as_str) == Some("payments")
                        && tags.get("hub:managed-by").map(String::as_str) == Some("terraform-provider-hub")
                        && tags.get("hub:binding") == Some(&binding_tag),
                    &format!("the role's tags: {tags:?}"),
                )?;
                let r = state.resource("hub_irsa_binding.app")?;
                r.expect_attr("tags", serde_json::json!({"team": "payments"}))?;
                r.expect_attr(
                    "ownership_tags",
                    serde_json::json!({"hub:binding": binding_tag, "hub:managed-by": "terraform-provider-hub"}),
                )?;
                companion_chain(&ns, &role, trust)
            }
        })
        .import_verify("hub_irsa_binding.app", ImportId::Literal(role.clone()), UNVERIFIABLE);

    // Someone widens the trust policy out of band: detected and repaired.
    let widened = step()
        .pre_config({
            let (ns, role, trust) = (ns.clone(), role.clone(), trust.clone());
            move || {
                let widened = serde_json::to_string(planned(&trust)?)
                    .map_err(err)?
                    .replace(&format!("{ns}:my-app-serviceaccount"), "default:default");
                block_on(async {
                    iam()
                        .await
                        .update_assume_role_policy()
                        .role_name(&role)
                        .policy_document(widened)
                        .send()
                        .await
                        .map_err(err)
                })
                .map(drop)
            }
        })
        .plan_check(|plan| {
            plan.resource_change("hub_irsa_binding.app")?
                .expect_actions(&[Action::Update])
                .map(drop)
        })
        .check({
            let (role, trust) = (role.clone(), trust.clone());
            move |_| expect(block_on(trust_of(&role))? == *planned(&trust)?, "trust policy repaired")
        });

    // The annotation removed out of band is put back.
    let unannotated = step()
        .pre_config({
            let ns = ns.clone();
            move || {
                block_on(async {
                    let c = sandbox().kube_client().await.map_err(err)?;
                    let patch = serde_json::json!({"metadata": {"annotations": {"eks.amazonaws.com/role-arn": null}}});
                    Api::<ServiceAccount>::namespaced(c, &ns)
                        .patch(
                            "my-app-serviceaccount",
                            &kube::api::PatchParams::default(),
                            &kube::api::Patch::Merge(&patch),
                        )
                        .await
                        .map_err(err)
                })
                .map(drop)
            }
        })
        .plan_check(|plan| {
            plan.resource_change("hub_irsa_binding.app")?
                .expect_actions(&[Action::Update])
                .map(drop)
        })
        .check({
            let ns = ns.clone();
            move |_| expect(annotation(&ns)?.is_some(), "annotation restored")
        });

    // The role deleted out of band is recreated.
    let deleted = step()
        .pre_config({
            let role = role.clone();
            move || {
                block_on(async {
                    let c = iam().await;
                    c.delete_role_policy()
                        .role_name(&role)
                        .policy_name("hub-irsa")
                        .send()
                        .await
                        .map_err(err)?;
                    c.delete_role().role_name(&role).send().await.map_err(err)
                })
                .map(drop)
            }
        })
        .plan_check(|plan| {
            plan.resource_change("hub_irsa_binding.app")?
                .expect_actions(&[Action::Create])
                .map(drop)
        })
        .check({
            let (role, trust) = (role.clone(), trust.clone());
            move |_| expect(block_on(trust_of(&role))? == *planned(&trust)?, "role recreated")
        });

    aws_case(&scope)
        .step(create)
        .step(widened)
        .step(unannotated)
        .step(deleted)
        .run(tf::opentofu()?)?;

    // The case's destroy deleted the role and took the annotation off.
    let gone = block_on(async { iam().await.get_role().role_name(&role).send().await });
    expect(
        gone.is_err_and(|e| e.as_service_error().is_some_and(|s| s.is_no_such_entity_exception())),
        "role deleted",
    )?;
    expect(annotation(&ns)?.is_none(), "annotation removed")?;
    block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        scope.cleanup(&c, &sb.aws_config().await).await.map_err(err)
    })
}

/// The chain a pod runs: a service-account token for audience `sts.amazonaws.com` (TokenRequest), whose
/// claims satisfy the trust policy (evaluated here, since moto does not), exchanged at STS with
/// AssumeRoleWithWebIdentity, yields the role's identity.
fn companion_chain(ns: &str, role: &str, trust: &Value) -> tf::Result<()> {
    use base64::Engine as _;
    use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
    let sb = sandbox();
    let arn = format!("arn:aws:iam::123456789012:role/{role}");
    let (claims, assumed) = block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        let tr = TokenRequest {
            spec: TokenRequestSpec {
                audiences: vec!["sts.amazonaws.com".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        let token = Api::<ServiceAccount>::namespaced(c, ns)
            .create_token_request("my-app-serviceaccount", &PostParams::default(), &tr)
            .await
            .map_err(err)?
            .status
            .map(|s| s.token)
            .unwrap_or_default();
        let payload = token.split('.').nth(1).unwrap_or_default();
        let claims: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .map_err(err)?,
        )
        .map_err(err)?;
        let sts = aws_sdk_sts::Client::new(&sb.aws_config().await);
        let out = sts
            .assume_role_with_web_identity()
            .role_arn(&arn)
            .role_session_name("irsa-check")
            .web_identity_token(token)
            .send()
            .await
            .map_err(err)?;
        let c = out.credentials().ok_or_else(|| err("no credentials"))?;
        let creds = aws_credential_types::Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            None,
            "irsa-check",
        );
        let who = aws_sdk_sts::Client::new(&sb.aws_config_with(creds).await)
            .get_caller_identity()
            .send()
            .await
            .map_err(err)?;
        Ok::<_, tf::Error>((claims, who.arn().unwrap_or_default().to_owned()))
    })?;
    let iss = claims["iss"]
        .as_str()
        .unwrap_or_default()
        .trim_start_matches("https://")
        .to_owned();
    let cond = &trust["Statement"][0]["Condition"]["StringEquals"];
    expect(
        cond[format!("{iss}:sub")] == claims["sub"],
        &format!("token sub matches the trust policy: {claims}"),
    )?;
    let aud_ok = match &claims["aud"] {
        Value::Array(a) => a.contains(&cond[format!("{iss}:aud")]),
        other => *other == cond[format!("{iss}:aud")],
    };
    expect(aud_ok, "token aud matches the trust policy")?;
    expect(
        assumed.contains(&format!(":assumed-role/{role}/irsa-check")),
        &format!("STS identity is the role: {assumed}"),
    )
}

#[test]
fn acc_irsa_managed_and_custom_policies_with_drift() -> tf::Result<()> {
    let sb = sandbox();
    let scope = Scope::new("irsa-managed");
    let role = format!("{}svc", scope.iam_prefix());
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:jobs"}]}"#;
    let policy_arn = block_on(async {
        let out = iam()
            .await
            .create_policy()
            .policy_name(format!("{}extra", scope.iam_prefix()))
            .policy_document(doc)
            .send()
            .await
            .map_err(err)?;
        Ok::<_, tf::Error>(out.policy().and_then(|p| p.arn()).unwrap_or_default().to_owned())
    })?;
    let provider_arn = format!(
        "arn:aws:iam::123456789012:oidc-provider/{}",
        sb.oidc_issuer().trim_start_matches("https://")
    );
    let config = aws_fixture_config(
        "irsa/managed_and_custom.tf",
        &[
            ("provider_arn", &provider_arn),
            ("issuer", &sb.oidc_issuer()),
            ("role", &role),
            ("policy_arn", &policy_arn),
        ],
    );
    let attached = {
        let (role, policy_arn) = (role.clone(), policy_arn.clone());
        move |what: &str| {
            let arns = block_on(async {
                let out = iam()
                    .await
                    .list_attached_role_policies()
                    .role_name(&role)
                    .send()
                    .await
                    .map_err(err)?;
                Ok::<_, tf::Error>(
                    out.attached_policies()
                        .iter()
                        .filter_map(|p| p.policy_arn())
                        .map(str::to_owned)
                        .collect::<Vec<_>>(),
                )
            })?;
            expect(arns == vec![policy_arn.clone()], what)
        }
    };
    let inline = {
        let role = role.clone();
        move || {
            let inline = block_on(async {
                let out = iam()
                    .await
                    .get_role_policy()
                    .role_name(&role)
                    .policy_name("hub-irsa")
                    .send()
                    .await
                    .map_err(err)?;
                decode(out.policy_document())
            })?;
            expect(
                inline.to_string().contains("sqs:ReceiveMessage"),
                "custom statement in the inline policy",
            )
        }
    };
    let create = Step::new(config.clone())
        .check({
            let attached = attached.clone();
            move |_| {
                attached("managed policy attached")?;
                inline()
            }
        })
        .import_verify("hub_irsa_binding.svc", ImportId::Literal(role.clone()), UNVERIFIABLE);
    // Detached out of band: detected and re-attached.
    let detached = Step::new(config)
        .pre_config({
            let (role, policy_arn) = (role.clone(), policy_arn.clone());
            move || {
                block_on(async {
                    iam()
                        .await
                        .detach_role_policy()
                        .role_name(&role)
                        .policy_arn(&policy_arn)
                        .send()
                        .await
                        .map_err(err)
                })
                .map(drop)
            }
        })
        .plan_check(|plan| {
            plan.resource_change("hub_irsa_binding.svc")?
                .expect_actions(&[Action::Update])
                .map(drop)
        })
        .check(move |_| attached("managed policy re-attached"));
    aws_case(&scope).step(create).step(detached).run(tf::opentofu()?)?;
    block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        scope.cleanup(&c, &sb.aws_config().await).await.map_err(err)
    })
}

/// A provider ARN from another cluster produces a well-formed trust policy that no token of this cluster
/// satisfies; verification (on by default) catches it at apply instead of pods failing at run time.
#[test]
fn acc_irsa_verification_catches_a_foreign_issuer() -> tf::Result<()> {
    let sb = sandbox();
    let scope = Scope::new("irsa-verify");
    let role = format!("{}foreign", scope.iam_prefix());
    let ns = namespace_with_account(&scope, "v", "worker")?;
    let ws = workspace(&scope)?;
    ws.config(&format!(
        r#"{provider}
resource "hub_irsa_binding" "foreign" {{
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  namespace         = {ns:?}
  service_account   = "worker"
  role_name         = {role:?}
}}
"#,
        provider = provider_kubeconfig()
    ))?;
    let out = ws.apply_err()?;
    let text = format!("{:?}", out.diagnostics());
    expect(
        text.contains("Trust Policy Rejects The Service Account") && text.contains("another cluster"),
        &format!("verification reports the issuer mismatch: {text}"),
    )?;
    ws.destroy()?.ok()?;
    block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        scope.cleanup(&c, &sb.aws_config().await).await.map_err(err)
    })
}

#[test]
fn acc_irsa_plan_time_validation() -> tf::Result<()> {
    let scope = Scope::new("irsa-validate");
    let ws = workspace(&scope)?;
    ws.config(&format!(
        r#"{provider}
resource "hub_irsa_binding" "bad" {{
  cluster_name    = "hub-sandbox"
  namespace       = "Bad_NS"
  service_account = "worker-*"
  role_name       = "bad name!"
  s3_buckets      = [{{ bucket = "My_Bucket", prefixes = ["logs/*"] }}]
  secrets_manager = {{ name_prefixes = ["/my-app"] }}
}}
"#,
        provider = provider_kubeconfig()
    ))?;
    let out = ws.plan_err()?;
    let text = format!("{:?}", out.diagnostics());
    for needle in ["Bad_NS", "worker-*", "bad name!", "My_Bucket", "logs/*", "/my-app"] {
        expect(text.contains(needle), &format!("a diagnostic about {needle}: {text}"))?;
    }
    Ok(())
}

#[test]
fn acc_irsa_twenty_bindings_through_throttling_and_5xx() -> tf::Result<()> {
    let sb = sandbox();
    let scope = Scope::new("irsa-faults");
    let prefix = scope.iam_prefix();
    let provider_arn = format!(
        "arn:aws:iam::123456789012:oidc-provider/{}",
        sb.oidc_issuer().trim_start_matches("https://")
    );
    let mut ws = workspace(&scope)?;
    ws.set_timeout(std::time::Duration::from_secs(600));
    ws.config(&format!(
        r#"{provider}
resource "hub_irsa_binding" "many" {{
  count             = 20
  oidc_provider_arn = {provider_arn:?}
  namespace         = "team-${{count.index}}"
  service_account   = "app"
  role_name         = "{prefix}${{count.index}}"
  s3_buckets        = [{{ bucket = "bucket-${{count.index}}" }}]
}}
"#,
        provider = provider_kubeconfig()
    ))?;
    let faults = sb.faults();
    block_on(faults.set(&FaultConfig {
        throttle_rate: 0.1,
        server_error_rate: 0.1,
        server_error_status: 503,
        access_key_ids: vec![scope.aws_credentials().access_key_id().to_owned()],
        ..Default::default()
    }))
    .map_err(err)?;
    let result = (|| {
        ws.run(&["apply", "-json", "-input=false", "-auto-approve", "-parallelism=10"])?
            .ok()?;
        let stats = block_on(faults.status()).map_err(err)?.stats;
        expect(
            stats.throttled + stats.server_errors > 0,
            &format!("faults were injected: {stats:?}"),
        )?;
        ws.plan()?.expect_empty()?;
        ws.run(&["destroy", "-json", "-input=false", "-auto-approve", "-parallelism=10"])?
            .ok()
    })();
    block_on(faults.clear()).map_err(err)?;
    result?;
    expect(ws.state()?.is_empty(), "all bindings destroyed")
}

#[test]
fn acc_eks_mode_with_only_cluster_name_and_region() -> tf::Result<()> {
    let sb = sandbox();
    let scope = Scope::new("eks-mode");
    let name = scope.name("eks");
    let ws = workspace(&scope)?;
    ws.config(&format!(
        r#"terraform {{
  required_providers {{
    hub = {{ source = "hub/hub" }}
  }}
}}
provider "hub" {{
  cluster_name = "hub-sandbox"
  region       = "us-east-1"
}}
data "hub_cluster" "this" {{ name = "hub-sandbox" }}
resource "hub_namespace" "ns" {{ name = {name:?} }}
output "issuer" {{ value = data.hub_cluster.this.oidc_issuer_url }}
output "provider_arn" {{ value = data.hub_cluster.this.oidc_provider_arn }}
output "endpoint" {{ value = data.hub_cluster.this.endpoint }}
"#
    ))?;
    ws.apply()?.ok()?;
    let ns = block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        Api::<Namespace>::all(c).get_opt(&name).await.map_err(err)
    })?;
    expect(ns.is_some(), "namespace created through the in-process EKS token")?;
    let st = ws.state()?;
    expect(
        st.output("issuer").and_then(Value::as_str) == Some(sb.oidc_issuer().as_str()),
        "hub_cluster issuer",
    )?;
    expect(
        st.output("provider_arn")
            .and_then(Value::as_str)
            .is_some_and(|a| a.contains(":oidc-provider/")),
        "hub_cluster OIDC provider ARN",
    )?;
    ws.plan()?.expect_empty()?;
    ws.destroy()?.ok()?;
    Ok(())
}

/// The provider's cluster name comes from a resource created in the same run: plan works without AWS or
/// the cluster (policies that depend on the cluster are "known after apply"), and apply reaches both.
#[test]
fn acc_eks_mode_unknown_cluster_name_plans_and_applies_in_one_run() -> tf::Result<()> {
    let sb = sandbox();
    let scope = Scope::new("eks-onerun");
    let name = scope.name("one");
    let role = format!("{}onerun", scope.iam_prefix());
    let ws = workspace(&scope)?;
    ws.config(&format!(
        r#"terraform {{
  required_providers {{
    hub = {{ source = "hub/hub" }}
  }}
}}
resource "terraform_data" "cluster" {{ input = "hub-sandbox" }}
provider "hub" {{
  cluster_name = terraform_data.cluster.output
  region       = "us-east-1"
}}
resource "hub_namespace" "ns" {{ name = {name:?} }}
resource "hub_irsa_binding" "app" {{
  cluster_name    = "hub-sandbox"
  namespace       = hub_namespace.ns.name
  service_account = "app"
  role_name       = {role:?}
  s3_buckets      = [{{ bucket = "my-app-bucket" }}]
}}
"#
    ))?;
    let plan = ws.plan()?;
    plan.resource_change("hub_irsa_binding.app")?
        .expect_actions(&[Action::Create])?
        .expect_unknown("trust_policy")?;
    ws.apply_plan()?.ok()?;
    let ns = block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        Api::<Namespace>::all(c).get_opt(&name).await.map_err(err)
    })?;
    expect(
        ns.is_some(),
        "namespace created once the provider configuration was known",
    )?;
    expect(
        block_on(trust_of(&role))?
            .to_string()
            .contains(&format!("system:serviceaccount:{name}:app")),
        "role created with its trust policy",
    )?;
    ws.plan()?.expect_empty()?;
    ws.destroy()?.ok()?;
    Ok(())
}
