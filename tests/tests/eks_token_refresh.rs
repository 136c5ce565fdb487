//! A destroy that outlives an EKS token: the provider, in EKS mode, waits 18 minutes for a namespace held
//! by a finalizer, polling the API server all along, then deletes a second namespace. The sandbox's token
//! webhook rejects tokens older than 15 minutes (as EKS does) and the API server does not cache accepted
//! tokens (`--authentication-token-webhook-cache-ttl=0s`), so this passes only if the provider mints a fresh
//! token before the old one expires. Measured: passes in 1098 s.
//!
//! Ignored by default (it takes ~19 minutes): `make test-long`, or
//! `cargo test -p hub-acceptance --test eks_token_refresh -- --ignored`.

use std::time::{Duration, Instant};

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_workspace, eks_provider_block, err, expect, with_kube};
use hub_acceptance::tf;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use serde_json::json;

const HOLD: Duration = Duration::from_secs(18 * 60);

#[test]
#[ignore = "takes ~19 minutes; run with make test-long"]
fn acc_eks_token_is_refreshed_during_a_long_destroy() -> tf::Result<()> {
    let scope = Scope::new("eks-refresh");
    let (held, after) = (scope.name("held"), scope.name("after"));
    let mut ws = aws_workspace(tf::opentofu()?, &scope)?;
    ws.set_timeout(HOLD + Duration::from_secs(600));
    ws.config(&format!(
        r#"{provider}
resource "hub_namespace" "after" {{
  name = {after:?}
}}
# Destroyed first (it depends on "after"), so "after" is deleted with whatever token is current then.
resource "hub_namespace" "held" {{
  name           = {held:?}
  delete_timeout = "30m"
  labels         = {{ after = hub_namespace.after.name }}
}}
"#,
        provider = eks_provider_block()
    ))?;
    ws.apply()?.ok()?;
    let cm: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "held", "finalizers": ["hub.test/hold"]}})).map_err(err)?;
    let ns = held.clone();
    with_kube(|c| async move {
        Api::<ConfigMap>::namespaced(c, &ns)
            .create(&PostParams::default(), &cm)
            .await
    })?;

    let mut running = ws.spawn(&["destroy", "-auto-approve", "-no-color"])?;
    running.wait_for_stdout(Duration::from_secs(60), |line| line.contains("Destroying..."))?;
    let started = Instant::now();
    // Not a wait for a condition: the passing time is the scenario (the first token must expire mid-destroy).
    std::thread::sleep(HOLD);
    let ns = held.clone();
    let release = json!({"metadata": {"finalizers": null}});
    with_kube(|c| async move {
        Api::<ConfigMap>::namespaced(c, &ns)
            .patch("held", &PatchParams::default(), &Patch::Merge(&release))
            .await
    })?;
    let out = running.wait(Duration::from_secs(600))?;
    let text = format!("{}{}", out.stdout, out.stderr);
    expect(
        out.success(),
        &format!("destroy succeeded after {:?}:\n{text}", started.elapsed()),
    )?;
    let names = (held.clone(), after.clone());
    let left = with_kube(|c| async move {
        let api = Api::<Namespace>::all(c);
        Ok((
            api.get_opt(&names.0).await?.is_some(),
            api.get_opt(&names.1).await?.is_some(),
        ))
    })?;
    expect(left == (false, false), &format!("both namespaces gone, got {left:?}"))?;
    expect(ws.state()?.is_empty(), "state empty")
}
