//! `hub_network_policy`: NetworkPolicy presets. The initial schema; rendering comes with its issue.

use crate::schema::{Attribute, Block, Schema, validators};

use super::planned::PlannedResource;

#[allow(non_upper_case_globals)]
pub(super) const NetworkPolicyResource: PlannedResource = PlannedResource { type_name: "hub_network_policy", schema };

fn schema() -> Schema {
    Schema::new(Block::new(
        "A NetworkPolicy built from presets.",
        vec![
            Attribute::string("name").required().requires_replace().validate(validators::dns1123_label()).description("Policy name."),
            Attribute::string("namespace").required().requires_replace().validate(validators::dns1123_label()).description("Namespace."),
            Attribute::string_map("pod_selector").description("Labels of the pods the policy applies to (empty: all)."),
            Attribute::string_set("presets").description("Presets: `deny_all_ingress`, `deny_all_egress`, `allow_dns`, `allow_https_egress`, `allow_same_namespace`."),
            Attribute::string("rendered").computed().description("The rendered NetworkPolicy as JSON."),
            Attribute::string("id").computed().use_state_for_unknown().description("`namespace/name`."),
        ],
    ))
}
