//! Security review findings (issue 17) that involve the CLI and the API server: an import never copies a
//! Secret's values into state, plans or logs; two configurations that name the same app cannot overwrite
//! or delete each other's objects; objects another tool made are taken over only when asked.

use base64::Engine;
use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{expect, provider_block, with_kube};
use hub_acceptance::tf::{self, Action, Workspace};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service, ServiceAccount};
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use serde_json::json;

use super::{BASE, config, namespace_only};

const IMPORTED_SECRET: &str = "imported-s3cret-9f2c";

/// The labels a Helm chart or a kubectl manifest would give the app's pods.
fn labels() -> serde_json::Value {
    json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"})
}

/// An OpenTofu workspace whose state holds only the namespace `ns`, made by hub.
fn namespace_workspace(ns: &str) -> tf::Result<Workspace> {
    let ws = Workspace::new(tf::opentofu()?)?;
    ws.config(&namespace_only(ns))?;
    ws.apply()?.ok()?;
    Ok(ws)
}

/// A Deployment, Service and Secret made the way `kubectl apply` makes them: client-side apply, which
/// stores the whole object, Secret values included, in the last-applied annotation.
fn kubectl_apply(ns: &str) -> tf::Result<()> {
    let n = ns.to_owned();
    with_kube(|c| async move {
        let labels = labels();
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "api-secret"},
            "type": "Opaque", "stringData": {"DB_PASSWORD": IMPORTED_SECRET}});
        let mut annotated = secret.clone();
        annotated["metadata"]["annotations"] =
            json!({"kubectl.kubernetes.io/last-applied-configuration": secret.to_string()});
        let post = PostParams {
            field_manager: Some("kubectl-client-side-apply".into()),
            ..PostParams::default()
        };
        Api::<Secret>::namespaced(c.clone(), &n)
            .create(
                &post,
                &serde_json::from_value(annotated).map_err(kube::Error::SerdeError)?,
            )
            .await?;
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "labels": labels},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels},
            "spec": {"containers": [{"name": "api", "image": "hub-workload:0.9",
                "envFrom": [{"secretRef": {"name": "api-secret"}}]}]}}}});
        Api::<Deployment>::namespaced(c, &n)
            .create(
                &post,
                &serde_json::from_value(deployment).map_err(kube::Error::SerdeError)?,
            )
            .await
            .map(drop)
    })
}

/// Item 1: importing an app whose Secret holds a known value (in `data` and in kubectl's last-applied
/// annotation) puts the value nowhere: not in state, not in the human or JSON plan, not in trace logs.
#[test]
fn acc_app_import_never_copies_secret_values() -> tf::Result<()> {
    let ns = Scope::new("app-import-secret").name("apps");
    let mut ws = namespace_workspace(&ns)?;
    kubectl_apply(&ns)?;

    let body = format!(
        "  image = \"hub-workload:1.0\"\n  replicas = 1\n  force_conflicts = true\n  secret_env_wo = {{ DB_PASSWORD = {IMPORTED_SECRET:?} }}\n  secret_env_wo_version = 1\n  rollout = {{ timeout = \"90s\" }}\n"
    );
    ws.config(&config(&ns, &body))?;
    ws.set_env("TF_LOG", "trace");
    ws.set_env("TF_LOG_PROVIDER", "trace");
    let encoded = base64::engine::general_purpose::STANDARD.encode(IMPORTED_SECRET);
    let leaks = |what: &str, text: &str| {
        expect(
            !text.contains(IMPORTED_SECRET) && !text.contains(&encoded),
            &format!("the imported Secret's value (plain or base64) is not in {what}"),
        )
    };

    let imported = ws.import("hub_app.api", &format!("{ns}/api"))?.ok()?;
    leaks(
        "the import's output and trace logs",
        &format!("{}{}", imported.stdout, imported.stderr),
    )?;
    let state = ws.read("terraform.tfstate")?;
    // Read (its keys only) but not taken: a Secret another tool made stays outside the imported app, whose
    // pods hub finds without its defaults (`pod_defaults = "none"`), since taking it would delete it.
    let parsed: serde_json::Value = serde_json::from_str(&state).map_err(hub_acceptance::support::err)?;
    let mode = parsed
        .pointer("/resources/0/instances/0/attributes/pod_defaults")
        .cloned();
    expect(
        mode == Some(serde_json::json!("none")) && !state.contains("Secret/api-secret"),
        &format!("the import left the Secret outside the app (pod_defaults {mode:?})"),
    )?;
    leaks("state after import", &state)?;

    let planned = ws.run(&["plan", "-input=false", "-no-color", "-out=tfplan"])?.ok()?;
    leaks(
        "the plan's output and trace logs",
        &format!("{}{}", planned.stdout, planned.stderr),
    )?;
    let human = ws.run(&["show", "-no-color", "tfplan"])?.ok()?;
    leaks("the human plan", &human.stdout)?;
    let shown = ws.run(&["show", "-json", "tfplan"])?.ok()?;
    let json: serde_json::Value = serde_json::from_str(&shown.stdout).map_err(hub_acceptance::support::err)?;
    for section in ["prior_state", "planned_values", "resource_changes"] {
        leaks(&format!("the JSON plan's {section}"), &json[section].to_string())?;
    }
    ws.plan()?
        .resource_change("hub_app.api")?
        .expect_actions(&[Action::Update])?;

    let applied = ws.run(&["apply", "-input=false", "-no-color", "tfplan"])?.ok()?;
    leaks(
        "the apply's trace logs",
        &format!("{}{}", applied.stdout, applied.stderr),
    )?;
    leaks("state after apply", &ws.read("terraform.tfstate")?)?;
    ws.destroy()?.ok()?;
    Ok(())
}

/// Item 2: a second configuration with the same app name and namespace is refused before it writes
/// anything, with or without `adopt_existing`; the first app's objects are untouched. Destroy of the first
/// leaves an object someone else made again under one of its names.
#[test]
fn acc_app_two_states_never_share_objects() -> tf::Result<()> {
    let ns = Scope::new("app-two-states").name("apps");
    let first = Workspace::new(tf::opentofu()?)?;
    first.config(&config(&ns, BASE))?;
    first.apply()?.ok()?;
    let instance = first.state()?.resource("hub_app.api")?.str("instance_id")?.to_owned();
    expect(
        instance.len() == 32,
        &format!("a 128-bit instance id, got {instance:?}"),
    )?;
    let n = ns.clone();
    let before = with_kube(|c| async move {
        let d = Api::<Deployment>::namespaced(c.clone(), &n).get("api").await?;
        let s = Api::<Secret>::namespaced(c, &n).get("api-secret").await?;
        Ok((
            d.metadata.resource_version,
            s.metadata.resource_version,
            d.metadata.annotations,
        ))
    })?;
    expect(
        before.2.as_ref().and_then(|a| a.get("hub.io/instance")) == Some(&instance),
        "the Deployment carries the instance id",
    )?;

    let second = Workspace::new(tf::opentofu()?)?;
    for adopt in [false, true] {
        second.config(&format!(
            "{}resource \"hub_app\" \"api\" {{\n  name = \"api\"\n  namespace = {ns:?}\n  image = \"hub-workload:1.0\"\n  secret_env = {{ OTHER = \"their-value\" }}\n  service_account = {{ name = \"api\" }}\n  adopt_existing = {adopt}\n}}\n",
            provider_block("")
        ))?;
        let refused = second.apply_err()?;
        let text = format!("{}{}", refused.stdout, refused.stderr);
        expect(
            text.contains("Object Owned By Another hub_app") && text.contains(&instance),
            &format!("the second state is refused naming the owner (adopt_existing = {adopt}):\n{text}"),
        )?;
        expect(second.state()?.is_empty(), "the refused create recorded nothing")?;
    }
    let n = ns.clone();
    let after = with_kube(|c| async move {
        let d = Api::<Deployment>::namespaced(c.clone(), &n).get("api").await?;
        let s = Api::<Secret>::namespaced(c, &n).get("api-secret").await?;
        Ok((
            d.metadata.resource_version,
            s.metadata.resource_version,
            d.metadata.annotations,
        ))
    })?;
    expect(
        after == before,
        "the first app's Deployment and Secret were not written",
    )?;
    first.plan()?.expect_empty()?;

    // Someone deletes the app's ConfigMap and makes their own under the same name: the first app's
    // destroy leaves it in place (warning) and deletes the rest.
    let n = ns.clone();
    with_kube(|c| async move {
        let api = Api::<ConfigMap>::namespaced(c, &n);
        api.delete("api-config", &DeleteParams::default()).await?;
        let theirs = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "api-config"}, "data": {"THEIRS": "1"}});
        api.create(
            &PostParams::default(),
            &serde_json::from_value(theirs).map_err(kube::Error::SerdeError)?,
        )
        .await
        .map(drop)
    })?;
    // The app alone first: the namespace's own deletion would take everything in it.
    let destroyed = first
        .run(&[
            "destroy",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-target=hub_app.api",
        ])?
        .ok()?;
    expect(
        format!("{}{}", destroyed.stdout, destroyed.stderr).contains("Object Left In Place"),
        "destroy warns that it left the foreign ConfigMap",
    )?;
    let n = ns.clone();
    let (config_map, deployment) = with_kube(|c| async move {
        let cm = Api::<ConfigMap>::namespaced(c.clone(), &n)
            .get_opt("api-config")
            .await?;
        let d = Api::<Deployment>::namespaced(c, &n).get_opt("api").await?;
        Ok((cm, d))
    })?;
    expect(
        config_map
            .and_then(|cm| cm.data)
            .is_some_and(|d| d.contains_key("THEIRS")),
        "the foreign ConfigMap survived the destroy",
    )?;
    expect(deployment.is_none(), "the app's own Deployment was deleted")?;
    first.destroy()?.ok()?;
    Ok(())
}

/// Item 2: objects another tool made are refused on create (nothing written) unless `adopt_existing`,
/// which takes them over in place (same UID).
#[test]
fn acc_app_takes_over_foreign_objects_only_when_asked() -> tf::Result<()> {
    let ns = Scope::new("app-adopt-flag").name("apps");
    let ws = namespace_workspace(&ns)?;
    let n = ns.clone();
    let uid = with_kube(|c| async move {
        let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},
            "spec": {"selector": labels(), "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}});
        Api::<Service>::namespaced(c, &n)
            .patch("api", &PatchParams::apply("helm"), &Patch::Apply(service))
            .await
            .map(|s| s.metadata.uid)
    })?;

    ws.config(&config(&ns, BASE))?;
    let refused = ws.apply_err()?;
    let text = format!("{}{}", refused.stdout, refused.stderr);
    expect(
        text.contains("Object Already Exists") && text.contains("helm") && text.contains("adopt_existing"),
        &format!("the create is refused, naming the manager and the way out:\n{text}"),
    )?;
    let n = ns.clone();
    let written = with_kube(|c| async move {
        let sa = Api::<ServiceAccount>::namespaced(c.clone(), &n).get_opt("api").await?;
        let d = Api::<Deployment>::namespaced(c, &n).get_opt("api").await?;
        Ok(sa.is_some() || d.is_some())
    })?;
    expect(!written, "nothing was written before the refusal")?;

    ws.config(&config(&ns, &format!("{BASE}  adopt_existing = true\n")))?;
    let adopted = ws.apply()?.ok()?;
    expect(
        format!("{}{}", adopted.stdout, adopted.stderr).contains("Existing Object Adopted"),
        "the adoption is reported",
    )?;
    let n = ns.clone();
    let after = with_kube(|c| async move {
        Api::<Service>::namespaced(c, &n)
            .get("api")
            .await
            .map(|s| s.metadata.uid)
    })?;
    expect(after == uid, "the Service was taken over in place (same UID)")?;
    ws.plan()?.expect_empty()?;
    ws.destroy()?.ok()?;
    Ok(())
}

/// Item 2, the exception: objects left by a create that was killed before Terraform saved its state carry
/// an instance id whose Deployment was never marked complete; the next create completes them in place.
#[test]
fn acc_app_completes_an_interrupted_create() -> tf::Result<()> {
    let ns = Scope::new("app-interrupted").name("apps");
    let ws = namespace_workspace(&ns)?;
    let n = ns.clone();
    let uids = with_kube(|c| async move {
        let lost = json!({"hub.io/instance": "0123456789abcdef0123456789abcdef"});
        let labels = labels();
        let sa =
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "api", "annotations": lost}});
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "labels": labels, "annotations": lost},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels},
            "spec": {"containers": [{"name": "api", "image": "hub-workload:1.0"}]}}}});
        let params = PatchParams::apply("hub");
        let s = Api::<ServiceAccount>::namespaced(c.clone(), &n)
            .patch("api", &params, &Patch::Apply(sa))
            .await?;
        let d = Api::<Deployment>::namespaced(c, &n)
            .patch("api", &params, &Patch::Apply(deployment))
            .await?;
        Ok((s.metadata.uid, d.metadata.uid))
    })?;

    ws.config(&config(&ns, BASE))?;
    let applied = ws.apply()?.ok()?;
    expect(
        format!("{}{}", applied.stdout, applied.stderr).contains("Interrupted Create Completed"),
        "the leftovers of the lost create are completed, with a warning",
    )?;
    let instance = ws.state()?.resource("hub_app.api")?.str("instance_id")?.to_owned();
    let n = ns.clone();
    let (after, annotations) = with_kube(|c| async move {
        let s = Api::<ServiceAccount>::namespaced(c.clone(), &n).get("api").await?;
        let d = Api::<Deployment>::namespaced(c, &n).get("api").await?;
        Ok((
            (s.metadata.uid, d.metadata.uid),
            d.metadata.annotations.unwrap_or_default(),
        ))
    })?;
    expect(after == uids, "the objects were completed in place (same UIDs)")?;
    expect(
        annotations.get("hub.io/instance") == Some(&instance)
            && annotations.get("hub.io/instance-complete").map(String::as_str) == Some("true"),
        &format!("the Deployment now carries this instance, marked complete: {annotations:?}"),
    )?;
    ws.plan()?.expect_empty()?;
    ws.destroy()?.ok()?;
    Ok(())
}
