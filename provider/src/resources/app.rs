//! `hub_app`: one application (Deployment, Service, Ingress, ConfigMap, Secret, HPA, PDB, ServiceAccount).
//! The initial schema; rendering and reconciliation come with the hub_app issue.

use crate::schema::{Attribute, Block, Schema, validators};

use super::planned::PlannedResource;

#[allow(non_upper_case_globals)]
pub(super) const AppResource: PlannedResource = PlannedResource {
    type_name: "hub_app",
    schema,
};

fn schema() -> Schema {
    Schema::new(Block::new(
        "One application on Kubernetes, with safe defaults.",
        vec![
            Attribute::string("name")
                .required()
                .requires_replace()
                .validate(validators::dns1123_label())
                .description("Application name."),
            Attribute::string("namespace")
                .required()
                .requires_replace()
                .validate(validators::dns1123_label())
                .description("Namespace."),
            Attribute::string("image")
                .required()
                .description("Container image with tag or digest."),
            Attribute::number("replicas")
                .default_value(2i64)
                .validate(validators::int_between(0, 1000))
                .description("Replica count."),
            Attribute::number("port")
                .default_value(8080i64)
                .validate(validators::int_between(1, 65535))
                .description("Container port."),
            Attribute::string_map("labels")
                .validate(validators::kubernetes_labels(true))
                .description("Extra labels."),
            Attribute::string_map("env").description("Plain environment variables."),
            Attribute::string("id")
                .computed()
                .use_state_for_unknown()
                .description("`namespace/name`."),
        ],
    ))
}
