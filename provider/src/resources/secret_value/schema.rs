//! What users write for `hub_secret_value`: the three sources, their single-attribute validators, and the
//! sensitive result.

use crate::schema::validators::{self, data_key_problem, dns1123_subdomain_problem, problem};
use crate::schema::{Attribute, Block, Nesting, Schema};

use super::validate::{json_key_problem, parameter_name_problem, secret_id_problem};

pub(super) fn schema() -> Schema {
    Schema::new(Block::new(
        "One secret value, read where it lives, for write-only arguments such as `hub_app.secret_env_wo`: a key \
         of a Kubernetes Secret (through the provider block's cluster connection), a Secrets Manager secret or \
         one key of its JSON, or an SSM parameter (SecureString parameters are decrypted), both with the provider \
         block's AWS credentials, profile and assumed role, in its region. Set exactly one source. An ephemeral \
         resource (OpenTofu 1.11, Terraform 1.10): the value is never written to a plan or to state, and hub \
         never logs it.",
        vec![
            Attribute::nested(
                "kubernetes_secret",
                Nesting::Single,
                vec![
                    Attribute::string("namespace")
                        .required()
                        .validate(validators::dns1123_label())
                        .description("Namespace of the Secret."),
                    Attribute::string("name")
                        .required()
                        .validate(problem("Secret Name", dns1123_subdomain_problem))
                        .description("Name of the Secret."),
                    Attribute::string("key")
                        .required()
                        .validate(problem("Secret Key", data_key_problem))
                        .description("The key in the Secret's `data`; its value must be UTF-8 text."),
                ],
            )
            .description("A key of a Kubernetes Secret, read with the provider block's cluster credentials."),
            Attribute::nested(
                "secrets_manager",
                Nesting::Single,
                vec![
                    Attribute::string("secret_id")
                        .required()
                        .validate(problem("Secret ID", secret_id_problem))
                        .description("The secret's name (e.g. `/my-app/db`) or ARN; its current version is read."),
                    Attribute::string("json_key").validate(problem("JSON Key", json_key_problem)).description(
                        "A top-level key of the secret's JSON object (e.g. `password`); without it, the whole secret \
                         string. A number or boolean value is returned as its JSON text.",
                    ),
                ],
            )
            .description("An AWS Secrets Manager secret (a string secret, not a binary one)."),
            Attribute::nested(
                "ssm_parameter",
                Nesting::Single,
                vec![
                    Attribute::string("name")
                        .required()
                        .validate(problem("Parameter Name", parameter_name_problem))
                        .description("The parameter's name (e.g. `/my-app/api-key`) or ARN."),
                ],
            )
            .description("An SSM Parameter Store parameter, decrypted when it is a SecureString."),
            Attribute::string("value")
                .computed()
                .sensitive()
                .description("The secret value, for a write-only argument or another provider block."),
        ],
    ))
}
