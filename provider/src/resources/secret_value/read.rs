//! Reading the value (the Open of the ephemeral resource). Errors name the attribute that points at what
//! is missing and quote names and keys, never a value.

use aws_sdk_ssm::config::http::HttpResponse;
use aws_sdk_ssm::error::{ProvideErrorMetadata, SdkError};
use k8s_openapi::api::core::v1::Secret;
use kube::Api;

use crate::aws::{AwsClients, AwsErrorKind, classify, sdk_error};
use crate::diag::Diagnostics;
use crate::framework::ProviderContext;
use crate::value::AttributePath;

use super::model::{KubernetesSecret, SecretValueModel, SecretsManagerSecret, SsmParameter};

/// The value of the one source `config` sets (validation made sure there is exactly one).
pub(super) async fn value(ctx: &ProviderContext, config: &SecretValueModel) -> Result<String, Diagnostics> {
    if let Some(s) = config.kubernetes_secret.get() {
        return kubernetes(ctx, s).await;
    }
    if let Some(s) = config.secrets_manager.get() {
        return secrets_manager(ctx, s).await;
    }
    if let Some(p) = config.ssm_parameter.get() {
        return ssm(ctx, p).await;
    }
    Err(Diagnostics::from_error(
        "No Secret Source",
        "hub_secret_value was opened without a known source; validation should have refused this. This is a bug \
         in hub.",
    ))
}

fn at(path: &[&str], summary: &str, detail: String) -> Diagnostics {
    let mut diags = Diagnostics::new();
    diags.error_at(&AttributePath::attrs(path), summary, detail);
    diags
}

async fn kubernetes(ctx: &ProviderContext, s: &KubernetesSecret) -> Result<String, Diagnostics> {
    let (namespace, name, key) = (
        s.namespace.as_deref().unwrap_or_default(),
        s.name.as_deref().unwrap_or_default(),
        s.key.as_deref().unwrap_or_default(),
    );
    let secret = Api::<Secret>::namespaced(ctx.kube()?, namespace)
        .get_opt(name)
        .await
        .map_err(|e| crate::k8s::report(&format!("Reading Secret {namespace}/{name}"), e))?
        .ok_or_else(|| {
            at(
                &["kubernetes_secret", "name"],
                "Secret Not Found",
                format!(
                    "kubernetes_secret.name = {name:?}: there is no Secret of that name in namespace {namespace:?}."
                ),
            )
        })?;
    let data = secret.data.unwrap_or_default();
    let bytes = data.get(key).ok_or_else(|| {
        at(
            &["kubernetes_secret", "key"],
            "Secret Key Not Found",
            format!(
                "kubernetes_secret.key = {key:?}: Secret {namespace}/{name} has no such key; its keys are {}.",
                listing(data.keys())
            ),
        )
    })?;
    String::from_utf8(bytes.0.clone()).map_err(|_| {
        at(
            &["kubernetes_secret", "key"],
            "Secret Value Not Text",
            format!("kubernetes_secret.key = {key:?}: the value in Secret {namespace}/{name} is not UTF-8 text."),
        )
    })
}

async fn secrets_manager(ctx: &ProviderContext, s: &SecretsManagerSecret) -> Result<String, Diagnostics> {
    let id = s.secret_id.as_deref().unwrap_or_default();
    let aws = ctx.aws().await?;
    let out = aws
        .secretsmanager
        .get_secret_value()
        .secret_id(id)
        .send()
        .await
        .map_err(|e| {
            read_error(
                &e,
                &aws,
                ("secrets_manager", "secret_id", id),
                "Secret Not Found",
                "Secrets Manager secret of that name or ARN",
            )
        })?;
    let text = out.secret_string().ok_or_else(|| {
        at(
            &["secrets_manager", "secret_id"],
            "Secret Is Binary",
            format!("secrets_manager.secret_id = {id:?} holds binary data, not a string; hub reads string secrets."),
        )
    })?;
    match s.json_key.as_deref() {
        None => Ok(text.to_owned()),
        Some(key) => json_value(text, key).map_err(|why| {
            at(
                &["secrets_manager", "json_key"],
                "Secret JSON Key Not Found",
                format!("secrets_manager.json_key = {key:?}: secret {id:?} {why}."),
            )
        }),
    }
}

async fn ssm(ctx: &ProviderContext, p: &SsmParameter) -> Result<String, Diagnostics> {
    let name = p.name.as_deref().unwrap_or_default();
    let aws = ctx.aws().await?;
    let out = aws
        .ssm
        .get_parameter()
        .name(name)
        .with_decryption(true)
        .send()
        .await
        .map_err(|e| {
            read_error(
                &e,
                &aws,
                ("ssm_parameter", "name", name),
                "Parameter Not Found",
                "SSM parameter of that name",
            )
        })?;
    out.parameter()
        .and_then(|p| p.value())
        .map(str::to_owned)
        .ok_or_else(|| {
            Diagnostics::from_error("Parameter Has No Value", format!("SSM returned no value for {name:?}."))
        })
}

/// A failed AWS read: a missing secret or parameter is the fault of the attribute naming it
/// (`(block, attribute, value)`), anything else an AWS error.
fn read_error<E: ProvideErrorMetadata + std::error::Error + 'static>(
    e: &SdkError<E, HttpResponse>,
    aws: &AwsClients,
    (block, attr, id): (&str, &str, &str),
    summary: &str,
    what: &str,
) -> Diagnostics {
    if classify(e) != AwsErrorKind::NotFound {
        return sdk_error(&format!("Reading {block}.{attr} = {id:?}"), e);
    }
    let region = aws.region().unwrap_or_else(|| "(none)".into());
    at(
        &[block, attr],
        summary,
        format!("{block}.{attr} = {id:?}: there is no {what} in region {region} for these credentials."),
    )
}

/// `key` of the JSON object `text`, as text; the error says why not, without any value.
fn json_value(text: &str, key: &str) -> Result<String, String> {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str::<serde_json::Value>(text) else {
        return Err("is not a JSON object, so it has no keys; leave json_key out to read the whole string".into());
    };
    match object.get(key) {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => Ok(v.to_string()),
        Some(_) => Err(format!(
            "has {key:?}, but it is null, an object or an array, not a string"
        )),
        None => Err(format!("has no such key; its keys are {}", listing(object.keys()))),
    }
}

/// Key names for an error message (names only, never values).
fn listing<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let keys: Vec<String> = keys.map(|k| format!("{k:?}")).collect();
    if keys.is_empty() {
        "none".into()
    } else {
        keys.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_give_text_and_errors_never_hold_values() {
        let secret = r#"{"password":"hunter2-xyz","port":5432,"tls":true,"extra":{"a":1},"none":null}"#;
        assert_eq!(json_value(secret, "password").unwrap(), "hunter2-xyz");
        assert_eq!(json_value(secret, "port").unwrap(), "5432");
        assert_eq!(json_value(secret, "tls").unwrap(), "true");
        for (text, key) in [
            (secret, "extra"),
            (secret, "none"),
            (secret, "user"),
            ("hunter2-xyz", "password"),
            ("[\"hunter2-xyz\"]", "0"),
        ] {
            let why = json_value(text, key).unwrap_err();
            assert!(!why.contains("hunter2"), "{why}");
        }
        assert!(
            json_value(secret, "user")
                .unwrap_err()
                .contains("\"password\", \"port\"")
        );
    }
}
