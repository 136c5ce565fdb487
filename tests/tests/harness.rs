//! Self-tests of the acceptance harness ([`hub_acceptance::tf`]) using only Terraform's built-in
//! `terraform_data` resource, so they exercise the CLIs, the step flow and the assertions without
//! depending on hub's resources. They run under every available CLI.

use std::time::Duration;

use hub_acceptance::tf::{self, Action, DiagMatch, ImportId, Step, TestCase, Unverifiable, Workspace};
use serde_json::json;

fn data(input: &str) -> String {
    format!(
        "resource \"terraform_data\" \"x\" {{\n  input = \"{input}\"\n}}\n\noutput \"out\" {{\n  value = terraform_data.x.output\n}}\n"
    )
}

/// apply → check → re-plan empty → import-verify, an in-place update, then destroy leaves nothing.
#[test]
fn step_flow_apply_update_import_destroy() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        TestCase::new()
            .step(
                Step::new(data("one"))
                    .plan_check(|plan| {
                        let c = plan.resource_change("terraform_data.x")?;
                        c.expect_actions(&[Action::Create])?
                            .expect_after("input", json!("one"))?;
                        c.expect_unknown("output")?.expect_unknown("id")?;
                        Ok(())
                    })
                    .check(|state| {
                        state
                            .resource("terraform_data.x")?
                            .expect_attr("output", json!("one"))?
                            .expect_set("id")?;
                        match state.output("out") {
                            Some(v) if *v == json!("one") => Ok(()),
                            other => Err(tf::Error::assertion(format!("output out = {other:?}"))),
                        }
                    })
                    .import_verify(
                        "terraform_data.x",
                        ImportId::Attribute("id".into()),
                        &[
                            Unverifiable::new("input", "terraform_data's import restores only id"),
                            Unverifiable::new("output", "terraform_data's import restores only id"),
                        ],
                    ),
            )
            .step(Step::new(data("two")).plan_check(|plan| {
                plan.resource_change("terraform_data.x")?
                    .expect_actions(&[Action::Update])?;
                Ok(())
            }))
            .run(cli)
    })
}

/// A failing precondition is an expected error with a matching diagnostic; the harness reports a step
/// whose expected error does not occur.
#[test]
fn expected_errors_are_matched() -> tf::Result<()> {
    let failing = r#"
variable "mode" {
  default = "bad"
}

resource "terraform_data" "x" {
  lifecycle {
    precondition {
      condition     = var.mode == "ok"
      error_message = "boom from the precondition"
    }
  }
}
"#;
    tf::for_each_cli(|cli| {
        let m = DiagMatch::error()
            .summary("precondition failed")
            .detail("boom from the precondition");
        TestCase::new()
            .step(Step::new(failing).expect_error(m.clone()))
            .run(cli)?;
        match TestCase::new().step(Step::new(data("fine")).expect_error(m)).run(cli) {
            Err(tf::Error::Step { step: 1, .. }) => Ok(()),
            other => Err(tf::Error::assertion(format!(
                "a step that applies cleanly passed expect_error: {other:?}"
            ))),
        }
    })
}

/// Assertions fail when they should: a non-empty plan, a wrong attribute, a missing resource.
#[test]
fn assertions_can_fail() -> tf::Result<()> {
    let ws = Workspace::new(tf::opentofu()?)?;
    ws.config(&data("v"))?;
    let plan = ws.plan()?;
    assert!(plan.expect_empty().is_err());
    let change = plan.resource_change("terraform_data.x")?;
    assert!(change.expect_actions(&[Action::Delete]).is_err());
    assert!(change.expect_after("input", json!("other")).is_err());
    assert!(change.expect_unknown("input").is_err());
    assert!(plan.resource_change("terraform_data.nope").is_err());
    ws.apply_plan()?;
    let state = ws.state()?;
    assert!(
        state
            .resource("terraform_data.x")?
            .expect_attr("input", json!("w"))
            .is_err()
    );
    ws.plan()?.expect_empty()?;
    Ok(())
}

/// A running command can be observed line by line (the synchronisation an interrupt test needs).
#[test]
fn running_command_reports_progress() -> tf::Result<()> {
    let ws = Workspace::new(tf::opentofu()?)?;
    ws.config(&data("v"))?;
    let mut run = ws.spawn(&["apply", "-json", "-auto-approve", "-input=false"])?;
    run.wait_for_stdout(Duration::from_secs(60), |l| l.contains(r#""type":"apply_start""#))?;
    let out = run.wait(Duration::from_secs(60))?.ok()?;
    out.expect_no_crash()?;
    if !out.json_lines().iter().any(|l| l["type"] == "apply_complete") {
        return Err(tf::Error::assertion(format!("no apply_complete message:\n{out}")));
    }
    Ok(())
}
