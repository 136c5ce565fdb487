//! Cross-attribute checks of `hub_app`, made before anything is written. Unknown values are skipped.

use crate::diag::Diagnostics;
use crate::k8s::quantity;
use crate::value::model::is_wholly_known;
use crate::value::{AttributePath, Tf};

use super::model::{AppModel, Probe, known, strings};

pub(super) fn validate(app: &AppModel, diags: &mut Diagnostics) {
    if let Some(hpa) = app.autoscaling.get()
        && let (Some(min), Some(max)) = (hpa.min_replicas.value(), hpa.max_replicas.value())
        && min > max
    {
        diags.error_at(
            &AttributePath::attrs(&["autoscaling", "max_replicas"]),
            "Invalid Autoscaling Range",
            format!("autoscaling.min_replicas ({min}) is above max_replicas ({max})."),
        );
    }
    if let Some(hpa) = app.autoscaling.get()
        && hpa.cpu_percent.is_null()
        && hpa.memory_percent.is_null()
        && hpa.metrics.get().is_none_or(Vec::is_empty)
        && is_wholly_known(hpa)
    {
        diags.error_at(
            &AttributePath::attrs(&["autoscaling"]),
            "Autoscaling Without Target",
            "Set autoscaling.cpu_percent, memory_percent or metrics.",
        );
    }
    if app.ingress.is_set() && app.service.get().and_then(|s| s.enabled.value()) == Some(false) {
        diags.error_at(
            &AttributePath::attrs(&["ingress"]),
            "Ingress Needs A Service",
            "The ingress routes to the app's Service; set service.enabled = true or remove ingress.",
        );
    }
    if let Some(arn) = app.ingress.get().and_then(|i| i.certificate_arn.as_deref()) {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let ok = parts.len() == 6
            && parts[0] == "arn"
            && parts[2] == "acm"
            && parts[4].len() == 12
            && parts[4].chars().all(|c| c.is_ascii_digit())
            && parts[5].starts_with("certificate/");
        if !ok {
            diags.error_at(
                &AttributePath::attrs(&["ingress", "certificate_arn"]),
                "Invalid Certificate ARN",
                format!("ingress.certificate_arn = {arn:?} is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."),
            );
        }
    }
    if let Some(pdb) = app.disruption_budget.get()
        && is_wholly_known(pdb)
        && pdb.min_available.is_null() == pdb.max_unavailable.is_null()
    {
        diags.error_at(
            &AttributePath::attrs(&["disruption_budget"]),
            "Invalid Disruption Budget",
            "Set exactly one of disruption_budget.min_available and max_unavailable.",
        );
    }
    for (which, probe) in [
        ("liveness", &app.liveness),
        ("readiness", &app.readiness),
        ("startup", &app.startup),
    ] {
        if let Some(p) = probe.get() {
            probe_kinds(which, p, diags);
        }
    }
    let secret = known(&app.secret_env);
    if let Some(wo) = app.secret_env_wo.get() {
        if let Some(dup) = wo.keys().find(|k| secret.contains_key(*k)) {
            diags.error_at(
                &AttributePath::attrs(&["secret_env_wo"]),
                "Duplicate Secret Key",
                format!("{dup:?} is in both secret_env and secret_env_wo."),
            );
        }
        if app.secret_env_wo_version.is_null() {
            diags.error_at(
                &AttributePath::attrs(&["secret_env_wo_version"]),
                "Missing Write-only Version",
                "secret_env_wo values are never stored, so hub cannot see when they change: set secret_env_wo_version and bump it with each change.",
            );
        }
    }
    if let Some(res) = app.resources.get() {
        for (req, r, lim, l) in [
            ("cpu_request", &res.cpu_request, "cpu_limit", &res.cpu_limit),
            ("memory_request", &res.memory_request, "memory_limit", &res.memory_limit),
        ] {
            if let (Some(r), Some(l)) = (r.get(), l.get())
                && let (Some(rq), Some(lq)) = (quantity::parse(r), quantity::parse(l))
                && rq > lq
            {
                diags.error_at(
                    &AttributePath::attrs(&["resources", req]),
                    "Request Above Limit",
                    format!("resources.{req} ({r}) is above resources.{lim} ({l}); Kubernetes rejects that."),
                );
            }
        }
    }
    let zero = |v: &Tf<String>| v.as_deref().is_some_and(|s| s == "0" || s == "0%");
    if zero(&app.max_surge) && zero(&app.max_unavailable) {
        diags.error_at(
            &AttributePath::attrs(&["max_unavailable"]),
            "Rollout Cannot Progress",
            "max_surge and max_unavailable cannot both be 0.",
        );
    }
    let durations = [
        (
            &["rollout", "timeout"][..],
            app.rollout.get().and_then(|r| r.timeout.as_deref()),
        ),
        (&["delete_timeout"][..], app.delete_timeout.as_deref()),
    ];
    for (path, value) in durations {
        if let Some(t) = value
            && crate::schema::duration::parse_duration(t).is_none()
        {
            diags.error_at(
                &AttributePath::attrs(path),
                "Invalid Duration",
                format!("{} = {t:?} is not a duration, e.g. \"5m\".", path.join(".")),
            );
        }
    }
    irsa_targets_this_app(app, diags);
    scaling_policies(app, diags);
    node_port(app, diags);
    rbac_rules(app, diags);
    if let Some(image) = app.image.as_deref()
        && let Err(why) = crate::k8s::image::parse(image)
    {
        diags.error_at(
            &AttributePath::attrs(&["image"]),
            "Invalid Image",
            format!("image = {image:?} is not an image reference: {why}."),
        );
    }
    super::contradictions::check(app, diags);
}

/// A probe sets one kind (HTTP, TCP, exec or gRPC), and an HTTP path is absolute.
fn probe_kinds(which: &str, p: &Probe, diags: &mut Diagnostics) {
    let kinds = [
        !p.http_path.is_null(),
        p.tcp.value() == Some(true),
        !strings(&p.exec).is_empty(),
        p.grpc.value() == Some(true),
    ];
    if kinds.iter().filter(|k| **k).count() > 1 {
        diags.error_at(
            &AttributePath::attrs(&[which]),
            "Conflicting Probe Kinds",
            format!("{which} sets more than one of http_path, tcp, exec and grpc; choose one."),
        );
    }
    if let Some(path) = p.http_path.as_deref()
        && !path.starts_with('/')
    {
        diags.error_at(
            &AttributePath::attrs(&[which, "http_path"]),
            "Invalid Probe Path",
            format!("{which}.http_path = {path:?} must start with '/'."),
        );
    }
}

/// Scaling policies the HPA would accept but that cannot mean what they say: removing more than all pods
/// per period, an implausible growth factor, or policies in a direction whose scaling is disabled.
fn scaling_policies(app: &AppModel, diags: &mut Diagnostics) {
    let Some(hpa) = app.autoscaling.get() else {
        return;
    };
    for (direction, policies, select_policy, percent_max, why) in [
        (
            "down",
            &hpa.scale_down_policies,
            &hpa.scale_down_select_policy,
            100,
            "a scale-down cannot remove more than every pod",
        ),
        (
            "up",
            &hpa.scale_up_policies,
            &hpa.scale_up_select_policy,
            1000,
            "more than 1000 % (eleven times the pods) per period is a typo more often than a plan; use `Pods` or max_replicas to bound growth",
        ),
    ] {
        let attr = format!("scale_{direction}_policies");
        let policies = policies.get().map(Vec::as_slice).unwrap_or_default();
        for (i, p) in policies.iter().enumerate().filter_map(|(i, p)| Some((i, p.get()?))) {
            if p.kind.as_deref() == Some("Percent")
                && let Some(value) = p.value.value()
                && value > percent_max
            {
                let path = AttributePath::attrs(&["autoscaling", &attr])
                    .then_index(i)
                    .then_attr("value");
                diags.error_at(
                    &path,
                    "Invalid Scaling Policy",
                    format!("{path} = {value} % is above {percent_max} %: {why}."),
                );
            }
        }
        let select = format!("scale_{direction}_select_policy");
        if select_policy.as_deref() == Some("Disabled") && !policies.is_empty() {
            diags.error_at(
                &AttributePath::attrs(&["autoscaling", &select]),
                "Scaling Policies Never Apply",
                format!(
                    "autoscaling.{select} = \"Disabled\" turns scaling {direction} off, so autoscaling.{attr} would \
                     never apply. Remove the policies, or choose \"Max\" or \"Min\"."
                ),
            );
        }
    }
}

/// A fixed node port exists only on a `NodePort` or `LoadBalancer` Service.
fn node_port(app: &AppModel, diags: &mut Diagnostics) {
    let Some(service) = app.service.get() else {
        return;
    };
    if !matches!(service.node_port, Tf::Known(_)) {
        return;
    }
    // The schema's default type is ClusterIP.
    let ty = match &service.kind {
        Tf::Null => Some("ClusterIP"),
        v => v.as_deref(),
    };
    if ty == Some("ClusterIP") {
        diags.error_at(
            &AttributePath::attrs(&["service", "node_port"]),
            "Node Port Needs A NodePort Service",
            "service.node_port is set but service.type is \"ClusterIP\", which has no node port: set service.type \
             = \"NodePort\" (or \"LoadBalancer\"), or remove node_port.",
        );
    }
    if service.enabled.value() == Some(false) {
        diags.error_at(
            &AttributePath::attrs(&["service", "node_port"]),
            "Node Port Without A Service",
            "service.node_port is set but service.enabled = false, so no Service carries it.",
        );
    }
}

/// Verbs whose requests carry no object name when they are authorised, so `resourceNames` cannot allow
/// them: a rule restricted by name would never match.
const UNNAMED_VERBS: &[&str] = &["create", "deletecollection"];

/// The app's Role: no empty lists (they grant nothing), no `*` without `allow_wildcards`, no rule that
/// restricts by name a verb that cannot be.
fn rbac_rules(app: &AppModel, diags: &mut Diagnostics) {
    if app.rbac.is_null() {
        return;
    }
    // The schema's default is false: without the token, the pods cannot use the Role at all.
    let automount = app.security.get().map(|s| &s.automount_service_account_token);
    if matches!(automount, None | Some(Tf::Null | Tf::Known(false))) {
        diags.warning_at(
            &AttributePath::attrs(&["rbac"]),
            "Role Without A Token To Use It",
            "rbac grants the pods' service account a Role, but security.automount_service_account_token is false, \
             so the pods have no Kubernetes API token and cannot use it. Set \
             security = { automount_service_account_token = true }.",
        );
    }
    let Some(rbac) = app.rbac.get() else {
        return;
    };
    let wildcards = rbac.allow_wildcards.value().unwrap_or(false);
    let rules = rbac.rules.get().map(Vec::as_slice).unwrap_or_default();
    if rbac.rules.get().is_some_and(Vec::is_empty) {
        diags.error_at(
            &AttributePath::attrs(&["rbac", "rules"]),
            "Role Without Rules",
            "rbac.rules is empty, so the Role would grant nothing: add a rule, or remove rbac.",
        );
    }
    for (i, rule) in rules.iter().enumerate().filter_map(|(i, r)| Some((i, r.get()?))) {
        let here = AttributePath::attrs(&["rbac", "rules"]).then_index(i);
        for (list, values) in [
            ("api_groups", &rule.api_groups),
            ("resources", &rule.resources),
            ("verbs", &rule.verbs),
        ] {
            let path = here.then_attr(list);
            if values.get().is_some_and(Vec::is_empty) {
                diags.error_at(
                    &path,
                    "Rule Grants Nothing",
                    format!("{path} is empty, so the rule matches no request. For the core API group, write [\"\"]."),
                );
            }
            if !wildcards && strings(values).iter().any(|v| v == "*") {
                diags.error_at(
                    &path,
                    "Wildcard In Role",
                    format!(
                        "{path} contains \"*\", which grants every {} present and future. List what the app needs, \
                         or set rbac.allow_wildcards = true to grant it anyway.",
                        list.trim_end_matches('s').replace('_', " ")
                    ),
                );
            }
        }
        if !strings(&rule.resource_names).is_empty()
            && let Some(verb) = strings(&rule.verbs)
                .into_iter()
                .find(|v| UNNAMED_VERBS.contains(&v.as_str()))
        {
            let path = here.then_attr("resource_names");
            diags.error_at(
                &path,
                "Verb Cannot Be Restricted By Name",
                format!(
                    "{path} restricts {verb:?} to named objects, but a {verb} request carries no object name when it is \
                     authorised, so the rule would never allow it. Put {verb:?} in a rule without resource_names."
                ),
            );
        }
    }
}

/// The role's trust names one namespace and service account; pods using another one get `AccessDenied`
/// at run time, so a mismatch is refused here. Unknown parts (a binding planned in the same run) are skipped.
fn irsa_targets_this_app(app: &AppModel, diags: &mut Diagnostics) {
    let Some(irsa) = app.service_account.get().and_then(|sa| sa.irsa.get()) else {
        return;
    };
    let sa_name = match app.service_account.get().map(|sa| &sa.name) {
        Some(Tf::Unknown) => None,
        Some(Tf::Known(s)) => Some(s.as_str()),
        _ => app.name.as_deref(),
    };
    let pairs = [
        ("namespace", app.namespace.as_deref(), irsa.namespace.as_deref()),
        ("service_account", sa_name, irsa.service_account.as_deref()),
    ];
    for (field, ours, trusted) in pairs {
        if let (Some(ours), Some(trusted)) = (ours, trusted)
            && ours != trusted
        {
            diags.error_at(
                &AttributePath::attrs(&["service_account", "irsa"]),
                "IRSA Binding For Another Service Account",
                format!(
                    "service_account.irsa.{field} is {trusted:?}, but this app's pods use {field} {ours:?}: the role would \
                     only trust system:serviceaccount:{}:{}. Point the binding at namespace {:?} and service account {:?}.",
                    irsa.namespace.as_deref().unwrap_or("?"),
                    irsa.service_account.as_deref().unwrap_or("?"),
                    app.namespace(),
                    sa_name.unwrap_or("?"),
                ),
            );
        }
    }
}
