//! `migration` from the Deployment's `hub.io/migration` annotation (its Jobs are deleted once finished),
//! and `migration_revision` as the plan derives it.

use super::super::migration;
use super::super::model::AppModel;
use super::live::Live;

/// `migration`: the settings the running version was rolled out behind.
pub(super) fn migration(live: &Live, app: &mut AppModel) {
    if let Some(d) = live.object("Deployment") {
        app.migration = migration::read_back(d);
    }
}

/// `migration_revision`: the running version's migration succeeded (the Deployment records it only then).
pub(super) fn revision(_: &Live, app: &mut AppModel) {
    app.migration_revision = migration::revision(app);
}
