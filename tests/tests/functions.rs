//! Provider-defined functions under every CLI that has them (OpenTofu, a PATH Terraform ≥ 1.8): each one's
//! result equals what the matching resource wrote — the trust policy moto holds for a `hub_irsa_binding`,
//! the labels and selector of a `hub_app`'s live Deployment — and `pod_identity_trust_policy` pins the
//! cluster `hub_cluster` describes. Bad arguments are in the bad-input corpus (`functions/`).

use std::collections::BTreeMap;

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_case, aws_fixture_config, block_on, err, expect, sandbox, with_kube};
use hub_acceptance::tf::{self, Step};
use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use serde_json::{Value, json};

/// The role's trust policy as moto holds it, parsed.
async fn live_trust(role: &str) -> tf::Result<Value> {
    let iam = aws_sdk_iam::Client::new(&sandbox().aws_config().await);
    let out = iam.get_role().role_name(role).send().await.map_err(err)?;
    let doc = out
        .role()
        .and_then(|r| r.assume_role_policy_document())
        .unwrap_or_default();
    let text = percent_encoding::percent_decode_str(doc).decode_utf8().map_err(err)?;
    serde_json::from_str(&text).map_err(err)
}

/// Root output `name` of a string type, parsed as JSON.
fn json_output(state: &tf::State, name: &str) -> tf::Result<Value> {
    let text = state
        .output(name)
        .and_then(Value::as_str)
        .ok_or_else(|| err(format!("output {name} is not a string")))?;
    serde_json::from_str(text).map_err(err)
}

/// The live Deployment's labels and selector.
fn deployment_labels(ns: &str) -> tf::Result<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        let d = Api::<Deployment>::namespaced(c, &ns).get("api").await?;
        let labels = d.metadata.labels.unwrap_or_default();
        let selector = d.spec.and_then(|s| s.selector.match_labels).unwrap_or_default();
        Ok((labels, selector))
    })
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    serde_json::from_value(v.cloned().unwrap_or(Value::Null)).unwrap_or_default()
}

#[test]
fn acc_functions_equal_what_the_resources_write() -> tf::Result<()> {
    tf::for_each_cli_with_functions(|cli| {
        let scope = Scope::new("functions");
        let ns = scope.name("fn");
        let role = format!("{}api", scope.iam_prefix());
        let config = aws_fixture_config("functions/match.tf", &[("namespace", &ns), ("role", &role)]);
        let step = Step::new(config).check({
            let (ns, role) = (ns.clone(), role.clone());
            move |state| {
                let function = json_output(state, "irsa_trust")?;
                let live = block_on(live_trust(&role))?;
                expect(
                    function == live,
                    &format!("irsa_trust_policy equals the binding's role trust policy:\n{function}\n{live}"),
                )?;

                let cluster = state.resource("data.hub_cluster.c")?;
                let arn = cluster.str("arn")?;
                let pod = json_output(state, "pod_identity_trust")?;
                let statement = &pod["Statement"][0];
                expect(
                    statement["Principal"] == json!({"Service": "pods.eks.amazonaws.com"})
                        && statement["Condition"]["ArnEquals"]["aws:SourceArn"] == arn
                        && statement["Condition"]["StringEquals"]["aws:RequestTag/kubernetes-namespace"] == ns.as_str(),
                    &format!("pod_identity_trust_policy pins {arn} and {ns}: {pod}"),
                )?;

                let (labels, selector) = deployment_labels(&ns)?;
                expect(
                    string_map(state.output("selector")) == selector,
                    &format!("selector(\"api\") is the Deployment's selector {selector:?}"),
                )?;
                let mut without_mark = labels.clone();
                without_mark.remove("app.kubernetes.io/managed-by");
                expect(
                    string_map(state.output("labels")) == without_mark,
                    &format!("app_labels is the Deployment's labels but hub's mark: {labels:?}"),
                )?;

                let image = state.output("image").cloned().unwrap_or_default();
                expect(
                    image
                        == json!({"registry": "docker.io", "repository": "library/hub-workload", "tag": "1.0", "digest": null}),
                    &format!("parse_image splits hub_app.image: {image}"),
                )
            }
        });
        aws_case(&scope).step(step).run(cli)
    })
}
