//! The typed configuration and result of `hub_secret_value`. No `Debug`: the model holds the value.

use serde::{Deserialize, Serialize};

use crate::value::Tf;

/// One `hub_secret_value`: exactly one source in, the value out.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecretValueModel {
    pub kubernetes_secret: Tf<KubernetesSecret>,
    pub secrets_manager: Tf<SecretsManagerSecret>,
    pub ssm_parameter: Tf<SsmParameter>,
    pub value: Tf<String>,
}

/// `kubernetes_secret`: one key of a Secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KubernetesSecret {
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub key: Option<String>,
}

/// `secrets_manager`: a secret's string, or one key of it as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecretsManagerSecret {
    pub secret_id: Option<String>,
    pub json_key: Option<String>,
}

/// `ssm_parameter`: a parameter, decrypted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SsmParameter {
    pub name: Option<String>,
}

impl SecretValueModel {
    /// The sources set (or unknown), by attribute name, in schema order.
    pub(super) fn sources(&self) -> Vec<&'static str> {
        [
            ("kubernetes_secret", self.kubernetes_secret.is_null()),
            ("secrets_manager", self.secrets_manager.is_null()),
            ("ssm_parameter", self.ssm_parameter.is_null()),
        ]
        .into_iter()
        .filter(|(_, null)| !null)
        .map(|(name, _)| name)
        .collect()
    }
}
