//! `service_account` (with its IRSA role) and `rbac`: who the pods are and what they may do.

use serde_json::Value as Json;

use super::super::model::{AppModel, Irsa, Rbac, RbacRule, ServiceAccount};
use super::live::{self, Live};
use crate::k8s::labels::ROLE_ARN_ANNOTATION;
use crate::value::Tf;

/// `service_account`: created when the app's own ServiceAccount was found (the import keeps only one
/// labelled for this app), otherwise an existing account named by the pods. Null when it is the default.
pub(super) fn service_account(live: &Live, app: &mut AppModel) {
    let Some(pod) = live.pod() else { return };
    let used = pod
        .get("serviceAccountName")
        .and_then(Json::as_str)
        .unwrap_or(live.name.as_str())
        .to_owned();
    let own = live
        .object("ServiceAccount")
        .filter(|sa| sa.pointer("/metadata/name").and_then(Json::as_str) == Some(used.as_str()));
    let mut sa = ServiceAccount {
        create: Tf::Known(own.is_some()),
        name: Tf::from_option((used != live.name).then_some(used.clone())),
        ..ServiceAccount::default()
    };
    if let Some(own) = own {
        let mut annotations = live::user_annotations(own.pointer("/metadata/annotations"));
        // The role annotation is what `irsa = hub_irsa_binding.x` writes; the binding must trust exactly
        // this namespace and account (validation refuses anything else).
        if let Some(arn) = annotations.remove(ROLE_ARN_ANNOTATION) {
            sa.irsa = Tf::Known(Irsa {
                namespace: Tf::Known(live.namespace.clone()),
                service_account: Tf::Known(used),
                role_arn: Tf::Known(arn),
                ..Irsa::default()
            });
        }
        sa.annotations = live::user_map(annotations);
    }
    let default = ServiceAccount {
        create: Tf::Known(true),
        ..ServiceAccount::default()
    };
    app.service_account = if sa == default { Tf::Null } else { Tf::Known(sa) };
}

/// `rbac`: null when the app has no Role. `allow_wildcards` is true exactly when a rule uses `*`.
pub(super) fn rbac(live: &Live, app: &mut AppModel) {
    let Some(role) = live.object("Role") else { return };
    let rules: Vec<RbacRule> = role
        .get("rules")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|r| RbacRule {
            api_groups: live::user_list(r.get("apiGroups")),
            resources: live::user_list(r.get("resources")),
            verbs: live::user_list(r.get("verbs")),
            resource_names: live::user_list(r.get("resourceNames")),
        })
        .collect();
    let wildcard = rules.iter().any(|r| {
        [&r.api_groups, &r.resources, &r.verbs]
            .into_iter()
            .any(|l| l.get().into_iter().flatten().any(|v| v.as_deref() == Some("*")))
    });
    app.rbac = Tf::Known(Rbac {
        rules: Tf::Known(rules.into_iter().map(Tf::Known).collect()),
        allow_wildcards: Tf::Known(wildcard),
    });
}
