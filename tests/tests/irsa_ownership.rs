//! Which IAM roles `hub_irsa_binding` takes over and deletes (issue 17, item 3). hub tags the roles it
//! creates (`hub:managed-by`, `hub:binding`) in CreateRole itself; a role with the binding's exact trust
//! policy but without those tags (eksctl and terraform-aws-modules write the same `sub` + `aud` shape) is
//! never adopted and never deleted; import claims it, and the next apply tags it. A role of hub's own
//! found after state was lost is adopted; a role stripped of its tags (as roles made by hub before the
//! tags are) is refused by destroy until an apply tags it again.

use std::collections::BTreeMap;

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_workspace, block_on, err, expect, sandbox};
use hub_acceptance::tf::{self, Action, Severity, Workspace};
use serde_json::Value;

const ADDRESS: &str = "hub_irsa_binding.app";
const NAMESPACE: &str = "payments";
const ACCOUNT: &str = "api";
const EKSCTL_TAG: &str = "alpha.eksctl.io/cluster-name";

fn workspace(scope: &Scope, role: &str) -> tf::Result<Workspace> {
    let ws = aws_workspace(tf::opentofu()?, scope)?;
    let provider_arn = format!(
        "arn:aws:iam::123456789012:oidc-provider/{}",
        sandbox().oidc_issuer().trim_start_matches("https://")
    );
    ws.config(&format!(
        r#"terraform {{
  required_providers {{
    hub = {{ source = "hub/hub" }}
  }}
}}

provider "hub" {{
  config_path = {kubeconfig:?}
  region      = "us-east-1"
}}

resource "hub_irsa_binding" "app" {{
  oidc_provider_arn = {provider_arn:?}
  namespace         = {NAMESPACE:?}
  service_account   = {ACCOUNT:?}
  role_name         = {role:?}
  s3_buckets        = [{{ bucket = "payments-reports" }}]
  verify            = false
}}
"#,
        kubeconfig = sandbox().kubeconfig_path().display().to_string(),
    ))?;
    Ok(ws)
}

async fn iam() -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sandbox().aws_config().await)
}

/// The role's tags, or `None` when it does not exist.
fn live_tags(role: &str) -> tf::Result<Option<BTreeMap<String, String>>> {
    block_on(async {
        match iam().await.list_role_tags().role_name(role).send().await {
            Ok(out) => Ok(Some(
                out.tags()
                    .iter()
                    .map(|t| (t.key().to_owned(), t.value().to_owned()))
                    .collect(),
            )),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_entity_exception()) => Ok(None),
            Err(e) => Err(err(e)),
        }
    })
}

fn has_inline_policy(role: &str) -> tf::Result<bool> {
    block_on(async {
        match iam()
            .await
            .get_role_policy()
            .role_name(role)
            .policy_name("hub-irsa")
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_entity_exception()) => Ok(false),
            Err(e) => Err(err(e)),
        }
    })
}

fn hubs_tags() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("hub:binding".to_owned(), format!("{NAMESPACE}/{ACCOUNT}")),
        ("hub:managed-by".to_owned(), "terraform-provider-hub".to_owned()),
    ])
}

/// Whether `tags` hold hub's two tags with this binding's values.
fn tagged_by_hub(tags: &BTreeMap<String, String>) -> bool {
    hubs_tags().iter().all(|(k, v)| tags.get(k) == Some(v))
}

/// A failed destroy that must say the role is not hub's.
fn destroy_refused(ws: &Workspace) -> tf::Result<()> {
    let errors = ws
        .run(&["destroy", "-json", "-input=false", "-auto-approve"])?
        .failed()?
        .diagnostics()
        .error_text();
    expect(
        errors.contains("IAM Role Not Made By hub") && errors.contains("run apply once"),
        &format!("destroy refuses a role without hub's tags and says what to do: {errors}"),
    )?;
    expect(
        ws.state()?.resource(ADDRESS).is_ok(),
        "the refused binding stays in the state",
    )
}

#[test]
fn acc_irsa_never_adopts_a_role_another_tool_made_and_import_claims_it() -> tf::Result<()> {
    let sb = sandbox();
    let scope = Scope::new("irsa-foreign");
    let role = format!("{}api", scope.iam_prefix());
    let ws = workspace(&scope, &role)?;

    // Another tool (here: what eksctl writes) made a role with exactly the trust policy hub would write.
    let plan = ws.plan()?;
    let trust = plan
        .resource_change(ADDRESS)?
        .after("trust_policy")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    block_on(async {
        let tag = aws_sdk_iam::types::Tag::builder()
            .key(EKSCTL_TAG)
            .value("hub-sandbox")
            .build()
            .map_err(err)?;
        iam()
            .await
            .create_role()
            .role_name(&role)
            .assume_role_policy_document(&trust)
            .tags(tag)
            .send()
            .await
            .map_err(err)
    })?;

    // The apply refuses it and changes nothing on it.
    let errors = ws.apply_err()?.diagnostics().error_text();
    expect(
        errors.contains("IAM Role Already Exists")
            && errors.contains("hub:managed-by=terraform-provider-hub")
            && errors.contains("terraform import"),
        &format!("refused with a pointer to import: {errors}"),
    )?;
    let tags = live_tags(&role)?.unwrap_or_default();
    expect(
        tags == BTreeMap::from([(EKSCTL_TAG.to_owned(), "hub-sandbox".to_owned())]),
        &format!("the role's tags are untouched: {tags:?}"),
    )?;
    expect(!has_inline_policy(&role)?, "no inline policy was written")?;
    expect(ws.state()?.is_empty(), "nothing entered the state")?;

    // Imported, it is claimed but not yet tagged: destroy refuses it and deletes nothing.
    ws.import(ADDRESS, &role)?;
    destroy_refused(&ws)?;
    expect(live_tags(&role)?.is_some(), "the role still exists")?;

    // The next apply tags it as this binding's (outside `tags`); then destroy deletes it.
    let plan = ws.plan()?;
    plan.resource_change(ADDRESS)?.expect_actions(&[Action::Update])?;
    ws.apply_plan()?.ok()?;
    let tags = live_tags(&role)?.unwrap_or_default();
    expect(tagged_by_hub(&tags), &format!("hub's tags after the apply: {tags:?}"))?;
    let st = ws.state()?;
    let state = st.resource(ADDRESS)?;
    expect(
        state
            .attr("tags")
            .is_none_or(|t| t.is_null() || t.as_object().is_some_and(|m| m.is_empty())),
        &format!("hub's tags are not in `tags`: {:?}", state.attr("tags")),
    )?;
    expect(
        state.attr("ownership_tags") == Some(&serde_json::to_value(hubs_tags()).map_err(err)?),
        &format!("ownership_tags: {:?}", state.attr("ownership_tags")),
    )?;
    ws.plan()?.expect_empty()?;
    ws.destroy()?.ok()?;
    expect(live_tags(&role)?.is_none(), "the claimed role is deleted")?;
    block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        scope.cleanup(&c, &sb.aws_config().await).await.map_err(err)
    })
}

#[test]
fn acc_irsa_adopts_its_own_role_after_lost_state_and_destroy_refuses_an_untagged_one() -> tf::Result<()> {
    let sb = sandbox();
    let scope = Scope::new("irsa-own");
    let role = format!("{}api", scope.iam_prefix());
    let ws = workspace(&scope, &role)?;
    ws.apply()?;
    let tags = live_tags(&role)?.unwrap_or_default();
    expect(tagged_by_hub(&tags), &format!("CreateRole tagged the role: {tags:?}"))?;

    // The state is lost after the create (an interrupted apply): the re-run adopts hub's own role.
    ws.run(&["state", "rm", ADDRESS])?.ok()?;
    let out = ws.apply()?;
    expect(
        out.diagnostics()
            .0
            .iter()
            .any(|d| d.severity == Severity::Warning && d.summary == "IAM Role Adopted"),
        &format!("adopted with a warning: {}", out.diagnostics()),
    )?;
    ws.plan()?.expect_empty()?;

    // The role loses hub's tags, like a role made by hub before it tagged roles: the plan puts them back,
    // and until that is applied destroy refuses to delete the role.
    block_on(async {
        iam()
            .await
            .untag_role()
            .role_name(&role)
            .tag_keys("hub:managed-by")
            .tag_keys("hub:binding")
            .send()
            .await
            .map_err(err)
    })?;
    let plan = ws.plan()?;
    let rc = plan.resource_change(ADDRESS)?;
    rc.expect_actions(&[Action::Update])?;
    expect(
        rc.after("ownership_tags") == Some(&serde_json::to_value(hubs_tags()).map_err(err)?),
        &format!(
            "the plan shows hub's tags coming back: {:?}",
            rc.after("ownership_tags")
        ),
    )?;
    destroy_refused(&ws)?;
    expect(
        live_tags(&role)?.is_some() && has_inline_policy(&role)?,
        "the untagged role and its policy are left as they were",
    )?;

    ws.apply()?;
    expect(
        tagged_by_hub(&live_tags(&role)?.unwrap_or_default()),
        "the apply tagged the role again",
    )?;
    ws.destroy()?.ok()?;
    expect(live_tags(&role)?.is_none(), "the role is deleted")?;
    block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        scope.cleanup(&c, &sb.aws_config().await).await.map_err(err)
    })
}
