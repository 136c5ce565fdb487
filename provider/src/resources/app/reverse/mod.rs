//! The reverse render of `hub_app`: from the live objects an import finds back to the typed model, for
//! every attribute, so that an imported app plans no change. It runs only on import (a read whose state has
//! no `rendered` objects yet); plan, apply and the normal drift read never call it.
//!
//! [`GROUPS`] reads the configuration, one function per group of attributes, each naming the attributes it
//! fills; the result is then normalised exactly as the plan normalises a configuration (schema defaults),
//! and [`DERIVED`] fills the computed attributes as the plan would. `UNREADABLE` names every attribute
//! that cannot be read back, with its reason (`unreadable.rs`). A test fails when a schema attribute is in none of them.
//!
//! Secret values never enter: [`Live::new`] reduces a Secret to its masked keys before any group sees it,
//! and drops last-applied annotations and managed fields (kept aside only to tell a field someone set from
//! one the API server defaulted).
//!
//! What reads back in a normalised form (the configuration's plan differs, no object does) is listed in
//! `design.md` and encoded in the property test's `canonical`.
//!
//! # Adding an attribute
//! 1. Render it (`render.rs`).
//! 2. Read it back: add it to the group function of its object here (or a new [`Group`] in [`GROUPS`]),
//!    or, when no object records it, add it to `UNREADABLE` with the reason.
//! 3. Generate it: add a case to the property test's generator (`tests.rs`, `config()`), and a rule to
//!    `canonical` if it reads back in a normalised form.
//! 4. Set it in `tests/testdata/app/import_everything.tf`, so the acceptance test proves the plan after an
//!    import is empty with it.

mod config;
mod container;
mod cron_jobs;
mod derived;
mod env_refs;
mod identity;
mod init_containers;
mod live;
mod metadata;
mod migration;
mod network;
mod placement;
mod pod;
mod ports;
mod probes;
mod scaling;
mod security;
mod shutdown;
#[cfg(test)]
mod tests;
// Read by the tests here and, compiled by path, by the acceptance tests.
#[cfg_attr(not(test), allow(dead_code))]
// Public items: the acceptance tests compile this file as a public module of their own.
#[allow(unreachable_pub)]
mod unreadable;
mod volumes;

pub(crate) use config::referenced;
pub(crate) use live::Live;
pub(crate) use network::backend_service;
pub(crate) use volumes::{claim_names, unreadable_volumes};

use super::model::AppModel;
use super::schema::schema;
use crate::framework::plan::plan;
use crate::value::model::{from_value, to_value};

/// Attributes read back together from one place of the live objects.
pub(crate) struct Group {
    /// What the group reads.
    #[cfg_attr(not(test), allow(dead_code, reason = "named by the coverage test"))]
    pub name: &'static str,
    /// The top-level attributes it fills (its nested attributes included).
    #[cfg_attr(
        not(test),
        allow(dead_code, reason = "checked against the schema by the coverage test")
    )]
    pub attributes: &'static [&'static str],
    /// Fills them from the live objects (and from attributes earlier groups filled).
    pub read: fn(&Live, &mut AppModel),
}

const fn group(name: &'static str, attributes: &'static [&'static str], read: fn(&Live, &mut AppModel)) -> Group {
    Group { name, attributes, read }
}

fn identity(live: &Live, app: &mut AppModel) {
    app.name = crate::value::Tf::Known(live.name.clone());
    app.namespace = crate::value::Tf::Known(live.namespace.clone());
}

/// The configuration, in order (a group may use what an earlier one read).
pub(crate) const GROUPS: &[Group] = &[
    group("identity", &["name", "namespace"], identity),
    // First: with hub's pod defaults, settings equal to them read back null.
    group("pod defaults", &["pod_defaults"], security::pod_defaults),
    group(
        "container",
        &[
            "container_name",
            "image",
            "command",
            "args",
            "port",
            "port_name",
            "unnamed_port",
        ],
        container::basics,
    ),
    group("ports", &["ports"], ports::ports),
    group("environment", &["env"], container::env),
    group(
        "environment references",
        &["env_from_secret", "env_from_config_map", "env_from"],
        env_refs::env_refs,
    ),
    group("resources", &["resources"], container::resources),
    group("security", &["security"], security::security),
    group("pod security", &["pod_security"], security::pod_security),
    group(
        "init containers",
        &["init_containers"],
        init_containers::init_containers,
    ),
    group(
        "metadata",
        &["labels", "pod_labels", "pod_selector", "annotations", "pod_annotations"],
        metadata::metadata,
    ),
    group(
        "config",
        &["config", "config_map_name", "config_mount_path"],
        config::config,
    ),
    group("secret", &["secret_name"], config::secret_name),
    group("volumes", &["volumes", "volume_mounts"], volumes::volumes),
    group(
        "probes",
        &["probes_enabled", "liveness", "readiness", "startup"],
        probes::probes,
    ),
    group("rollout", &["replicas", "max_surge", "max_unavailable"], pod::rollout),
    group(
        "scheduling",
        &[
            "zone_spread",
            "node_selector",
            "tolerations",
            "priority_class_name",
            "termination_grace_period_seconds",
        ],
        pod::scheduling,
    ),
    group(
        "placement",
        &[
            "node_spread",
            "node_affinity",
            "image_pull_secrets",
            "runtime_class_name",
        ],
        placement::placement,
    ),
    group("service", &["service"], network::service),
    group("ingress", &["ingress"], network::ingress),
    // `ingress.graceful_shutdown`, from the container and the Ingress's annotations (`ingress` claims it).
    group("graceful shutdown", &[], shutdown::graceful_shutdown),
    group("autoscaling", &["autoscaling"], scaling::autoscaling),
    group("disruption budget", &["disruption_budget"], scaling::disruption_budget),
    group("service account", &["service_account"], identity::service_account),
    group("rbac", &["rbac"], identity::rbac),
    group("cron jobs", &["cron_jobs"], cron_jobs::cron_jobs),
    group("migration", &["migration"], migration::migration),
];

/// The computed attributes, after normalisation.
pub(crate) const DERIVED: &[Group] = &[
    group("graceful shutdown off", &[], shutdown::settle),
    group(
        "computed",
        &[
            "selector",
            "service_dns",
            "service_account_name",
            "id",
            "instance_id",
            "replacements",
            "last_rollout_error",
        ],
        derived::computed,
    ),
    group("migration revision", &["migration_revision"], migration::revision),
    group("rendered", &["rendered"], derived::rendered),
];

/// The `hub_app` the live objects describe.
pub(crate) fn reverse(live: &Live) -> AppModel {
    let mut app = AppModel::default();
    for g in GROUPS {
        (g.read)(live, &mut app);
    }
    let mut app = normalise(app);
    for g in DERIVED {
        (g.read)(live, &mut app);
    }
    app
}

/// `app` as the plan of a configuration holding it would be: schema defaults where it is null, write-only
/// attributes null (computed ones come out unknown, for [`DERIVED`] to fill).
pub(crate) fn normalise(app: AppModel) -> AppModel {
    let schema = schema();
    let Ok(config) = to_value(&app, &schema.implied_type()) else {
        return app;
    };
    let (planned, _) = plan(&schema.block, None, &config, &config);
    let mut planned: AppModel = from_value(&planned).unwrap_or_else(|_| app.clone());
    super::conditional_defaults(&mut planned, &app, None);
    planned
}
