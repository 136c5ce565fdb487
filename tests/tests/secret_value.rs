//! `ephemeral "hub_secret_value"` under every CLI that has ephemeral resources (OpenTofu ≥ 1.11, a PATH
//! Terraform ≥ 1.10): a key of a Kubernetes Secret, a Secrets Manager JSON key and an SSM SecureString
//! flow into `hub_app.secret_env_wo` and reach the app's Secret in the cluster, and none of the three
//! values is in the saved plan, the JSON plan, the state or the `TF_LOG=trace` logs. A key that is not
//! there is refused at plan with the attribute named and no value shown.
//!
//! The values are also given to the workspace as `*_SECRET` environment variables, which is how the
//! suite-wide secrets sweep (`HUB_SECRETS_SWEEP_DIR`) learns values that are in no configuration file.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{aws_fixture_config, aws_workspace, block_on, err, expect, sandbox, with_kube};
use hub_acceptance::tf::{self, Action, Cli, Workspace};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::Api;
use kube::api::{DeleteParams, PostParams};

/// The three values, unique per run so that a leak is never a coincidence.
struct Values {
    k8s: String,
    db: String,
    flag: String,
}

impl Values {
    fn new(scope: &Scope) -> Self {
        let id = scope.name("");
        Values {
            k8s: format!("k8s-api-key-{id}"),
            db: format!("sm-db-password-{id}"),
            flag: format!("ssm-flag-{id}"),
        }
    }

    fn all(&self) -> [(&str, &'static str); 3] {
        [
            (self.k8s.as_str(), "the Kubernetes Secret's value"),
            (self.db.as_str(), "the Secrets Manager value"),
            (self.flag.as_str(), "the SSM value"),
        ]
    }

    /// Which values `text` gives away.
    fn leaks(&self, text: &str) -> Vec<&'static str> {
        self.all()
            .into_iter()
            .filter(|(v, _)| text.contains(v))
            .map(|(_, what)| what)
            .collect()
    }
}

/// The three sources: a Secret in its own namespace, a secret and a SecureString parameter in moto.
fn seed(source_ns: &str, secret_id: &str, parameter: &str, values: &Values) -> tf::Result<()> {
    let ns: Namespace = serde_json::from_value(serde_json::json!({"metadata": {"name": source_ns}})).map_err(err)?;
    let mut secret = Secret::default();
    secret.metadata.name = Some("partner-api".into());
    secret.data = Some([("api-key".to_owned(), ByteString(values.k8s.clone().into_bytes()))].into());
    let ns_name = source_ns.to_owned();
    with_kube(|c| async move {
        Api::<Namespace>::all(c.clone())
            .create(&PostParams::default(), &ns)
            .await?;
        Api::<Secret>::namespaced(c, &ns_name)
            .create(&PostParams::default(), &secret)
            .await
    })?;
    block_on(async {
        let conf = sandbox().aws_config().await;
        aws_sdk_secretsmanager::Client::new(&conf)
            .create_secret()
            .name(secret_id)
            .secret_string(serde_json::json!({"username": "app", "password": values.db}).to_string())
            .send()
            .await
            .map_err(|e| err(format!("{e:?}")))?;
        aws_sdk_ssm::Client::new(&conf)
            .put_parameter()
            .name(parameter)
            .value(&values.flag)
            .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
            .overwrite(true)
            .send()
            .await
            .map_err(|e| err(format!("{e:?}")))?;
        Ok(())
    })
}

/// The app's Secret `api-secret`, decoded.
fn app_secret(ns: &str) -> tf::Result<std::collections::BTreeMap<String, String>> {
    let ns = ns.to_owned();
    let secret = with_kube(|c| async move { Api::<Secret>::namespaced(c, &ns).get("api-secret").await })?;
    Ok(secret
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v.0).into_owned()))
        .collect())
}

fn workspace(cli: &Cli, scope: &Scope, values: &Values) -> tf::Result<Workspace> {
    let mut ws = aws_workspace(cli, scope)?;
    let log = ws.path().join("trace.log");
    ws.set_env("TF_LOG", "trace");
    ws.set_env("TF_LOG_PROVIDER", "trace");
    ws.set_env("TF_LOG_PATH", log);
    for (name, value) in [("K8S", &values.k8s), ("DB", &values.db), ("FLAG", &values.flag)] {
        ws.set_env(format!("HUB_TEST_{name}_SECRET"), value);
    }
    Ok(ws)
}

/// Expects no value in `text` (what a command printed) nor in its trace log, then empties the log for the
/// next command.
fn no_leak(ws: &Workspace, values: &Values, what: &str, text: &str) -> tf::Result<()> {
    let log = ws.read("trace.log").unwrap_or_default();
    expect(
        log.contains("tf_rpc"),
        &format!("provider trace logging was on ({what})"),
    )?;
    for (place, text) in [(what, text), ("the trace log", log.as_str())] {
        let found = values.leaks(text);
        expect(
            found.is_empty(),
            &format!("no secret value in {place} ({what}); found {found:?}"),
        )?;
    }
    ws.write("trace.log", "")?;
    Ok(())
}

#[test]
fn acc_secret_value_reaches_the_app_and_nothing_else() -> tf::Result<()> {
    tf::for_each_cli_with(Cli::supports_ephemeral, |cli| {
        let scope = Scope::new("secret-value");
        let (ns, source_ns) = (scope.name("app"), scope.name("src"));
        let secret_id = format!("/hub-test/{}/db", scope.name(""));
        let parameter = format!("/hub-test/{}/flag", scope.name(""));
        let values = Values::new(&scope);
        seed(&source_ns, &secret_id, &parameter, &values)?;
        let ws = workspace(cli, &scope, &values)?;
        let config = |key: &str| {
            aws_fixture_config(
                "ephemeral/secret_value.tf",
                &[
                    ("namespace", &ns),
                    ("source_namespace", &source_ns),
                    ("key", key),
                    ("secret_id", &secret_id),
                    ("parameter", &parameter),
                ],
            )
        };

        // A key the Secret does not have: refused at plan, the attribute named, no value shown.
        ws.config(&config("no-such-key"))?;
        let refused = ws.plan_err()?;
        let text = format!("{}{}", refused.stdout, refused.stderr);
        let named = refused.diagnostics().0.iter().any(|d| {
            d.summary == "Secret Key Not Found"
                && d.detail.contains("kubernetes_secret.key")
                && d.detail.contains("\"api-key\"")
        });
        expect(
            named,
            &format!("the missing key is named with the keys there are:\n{text}"),
        )?;
        no_leak(&ws, &values, "the refused plan's output", &text)?;

        ws.config(&config("api-key"))?;
        let plan = ws.plan()?;
        plan.resource_change("hub_app.api")?.expect_actions(&[Action::Create])?;
        let shown = ws.run(&["show", "-json", tf::PLAN_FILE])?.ok()?;
        no_leak(&ws, &values, "the JSON plan", &shown.stdout)?;

        let applied = ws.apply_plan()?;
        no_leak(
            &ws,
            &values,
            "the apply's output",
            &format!("{}{}", applied.stdout, applied.stderr),
        )?;
        let data = app_secret(&ns)?;
        for (key, want) in [
            ("API_KEY", &values.k8s),
            ("DB_PASSWORD", &values.db),
            ("FLAG", &values.flag),
        ] {
            expect(
                data.get(key) == Some(want),
                &format!("the app's Secret holds {key} from its source"),
            )?;
        }
        let state = ws.read("terraform.tfstate")?;
        let found = values.leaks(&state);
        expect(
            found.is_empty(),
            &format!("no secret value in the state; found {found:?}"),
        )?;
        expect(
            !state.contains("\"mode\": \"ephemeral\""),
            "the state holds no ephemeral resource",
        )?;

        ws.plan()?.expect_empty()?;
        no_leak(&ws, &values, "the re-plan", "")?;
        let destroyed = ws.destroy()?.ok()?;
        no_leak(
            &ws,
            &values,
            "the destroy",
            &format!("{}{}", destroyed.stdout, destroyed.stderr),
        )?;
        cleanup(&source_ns, &secret_id, &parameter)
    })
}

fn cleanup(source_ns: &str, secret_id: &str, parameter: &str) -> tf::Result<()> {
    let ns = source_ns.to_owned();
    with_kube(|c| async move { Api::<Namespace>::all(c).delete(&ns, &DeleteParams::default()).await })?;
    block_on(async {
        let conf = sandbox().aws_config().await;
        let _ = aws_sdk_secretsmanager::Client::new(&conf)
            .delete_secret()
            .secret_id(secret_id)
            .force_delete_without_recovery(true)
            .send()
            .await;
        let _ = aws_sdk_ssm::Client::new(&conf)
            .delete_parameter()
            .name(parameter)
            .send()
            .await;
    });
    Ok(())
}
