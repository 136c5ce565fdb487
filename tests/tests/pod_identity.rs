//! `hub_irsa_binding` with `mechanism = "pod_identity"` against the local plane (moto plus the Pod Identity
//! and add-on endpoints of tests/tools/moto/sandbox_moto.py), under every CLI: one role on two clusters
//! with an association each, an association deleted and one pointed at another role out of band (both
//! repaired), destroy leaving neither; and a live IRSA binding switched to Pod Identity and back in place,
//! with the same role (same RoleId: never recreated), the annotation removed and restored.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{
    GRANT_NOT_IMPORTED, aws_case, block_on, err, expect, namespace_with_account, pod_as, provider_block,
    role_annotation, sandbox,
};
use hub_acceptance::tf::{self, Action, DiagMatch, ImportId, Step, Unverifiable};
use serde_json::Value;

const ACCOUNT: &str = "123456789012";

/// The tests of this file run one at a time: the switch test reads moto's request recording, which would
/// otherwise hold the other test's writes too.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
const AGENT: &str = "eks-pod-identity-agent";

async fn eks() -> aws_sdk_eks::Client {
    aws_sdk_eks::Client::new(&sandbox().aws_config().await)
}

async fn iam() -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sandbox().aws_config().await)
}

/// A second EKS cluster in moto (the wrapper pre-creates only the sandbox's), with the agent add-on on it
/// and on the sandbox cluster.
fn second_cluster(scope: &Scope) -> tf::Result<String> {
    let name = scope.name("second");
    block_on(async {
        let c = eks().await;
        c.create_cluster()
            .name(&name)
            // moto's default (1.19) predates Pod Identity, which hub refuses at plan.
            .version("1.35")
            .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/hub-sandbox-cluster"))
            .resources_vpc_config(
                aws_sdk_eks::types::VpcConfigRequest::builder()
                    .subnet_ids("subnet-0a1b2c3d4e5f60001")
                    .build(),
            )
            .send()
            .await
            .map_err(err)?;
        Ok::<_, tf::Error>(())
    })?;
    install_agent(&name)?;
    install_agent("hub-sandbox")?;
    Ok(name)
}

/// The Pod Identity agent add-on on `cluster` (already there is fine).
fn install_agent(cluster: &str) -> tf::Result<()> {
    block_on(async {
        match eks()
            .await
            .create_addon()
            .cluster_name(cluster)
            .addon_name(AGENT)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_in_use_exception()) => Ok(()),
            Err(e) => Err(err(e)),
        }
    })
}

fn delete_cluster(name: &str) -> tf::Result<()> {
    block_on(async {
        eks()
            .await
            .delete_cluster()
            .name(name)
            .send()
            .await
            .map(drop)
            .map_err(err)
    })
}

/// The association for `ns/sa` on `cluster`: `(id, role ARN)`.
fn association(cluster: &str, ns: &str, sa: &str) -> tf::Result<Option<(String, String)>> {
    block_on(async {
        let c = eks().await;
        let out = c
            .list_pod_identity_associations()
            .cluster_name(cluster)
            .namespace(ns)
            .service_account(sa)
            .send()
            .await
            .map_err(err)?;
        let Some(id) = out.associations().first().and_then(|a| a.association_id()) else {
            return Ok(None);
        };
        let a = c
            .describe_pod_identity_association()
            .cluster_name(cluster)
            .association_id(id)
            .send()
            .await
            .map_err(err)?;
        Ok(a.association()
            .map(|a| (id.to_owned(), a.role_arn().unwrap_or_default().to_owned())))
    })
}

fn expect_association(cluster: &str, ns: &str, sa: &str, role_arn: &str) -> tf::Result<()> {
    let found = association(cluster, ns, sa)?;
    expect(
        found.as_ref().is_some_and(|(_, r)| r == role_arn),
        &format!("one association on {cluster} for {ns}/{sa} giving {role_arn}: {found:?}"),
    )
}

/// The role's RoleId (a recreated role gets a new one), or `None` when it does not exist.
fn role_id(role: &str) -> tf::Result<Option<String>> {
    block_on(async {
        match iam().await.get_role().role_name(role).send().await {
            Ok(out) => Ok(out.role().map(|r| r.role_id().to_owned())),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_entity_exception()) => Ok(None),
            Err(e) => Err(err(e)),
        }
    })
}

fn trust_text(role: &str) -> tf::Result<String> {
    block_on(async {
        let out = iam().await.get_role().role_name(role).send().await.map_err(err)?;
        let doc = out
            .role()
            .and_then(|r| r.assume_role_policy_document())
            .unwrap_or_default();
        percent_encoding::percent_decode_str(doc)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(err)
    })
}

fn cleanup(scope: &Scope) -> tf::Result<()> {
    block_on(async {
        let sb = sandbox();
        let c = sb.kube_client().await.map_err(err)?;
        scope.cleanup(&c, &sb.aws_config().await).await.map_err(err)
    })
}

fn two_cluster_config(ns: &str, role: &str, second: &str) -> String {
    format!(
        r#"{provider}
resource "hub_irsa_binding" "worker" {{
  mechanism       = "pod_identity"
  cluster_names   = ["hub-sandbox", {second:?}]
  namespace       = {ns:?}
  service_account = "worker"
  role_name       = {role:?}
  s3_buckets      = [{{ bucket = "worker-bucket" }}]
  pod_identity_agent_check = "error"
}}
"#,
        provider = provider_block("  region = \"us-east-1\"\n")
    )
}

/// One role on two clusters: an association each, pointing at the role; an association deleted out of
/// band is re-created and one pointed at another role is pointed back; destroy leaves no association or
/// role.
#[test]
fn acc_pod_identity_two_clusters_drift_and_destroy() -> tf::Result<()> {
    let _serial = serial();
    tf::for_each_cli(|cli| {
        let scope = Scope::new("podid-two");
        let second = second_cluster(&scope)?;
        let result = (|| {
            let ns = namespace_with_account(&scope, "pi", "worker")?;
            let role = format!("{}worker", scope.iam_prefix());
            let arn = format!("arn:aws:iam::{ACCOUNT}:role/{role}");
            let config = two_cluster_config(&ns, &role, &second);
            let clusters = ["hub-sandbox".to_owned(), second.clone()];
            let both = {
                let (ns, arn, clusters) = (ns.clone(), arn.clone(), clusters.clone());
                move |_: &tf::State| {
                    for c in &clusters {
                        expect_association(c, &ns, "worker", &arn)?;
                    }
                    Ok(())
                }
            };
            let create = Step::new(config.clone())
                .plan_check({
                    let (second, arn) = (second.clone(), arn.clone());
                    move |plan| {
                        let rc = plan.resource_change("hub_irsa_binding.worker")?;
                        rc.expect_actions(&[Action::Create])?;
                        rc.expect_after("role_arn", Value::String(arn.clone()))?;
                        rc.expect_after("service_account_annotation", serde_json::json!({}))?;
                        rc.expect_unknown("association_ids")?;
                        let trust = rc.after("trust_policy").and_then(Value::as_str).unwrap_or_default();
                        expect(
                            trust.contains("pods.eks.amazonaws.com")
                                && trust.contains(&format!(":cluster/{second}"))
                                && trust.contains(":cluster/hub-sandbox")
                                && trust.contains("aws:RequestTag/kubernetes-service-account"),
                            &format!("Pod Identity trust for both clusters at plan: {trust}"),
                        )
                    }
                })
                .check({
                    let (both, role) = (both.clone(), role.clone());
                    move |state| {
                        both(state)?;
                        let ids = state.resource("hub_irsa_binding.worker")?.attr("association_ids");
                        expect(
                            ids.and_then(Value::as_object).is_some_and(|m| m.len() == 2),
                            &format!("two association IDs in state: {ids:?}"),
                        )?;
                        expect(
                            trust_text(&role)?.contains("pods.eks.amazonaws.com"),
                            "the live role trusts Pod Identity",
                        )
                    }
                })
                .import_verify(
                    "hub_irsa_binding.worker",
                    ImportId::Literal(role.clone()),
                    &[
                        Unverifiable::new("s3_buckets", GRANT_NOT_IMPORTED),
                        Unverifiable::new("custom_policy_json", GRANT_NOT_IMPORTED),
                        Unverifiable::new(
                            "pod_identity_agent_check",
                            "a plan-time setting, not stored in AWS (import reads the default)",
                        ),
                    ],
                );
            let deleted = Step::new(config.clone())
                .pre_config({
                    let (second, ns) = (second.clone(), ns.clone());
                    move || {
                        let (id, _) = association(&second, &ns, "worker")?.ok_or_else(|| err("no association"))?;
                        block_on(async {
                            eks()
                                .await
                                .delete_pod_identity_association()
                                .cluster_name(&second)
                                .association_id(id)
                                .send()
                                .await
                                .map(drop)
                                .map_err(err)
                        })
                    }
                })
                .plan_check(|plan| {
                    plan.resource_change("hub_irsa_binding.worker")?
                        .expect_actions(&[Action::Update])?
                        .expect_unknown("association_ids")
                        .map(drop)
                })
                .check(both.clone());
            let repointed = Step::new(config)
                .pre_config({
                    let ns = ns.clone();
                    move || {
                        let (id, _) =
                            association("hub-sandbox", &ns, "worker")?.ok_or_else(|| err("no association"))?;
                        block_on(async {
                            eks()
                                .await
                                .update_pod_identity_association()
                                .cluster_name("hub-sandbox")
                                .association_id(id)
                                .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/someone-else"))
                                .send()
                                .await
                                .map(drop)
                                .map_err(err)
                        })
                    }
                })
                .plan_check({
                    let arn = arn.clone();
                    move |plan| {
                        let rc = plan.resource_change("hub_irsa_binding.worker")?;
                        rc.expect_actions(&[Action::Update])?;
                        expect(
                            rc.before("association_role_arns").is_some_and(|m| {
                                m["hub-sandbox"].as_str().is_some_and(|r| r.ends_with("/someone-else"))
                            }),
                            "the plan shows the association pointing at the other role",
                        )?;
                        expect(
                            rc.after("association_role_arns")
                                .is_some_and(|m| m["hub-sandbox"] == arn.as_str()),
                            "and pointed back",
                        )
                    }
                })
                .check(both);
            aws_case(&scope).step(create).step(deleted).step(repointed).run(cli)?;
            for c in &clusters {
                expect(
                    association(c, &ns, "worker")?.is_none(),
                    &format!("destroy left no association on {c}"),
                )?;
            }
            expect(role_id(&role)?.is_none(), "destroy deleted the role")
        })();
        let removed = delete_cluster(&second);
        result?;
        removed?;
        cleanup(&scope)
    })
}

/// Where a step's AWS writes are watched from.
type Watch = std::sync::Arc<std::sync::Mutex<Option<hub_acceptance::sandbox::WriteWatch>>>;

fn start_watch(watch: &Watch) -> tf::Result<()> {
    let started = block_on(sandbox().watch_writes()).map_err(err)?;
    *watch.lock().map_err(err)? = Some(started);
    Ok(())
}

/// The AWS writes since [`start_watch`], in order.
fn aws_writes(watch: &Watch) -> tf::Result<Vec<String>> {
    let started = watch.lock().map_err(err)?.take().ok_or_else(|| err("no watch"))?;
    Ok(block_on(sandbox().writes_since(started)).map_err(err)?.aws)
}

/// The AWS writes of a switch leave no gap: the trust policy is widened before `wiring` (the association
/// made or deleted) and narrowed only after it; the role is never deleted or recreated.
fn no_gap(writes: &[String], wiring: &str) -> tf::Result<()> {
    let at = |what: &str| writes.iter().position(|w| w.starts_with(what));
    let first = at("UpdateAssumeRolePolicy");
    let last = writes.iter().rposition(|w| w.starts_with("UpdateAssumeRolePolicy"));
    let wired = at(wiring);
    expect(
        matches!((first, wired, last), (Some(a), Some(b), Some(c)) if a < b && b < c),
        &format!("trust widened, then {wiring}, then trust narrowed: {writes:?}"),
    )?;
    expect(
        !writes.iter().any(|w| w == "DeleteRole" || w == "CreateRole"),
        &format!("the role is neither deleted nor created: {writes:?}"),
    )
}

fn switch_config(ns: &str, role: &str, mechanism: &str) -> String {
    let wiring = if mechanism == "irsa" {
        "  cluster_name             = \"hub-sandbox\"\n  annotate_service_account = true\n".to_owned()
    } else {
        "  cluster_name = \"hub-sandbox\"\n  mechanism    = \"pod_identity\"\n".to_owned()
    };
    format!(
        r#"{provider}
resource "hub_irsa_binding" "app" {{
{wiring}  namespace       = {ns:?}
  service_account = "app"
  role_name       = {role:?}
  s3_buckets      = [{{ bucket = "app-bucket" }}]
}}
"#,
        provider = provider_block("  region = \"us-east-1\"\n")
    )
}

/// A live IRSA binding switched to Pod Identity and back, in place: the same role (RoleId unchanged), one
/// association while on Pod Identity, the annotation removed and restored, and the plan saying so.
#[test]
fn acc_pod_identity_switch_in_place_and_back() -> tf::Result<()> {
    let _serial = serial();
    tf::for_each_cli(|cli| {
        let scope = Scope::new("podid-switch");
        install_agent("hub-sandbox")?;
        let ns = namespace_with_account(&scope, "pi", "app")?;
        let role = format!("{}app", scope.iam_prefix());
        let arn = format!("arn:aws:iam::{ACCOUNT}:role/{role}");
        let first_id = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
        let same_role = {
            let (role, first_id) = (role.clone(), first_id.clone());
            move || {
                let now = role_id(&role)?;
                expect(
                    now.is_some() && now.as_ref() == first_id.get(),
                    &format!("the role was never recreated: {now:?} vs {:?}", first_id.get()),
                )
            }
        };
        let irsa = Step::new(switch_config(&ns, &role, "irsa")).check({
            let (ns, role, arn, first_id) = (ns.clone(), role.clone(), arn.clone(), first_id.clone());
            move |_| {
                let _ = first_id.set(role_id(&role)?.ok_or_else(|| err("no role"))?);
                expect(
                    role_annotation(&ns, "app")?.as_deref() == Some(&arn),
                    "IRSA annotation set",
                )
            }
        });
        let watch = Watch::default();
        let to_pod_identity = Step::new(switch_config(&ns, &role, "pod_identity"))
            .pre_config({
                let watch = watch.clone();
                move || start_watch(&watch)
            })
            .plan_check({
                let arn = arn.clone();
                move |plan| {
                    let rc = plan.resource_change("hub_irsa_binding.app")?;
                    rc.expect_actions(&[Action::Update])?;
                    rc.expect_after("role_arn", Value::String(arn.clone()))?;
                    rc.expect_after("service_account_annotation", serde_json::json!({}))?;
                    rc.expect_unknown("association_ids")?;
                    expect(
                        rc.after("association_role_arns")
                            .is_some_and(|m| m["hub-sandbox"] == arn.as_str()),
                        "the plan shows the association to be made",
                    )?;
                    plan.diagnostics
                        .expect(&DiagMatch::warning().summary("Mechanism Switch In Place"))
                        .map(drop)
                }
            })
            .check({
                let (ns, role, arn, same_role) = (ns.clone(), role.clone(), arn.clone(), same_role.clone());
                let watch = watch.clone();
                move |_| {
                    let writes = aws_writes(&watch)?;
                    no_gap(&writes, "POST /clusters/hub-sandbox/pod-identity-associations")?;
                    same_role()?;
                    expect_association("hub-sandbox", &ns, "app", &arn)?;
                    expect(role_annotation(&ns, "app")?.is_none(), "IRSA annotation removed")?;
                    let trust = trust_text(&role)?;
                    expect(
                        trust.contains("pods.eks.amazonaws.com") && !trust.contains("oidc-provider"),
                        &format!("the role trusts only Pod Identity now: {trust}"),
                    )
                }
            });
        let back = Step::new(switch_config(&ns, &role, "irsa"))
            .pre_config({
                let watch = watch.clone();
                move || start_watch(&watch)
            })
            .plan_check(|plan| {
                let rc = plan.resource_change("hub_irsa_binding.app")?;
                rc.expect_actions(&[Action::Update])?;
                expect(
                    rc.after("association_ids").is_some_and(Value::is_null),
                    "associations go",
                )
            })
            .check({
                let (ns, role, arn) = (ns.clone(), role.clone(), arn.clone());
                move |_| {
                    let writes = aws_writes(&watch)?;
                    no_gap(&writes, "DELETE /clusters/hub-sandbox/pod-identity-associations/")?;
                    same_role()?;
                    expect(association("hub-sandbox", &ns, "app")?.is_none(), "association deleted")?;
                    expect(
                        role_annotation(&ns, "app")?.as_deref() == Some(&arn),
                        "IRSA annotation restored",
                    )?;
                    let trust = trust_text(&role)?;
                    expect(
                        trust.contains("oidc-provider") && !trust.contains("pods.eks.amazonaws.com"),
                        &format!("the role trusts only IRSA again: {trust}"),
                    )
                }
            });
        aws_case(&scope).step(irsa).step(to_pod_identity).step(back).run(cli)?;
        expect(role_id(&role)?.is_none(), "destroy deleted the role")?;
        expect(association("hub-sandbox", &ns, "app")?.is_none(), "no association left")?;
        cleanup(&scope)
    })
}

/// The roles the EKS Auth stand-in handed sessions of for `ns/sa`, in order.
fn session_roles(ns: &str, sa: &str) -> tf::Result<Vec<String>> {
    block_on(async {
        let url = format!("{}/_hub/pod-identity-sessions", sandbox().moto_url());
        let out = hub_acceptance::sandbox::httpc::get(&url).await.map_err(err)?;
        let all: Value = serde_json::from_slice(&out.body).map_err(err)?;
        Ok(all["sessions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["namespace"] == ns && s["serviceAccount"] == sa)
            .filter_map(|s| s["roleArn"].as_str().map(str::to_owned))
            .collect())
    })
}

/// Replaces the trust policy of `role` (a role the test made, standing in for another team's).
fn set_trust(role: &str, trust: &Value) -> tf::Result<()> {
    block_on(async {
        iam()
            .await
            .update_assume_role_policy()
            .role_name(role)
            .policy_document(trust.to_string())
            .send()
            .await
            .map(drop)
            .map_err(err)
    })
}

fn trusting(principal: &str, actions: &[&str]) -> Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": principal}, "Action": actions}],
    })
}

fn verified_config(ns: &str, role: &str, extra: &str) -> String {
    format!(
        r#"{provider}
resource "hub_irsa_binding" "reader" {{
  mechanism       = "pod_identity"
  cluster_name    = "hub-sandbox"
  namespace       = {ns:?}
  service_account = "reader"
  role_name       = {role:?}
  s3_buckets      = [{{ bucket = "reader-bucket" }}]
{extra}}}
"#,
        provider = provider_block("  region = \"us-east-1\"\n")
    )
}

/// Verification does what the agent does (a pod's token exchanged at EKS Auth): a binding whose pod can
/// get the role applies, and the stand-in handed that pod a session of the role; a target role that does
/// not trust the binding's role fails the apply with an error naming the target's trust; once its owner
/// fixes it, pods get sessions of the target role.
#[test]
fn acc_pod_identity_verified_like_the_agent() -> tf::Result<()> {
    let _serial = serial();
    tf::for_each_cli(|cli| {
        let scope = Scope::new("podid-verify");
        install_agent("hub-sandbox")?;
        let ns = namespace_with_account(&scope, "pv", "reader")?;
        pod_as(&ns, "reader")?;
        let role = format!("{}reader", scope.iam_prefix());
        let arn = format!("arn:aws:iam::{ACCOUNT}:role/{role}");
        let target = format!("{}target", scope.iam_prefix());
        let target_arn = format!("arn:aws:iam::{ACCOUNT}:role/{target}");
        block_on(async {
            iam()
                .await
                .create_role()
                .role_name(&target)
                .assume_role_policy_document(
                    trusting(
                        &format!("arn:aws:iam::{ACCOUNT}:role/someone-else"),
                        &["sts:AssumeRole"],
                    )
                    .to_string(),
                )
                .send()
                .await
                .map(drop)
                .map_err(err)
        })?;
        let verified = Step::new(verified_config(&ns, &role, "")).check({
            let (ns, arn) = (ns.clone(), arn.clone());
            move |_| {
                let roles = session_roles(&ns, "reader")?;
                expect(
                    roles == [arn.clone()],
                    &format!("one EKS Auth session of {arn} for the pod: {roles:?}"),
                )
            }
        });
        let with_target = format!("  target_role_arn = {target_arn:?}\n");
        let untrusted = Step::new(verified_config(&ns, &role, &with_target)).expect_error(
            DiagMatch::error()
                .summary("Pod Identity Role Not Assumable")
                .detail(&format!("target role {target_arn} must also trust {arn}")),
        );
        let fixed = Step::new(verified_config(
            &ns,
            &role,
            &format!("{with_target}  disable_session_tags = true\n"),
        ))
        .pre_config({
            let (target, arn) = (target.clone(), arn.clone());
            move || set_trust(&target, &trusting(&arn, &["sts:AssumeRole"]))
        })
        .check({
            let (ns, arn, target_arn) = (ns.clone(), arn.clone(), target_arn.clone());
            move |_| {
                let roles = session_roles(&ns, "reader")?;
                expect(
                    roles == [arn.clone(), target_arn.clone()],
                    &format!("then a session of the target role {target_arn}: {roles:?}"),
                )
            }
        });
        aws_case(&scope).step(verified).step(untrusted).step(fixed).run(cli)?;
        cleanup(&scope)
    })
}
