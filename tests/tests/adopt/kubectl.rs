//! Seed 003's manifests, as `kubectl apply -f deployment.yaml` leaves them, adopted by a `hub_app`.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{delete_namespace, expect, wait_until, with_kube};
use hub_acceptance::tf::{self, Cli};
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::Api;
use serde_json::json;
use std::time::Duration;

use super::{
    Tool, bare_pods, changed, create, generate, manifests, replica_sets, replicas_null, uids_now, warning, with_setting,
};

/// The value of the Secret the app reads (not one of its objects): it must never reach a file Terraform
/// writes, although kubectl's last-applied annotation holds it in plain text.
const SECRET: &str = "S3cr3t-seed-003";

/// Imported with generated configuration (the pods as they are: `pod_defaults = "none"`), the plan needs
/// nothing more, as hub applies the values kubectl set; with `force_conflicts`, so that hub takes kubectl's
/// fields, it keeps every object, the ReplicaSet and the HPA's count, and the fields kubectl set that hub
/// does not (its last-applied annotation among them) are gone.
fn adopt_kubectl(cli: &Cli) -> tf::Result<()> {
    let ns = Scope::new("adopt-kubectl").name("ils");
    let selector = json!({"app.kubernetes.io/name": "ils-api", "app.kubernetes.io/instance": "ils-api"});
    let mut labels = selector.clone();
    labels["app.kubernetes.io/part-of"] = json!("ils");
    let (objects, outside) = manifests("kubectl_seed_003.json", &labels, &json!({}), &selector);
    let mut made = objects.clone();
    made.extend(outside.clone());
    let created = create(&ns, Tool::Kubectl, made)?;
    let (before, before_outside) = created.split_at(objects.len());
    let result = (|| {
        let sets = wait_until(Duration::from_secs(60), "the Deployment's ReplicaSet", || {
            replica_sets(&ns).ok().filter(|s| !s.is_empty())
        });
        let (ws, out, generated) = generate(cli, "ils_api", &format!("{ns}/ils-api"), &[SECRET])?;
        // Import read the pods as they are: hub applies the values kubectl set, so nothing conflicts.
        expect(
            out.success(),
            &format!(
                "the plan of the generated configuration succeeds unasked:\n{}",
                out.stderr
            ),
        )?;
        replicas_null(&generated)?;
        expect(
            generated.contains("ils-api-credentials") && generated.contains("part-of"),
            &format!("the generated file reads the Secret reference and the labels:\n{generated}"),
        )?;
        ws.write("generated.tf", &with_setting(&generated, "force_conflicts = true"))?;
        bare_pods(&generated)?;
        let plan = ws.plan()?;
        for summary in ["Adoption Restarts The Pods", "Adoption May Restart The Pods"] {
            expect(
                warning(&plan, summary).is_empty(),
                &format!("no {summary:?}: {:?}", plan.diagnostics),
            )?;
        }
        let applied = ws.apply_plan()?.ok()?;
        let state = ws.run(&["show", "-json"])?.ok()?;
        for (what, text) in [
            ("generated.tf", generated.as_str()),
            ("the plan", &plan.json().to_string()),
            ("the apply's output", &format!("{}{}", applied.stdout, applied.stderr)),
            ("the state", &state.stdout),
        ] {
            expect(!text.contains(SECRET), &format!("the Secret's value is not in {what}"))?;
        }
        ws.plan()?.expect_empty()?;
        let after = uids_now(&ns, before, &objects)?;
        expect(
            changed(before, &after).is_empty(),
            &format!("every object kept its UID: {:?}", changed(before, &after)),
        )?;
        // The Secret the app reads but kubectl made on its own is not taken (its values cannot be read): it
        // is still there, untouched.
        let outside_after = uids_now(&ns, before_outside, &outside)?;
        expect(
            changed(before_outside, &outside_after).is_empty(),
            "the Secret the app reads is still there",
        )?;
        expect(
            replica_sets(&ns)? == sets,
            "the Deployment's ReplicaSet is the same: no pod restarted",
        )?;
        let n = ns.clone();
        let deployment = with_kube(|c| async move { Api::<Deployment>::namespaced(c, &n).get("ils-api").await })?;
        let annotations = deployment.metadata.annotations.unwrap_or_default();
        expect(
            !annotations.contains_key("kubectl.kubernetes.io/last-applied-configuration"),
            "kubectl's last-applied annotation went with its fields",
        )?;
        let replicas = deployment.spec.and_then(|s| s.replicas);
        expect(
            replicas == Some(5),
            &format!("the Deployment kept its count (5, above the HPA's minimum of 3): {replicas:?}"),
        )?;
        ws.run(&["state", "rm", "hub_app.ils_api"])?.ok()?;
        Ok(())
    })();
    let deleted = delete_namespace(&ns);
    result.and(deleted)
}

#[test]
fn acc_kubectl_manifests_adopted_with_force_conflicts() -> tf::Result<()> {
    tf::for_each_listed(vec![tf::opentofu()?, Cli::terraform_new()?], adopt_kubectl)
}
