//! `ingress.graceful_shutdown`: the container's `preStop` sleep and the deregistration delay hub merged into
//! the Ingress's target group attributes, which is taken back out of `ingress.annotations`. Runs after the
//! ingress and container groups.

use super::super::model::{AppModel, GracefulShutdown};
use super::super::shutdown::{TARGET_GROUP_ATTRIBUTES, read_pre_stop, split_annotation};
use super::live::Live;
use crate::value::Tf;

/// Off when the container has no `preStop` sleep hub renders.
pub(super) fn graceful_shutdown(live: &Live, app: &mut AppModel) {
    let Some(ingress) = app.ingress.get_mut() else { return };
    let Some((sleep, hook)) = live.container().and_then(read_pre_stop) else {
        ingress.graceful_shutdown = Tf::Known(GracefulShutdown {
            enabled: Tf::Known(false),
            ..GracefulShutdown::default()
        });
        return;
    };
    let mut delay = None;
    if let Some(annotations) = ingress.annotations.get_mut()
        && let Some(merged) = annotations.get(TARGET_GROUP_ATTRIBUTES).and_then(Tf::get)
    {
        let (rest, found) = split_annotation(merged);
        delay = found;
        match rest {
            Some(rest) => annotations.insert(TARGET_GROUP_ATTRIBUTES.to_owned(), Tf::Known(rest)),
            None => annotations.remove(TARGET_GROUP_ATTRIBUTES),
        };
        if annotations.is_empty() {
            ingress.annotations = Tf::Null;
        }
    }
    ingress.graceful_shutdown = Tf::Known(GracefulShutdown {
        enabled: Tf::Known(true),
        deregistration_delay_seconds: Tf::from_option(delay),
        pre_stop_sleep_seconds: Tf::Known(sleep),
        pre_stop: Tf::Known(hook.to_owned()),
    });
}

/// After normalisation: settings that are off are null, as the plan fills them in (`shutdown::plan`), not
/// unknown as the schema's plan leaves computed attributes.
pub(super) fn settle(_: &Live, app: &mut AppModel) {
    if let Some(g) = app.ingress.get_mut().and_then(|i| i.graceful_shutdown.get_mut())
        && g.enabled.value() == Some(false)
    {
        *g = GracefulShutdown {
            enabled: Tf::Known(false),
            ..GracefulShutdown::default()
        };
    }
}
