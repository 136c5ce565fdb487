//! Keys hub sets itself from typed attributes: a user map that sets one too would silently override (or be
//! overridden by) the typed setting, e.g. `ingress.annotations` flipping an internal ALB to
//! internet-facing. Each is refused with the attribute to use instead. Also refused: creating (and so
//! annotating, and deleting with the app) the namespace's `default` ServiceAccount.

use crate::diag::Diagnostics;
use crate::value::{AttributePath, Tf};

use super::model::{AppModel, UserMap, keys};
use super::render::SECRET_KEYS_ENV;

const ALB: &str = "alb.ingress.kubernetes.io/";

/// Ingress annotations hub derives from `ingress.*`, with the attribute that sets each.
const INGRESS_TYPED: &[(&str, &str)] = &[
    ("scheme", "ingress.scheme"),
    ("target-type", "ingress.target_type"),
    ("healthcheck-path", "ingress.health_check_path"),
    ("certificate-arn", "ingress.certificate_arn"),
    ("ssl-redirect", "ingress.ssl_redirect"),
    ("group.name", "ingress.group_name"),
];

/// Labels hub puts on every object: the pods' selector and the manager mark.
pub(super) const HUB_LABELS: &[&str] = &[
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/managed-by",
];

const IRSA_ANNOTATION: &str = "eks.amazonaws.com/role-arn";

/// `pod_selector`: not empty (it would select every pod of the namespace), not hub's manager mark, and no
/// key `labels` sets too (the selector's labels are on every object and pod already).
fn pod_selector(app: &AppModel, diags: &mut Diagnostics) {
    if app.pod_selector.get().is_some_and(|m| m.is_empty()) {
        diags.error_at(
            &AttributePath::attr("pod_selector"),
            "Empty Pod Selector",
            "pod_selector = {} would select every pod in the namespace. Leave it null for hub's selector \
             (app.kubernetes.io/name and app.kubernetes.io/instance set to name), or name the labels of the \
             Deployment being adopted.",
        );
    }
    let manager = HUB_LABELS[2];
    for key in keys(&app.pod_selector).filter(|k| *k == manager) {
        diags.error_at(
            &AttributePath::attr("pod_selector").then_key(key),
            "Key Set By hub",
            format!("pod_selector[{key:?}] is hub's manager mark, on every object it manages; select by other labels."),
        );
    }
    let selected: Vec<&str> = keys(&app.pod_selector).collect();
    for key in keys(&app.labels).filter(|k| selected.contains(k)) {
        diags.error_at(
            &AttributePath::attr("labels").then_key(key),
            "Label Set Twice",
            format!("labels[{key:?}] is also a key of pod_selector, which puts it on every object and pod: set it there only."),
        );
    }
}

/// `pod_labels`: not hub's manager mark, no key of the selector (the pods carry it already), and (with
/// hub's pod defaults, which put `labels` on the pods) no key of `labels`.
fn pod_labels(app: &AppModel, diags: &mut Diagnostics) {
    let selector: Vec<String> = if app.pod_selector.is_null() {
        HUB_LABELS[..2].iter().map(|k| (*k).to_owned()).collect()
    } else {
        keys(&app.pod_selector).map(str::to_owned).collect()
    };
    let labels: Vec<&str> = if app.surely_hub_pod_defaults() {
        keys(&app.labels).collect()
    } else {
        Vec::new()
    };
    for key in keys(&app.pod_labels) {
        // Without hub's pod defaults an adopted chart's own manager mark may stay on its pods.
        let twice = if key == HUB_LABELS[2] && app.surely_hub_pod_defaults() {
            Some("hub's manager mark, on every object it manages")
        } else if selector.iter().any(|k| k == key) {
            Some(
                "a key of the pods' selector (`pod_selector`, or hub's `app.kubernetes.io/name` and `instance`), on every pod already",
            )
        } else if labels.contains(&key) {
            Some("also a key of `labels`, which hub's pod defaults put on every pod: set it there only")
        } else {
            None
        };
        if let Some(why) = twice {
            diags.error_at(
                &AttributePath::attr("pod_labels").then_key(key),
                "Label Set Twice",
                format!("pod_labels[{key:?}] is {why}."),
            );
        }
    }
}

/// The prefix of the annotations hub keeps for itself.
const HUB_PREFIX: &str = "hub.io/";

pub(super) fn check(app: &AppModel, diags: &mut Diagnostics) {
    let refuse = |diags: &mut Diagnostics, path: &[&str], key: &str, instead: &str| {
        diags.error_at(
            &AttributePath::attrs(path).then_key(key),
            "Key Set By hub",
            format!(
                "{}[{key:?}] is set by hub from {instead}; set that instead.",
                path.join(".")
            ),
        );
    };
    let ingress = app.ingress.get();
    if let Some(ingress) = ingress {
        let certificate = !ingress.certificate_arn.is_null();
        for key in keys(&ingress.annotations) {
            let typed = key.strip_prefix(ALB).and_then(|suffix| {
                INGRESS_TYPED
                    .iter()
                    .find(|(name, _)| *name == suffix)
                    .map(|(_, attr)| *attr)
                    .or_else(|| {
                        (suffix == "listen-ports" && certificate)
                            .then_some("ingress.certificate_arn (HTTP 80 and HTTPS 443)")
                    })
            });
            if let Some(attr) = typed {
                refuse(diags, &["ingress", "annotations"], key, attr);
            }
        }
    }
    for key in keys(&app.labels) {
        if HUB_LABELS.contains(&key) {
            refuse(diags, &["labels"], key, "`name` (the selector and the managed-by mark)");
        }
    }
    pod_selector(app, diags);
    pod_labels(app, diags);
    let sa = app.service_account.get();
    let none: Tf<UserMap> = Tf::Null;
    // hub.io/ annotations are hub's bookkeeping (instance, completion, checksum, secret revision): a user
    // value would be overwritten on every apply or would defeat the ownership checks.
    for (path, map) in [
        (&["annotations"][..], &app.annotations),
        (&["pod_annotations"], &app.pod_annotations),
        (
            &["service", "annotations"],
            app.service.get().map_or(&none, |s| &s.annotations),
        ),
        (&["ingress", "annotations"], ingress.map_or(&none, |i| &i.annotations)),
        (
            &["service_account", "annotations"],
            sa.map_or(&none, |sa| &sa.annotations),
        ),
    ] {
        for key in keys(map) {
            if key.starts_with(HUB_PREFIX) {
                diags.error_at(
                    &AttributePath::attrs(path).then_key(key),
                    "Key Set By hub",
                    format!(
                        "{}[{key:?}] is reserved: hub.io/ annotations are set by hub for its own bookkeeping (the \
                         instance id, the checksum that rolls the pods, the secret revision); use another key.",
                        path.join(".")
                    ),
                );
            }
        }
    }
    if keys(&app.env).any(|k| k == SECRET_KEYS_ENV) {
        refuse(
            diags,
            &["env"],
            SECRET_KEYS_ENV,
            "the keys of `secret_env` and `secret_env_wo`",
        );
    }
    if let Some(sa) = sa
        && !sa.irsa.is_null()
        && keys(&sa.annotations).any(|k| k == IRSA_ANNOTATION)
    {
        if sa.irsa.get().is_some_and(|irsa| irsa.is_pod_identity()) {
            // The SDK would pick the annotation's web identity and never use the association.
            diags.error_at(
                &AttributePath::attrs(&["service_account", "annotations"]).then_key(IRSA_ANNOTATION),
                "IRSA Annotation With Pod Identity",
                format!(
                    "service_account.annotations[{IRSA_ANNOTATION:?}] is set, but service_account.irsa is a Pod \
                     Identity binding: a service account cannot carry both an IRSA role and an association. Remove \
                     the annotation."
                ),
            );
        } else {
            refuse(
                diags,
                &["service_account", "annotations"],
                IRSA_ANNOTATION,
                "service_account.irsa",
            );
        }
    }
    let creates = sa.and_then(|sa| sa.create.value()).unwrap_or(true);
    if creates && sa.and_then(|sa| sa.name.as_deref()) == Some("default") {
        diags.error_at(
            &AttributePath::attrs(&["service_account", "name"]),
            "Default Service Account",
            "service_account.name = \"default\" with create = true would make the namespace's default \
             ServiceAccount part of this app: hub would annotate it (with the IRSA role, which every pod without \
             its own service account would then assume) and delete it on destroy. Name the app's own account, or \
             set create = false to use an existing one.",
        );
    }
}
