//! The API server's own refusal in the middle of an apply, not an injected fault: an admission policy
//! refuses every Deployment created in the namespace, at write time only (it lets dry-runs through, as a
//! webhook that skips dry-runs does, so the plan cannot know). Each app is half made when its Deployment
//! is refused (ServiceAccount, ConfigMap, Secret and Service written): they must be in state, so that the
//! next apply, once the policy is gone, converges with nothing orphaned or duplicated, and destroy leaves
//! nothing.

use std::time::{Duration, Instant};

use hub_acceptance::sandbox::Sandbox;
use hub_acceptance::support::{block_on, err};
use hub_acceptance::tf::{self, Running};
use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams, PostParams};
use serde_json::json;

use crate::probes::{WriteCounter, alive};
use crate::run::{Fault, faulted_apply};
use crate::serial;
use crate::stack::Stack;

const KINDS: [&str; 2] = ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];

fn api(client: kube::Client, kind: &str) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("admissionregistration.k8s.io", "v1", kind);
    Api::all_with(client, &ApiResource::from_gvk(&gvk))
}

/// Refuses Deployment creates in `namespace` (and of the probe that shows the policy is in force).
struct RefuseDeployments {
    namespace: String,
}

impl RefuseDeployments {
    fn name(&self) -> String {
        format!("{}-refuse", self.namespace)
    }
}

impl Fault for RefuseDeployments {
    fn prepare(&mut self, sb: &Sandbox) -> tf::Result<()> {
        let name = self.name();
        let expression = format!(
            "request.dryRun == true || !(request.namespace == '{}' || request.name == '{name}')",
            self.namespace
        );
        let policy = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": KINDS[0],
            "metadata": {"name": name},
            "spec": {"failurePolicy": "Fail",
                "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
                    "operations": ["CREATE"], "resources": ["deployments"]}]},
                "validations": [{"expression": expression,
                    "message": "Deployments are refused here (reliability scenario)"}]}});
        let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": KINDS[1],
            "metadata": {"name": name},
            "spec": {"policyName": name, "validationActions": ["Deny"]}});
        block_on(async {
            let client = sb.kube_client().await.map_err(err)?;
            let params = PatchParams::apply("reliability").force();
            for body in [policy, binding] {
                let kind = body["kind"].as_str().unwrap_or_default().to_owned();
                api(client.clone(), &kind)
                    .patch(&name, &params, &Patch::Apply(&body))
                    .await
                    .map_err(err)?;
            }
            // In force once a probe Deployment (in `default`) is refused; one that got through is removed.
            let probes = Api::<Deployment>::namespaced(client, "default");
            let probe: Deployment = serde_json::from_value(json!({"metadata": {"name": name},
                "spec": {"selector": {"matchLabels": {"probe": name}},
                    "template": {"metadata": {"labels": {"probe": name}},
                        "spec": {"containers": [{"name": "c", "image": "hub-workload:1.0"}]}}}}))
            .map_err(err)?;
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                match probes.create(&PostParams::default(), &probe).await {
                    Err(kube::Error::Api(s)) if s.message.contains("reliability scenario") => return Ok(()),
                    Err(e) => return Err(err(e)),
                    Ok(_) => probes.delete(&name, &Default::default()).await.map(drop).map_err(err)?,
                }
                if Instant::now() > deadline {
                    return Err(tf::Error::assertion("the admission policy never took effect"));
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    }

    fn inject(&mut self, _: &Sandbox, running: &Running, counter: &WriteCounter) -> tf::Result<String> {
        while alive(running.pid()) {
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(format!(
            "an admission policy refused every Deployment at write time ({} API writes made)",
            counter.api_writes()
        ))
    }

    fn repair(&mut self, sb: &Sandbox) -> tf::Result<()> {
        let name = self.name();
        block_on(async {
            let client = sb.kube_client().await.map_err(err)?;
            for kind in KINDS.iter().rev() {
                api(client.clone(), kind)
                    .delete(&name, &Default::default())
                    .await
                    .map_err(err)?;
            }
            Ok::<_, tf::Error>(())
        })
    }
}

#[test]
fn deployments_refused_by_admission_mid_apply() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    let stack = Stack::new("rel-admission", 6, 0);
    let mut fault = RefuseDeployments {
        namespace: stack.namespace.clone(),
    };
    let row = faulted_apply(
        sb,
        "admission policy refuses Deployments at write time (6 apps)",
        &stack,
        &mut fault,
    )?;
    if row.survived {
        return Err(tf::Error::assertion(
            "the apply succeeded although every Deployment was refused",
        ));
    }
    Ok(())
}
