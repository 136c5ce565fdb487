//! `hub_irsa_binding`: an IAM role for one Kubernetes service account. The initial schema; IAM wiring comes
//! with the hub_irsa_binding issue.

use crate::schema::{Attribute, Block, Schema, validators};

use super::planned::PlannedResource;

#[allow(non_upper_case_globals)]
pub(super) const IrsaBindingResource: PlannedResource = PlannedResource {
    type_name: "hub_irsa_binding",
    schema,
};

fn schema() -> Schema {
    Schema::new(Block::new(
        "An IAM role assumable only by one service account of one namespace (IRSA).",
        vec![
            Attribute::string("cluster_name")
                .required()
                .description("EKS cluster name."),
            Attribute::string("namespace")
                .required()
                .validate(validators::dns1123_label())
                .description("Namespace of the service account."),
            Attribute::string("service_account")
                .required()
                .description("Service account name."),
            Attribute::string("role_name")
                .optional_computed()
                .description("IAM role name."),
            Attribute::string("role_arn")
                .computed()
                .use_state_for_unknown()
                .description("IAM role ARN."),
            Attribute::string("id")
                .computed()
                .use_state_for_unknown()
                .description("Role name."),
        ],
    ))
}
