//! Handing `spec.replicas` to the HorizontalPodAutoscaler without a dip. With autoscaling on, hub's field
//! manager never owns `spec.replicas`, so it never fights the HPA. But a Deployment created without the
//! field starts at one replica (and a disruption budget of min 2 cannot be met until the HPA's first sync),
//! and one switching from fixed replicas would fall to one the moment hub releases the field. So the field
//! is set once by a separate field manager that never applies again: it keeps the field alive until the
//! HPA takes it over, and hub's own manager stays out of it.

use kube::Api;
use kube::api::DynamicObject;
use serde_json::json;

use super::model::AppModel;
use crate::k8s;
use crate::value::Tf;

/// The field manager that seeds `spec.replicas`.
const SEED_MANAGER: &str = "hub-replicas-seed";

/// When and with what `spec.replicas` is seeded for this apply.
#[derive(Debug, PartialEq)]
pub(super) enum Seed {
    /// Not needed: no autoscaling, or the HPA already had the field.
    None,
    /// Switching from fixed replicas: seed the current count before hub releases the field.
    BeforeApply(i64),
    /// A new Deployment: seed `min_replicas` right after it is created.
    AfterApply(i64),
}

/// What to seed, from the planned app and the prior state (none on create).
pub(super) fn plan(app: &AppModel, prior: Option<&AppModel>) -> Seed {
    if app.autoscaling.is_null() {
        return Seed::None;
    }
    let hpa = app.autoscaling.get();
    let min = hpa.and_then(|h| h.min_replicas.value()).unwrap_or(1);
    let max = hpa.and_then(|h| h.max_replicas.value()).unwrap_or(min);
    match prior {
        None => Seed::AfterApply(min),
        Some(p) if p.autoscaling.is_null() => {
            Seed::BeforeApply(p.replicas.value().unwrap_or(min).clamp(min, max.max(min)))
        }
        Some(_) => Seed::None,
    }
}

/// What to seed for an autoscaled Deployment made again (a replacement): the count it ran with `running`,
/// within the autoscaler's bounds, so its capacity does not dip to the minimum.
pub(super) fn after_replacement(app: &AppModel, running: Option<i64>) -> Seed {
    match (plan(app, None), running) {
        (Seed::AfterApply(min), Some(n)) => {
            let max = app
                .autoscaling
                .get()
                .and_then(|h| h.max_replicas.value())
                .unwrap_or(min);
            Seed::AfterApply(n.clamp(min, max.max(min)))
        }
        (seed, _) => seed,
    }
}

/// The live Deployment's `spec.replicas`, when it can be read.
pub(super) async fn current(api: &Api<DynamicObject>, name: &str) -> Option<i64> {
    let live = api.get_opt(name).await.ok()??;
    live.data.pointer("/spec/replicas").and_then(serde_json::Value::as_i64)
}

/// `replicas` is the HPA's while `autoscaling` is set, so its default is not planned then: a configuration
/// generated from state (`plan -generate-config-out`) would otherwise set both, which is refused. A state
/// that recorded the default beside an HPA keeps it, so no existing app plans a change.
pub(super) fn no_default_under_autoscaling(planned: &mut AppModel, config: &AppModel, prior: Option<&AppModel>) {
    if planned.autoscaling.is_null() || !config.replicas.is_null() {
        return;
    }
    // Null or not is known once autoscaling is.
    if planned.autoscaling.is_unknown() {
        planned.replicas = Tf::Unknown;
        return;
    }
    planned.replicas = match prior {
        Some(p) if !p.autoscaling.is_null() => p.replicas.clone(),
        _ => Tf::Null,
    };
}

/// Sets `spec.replicas` as [`SEED_MANAGER`].
pub(super) async fn apply(api: &Api<DynamicObject>, name: &str, replicas: i64) -> Result<(), k8s::Error> {
    let patch = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                       "spec": {"replicas": replicas}});
    k8s::Apply::manager(SEED_MANAGER)
        .force(true)
        .send(api, name, &patch)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Seed, no_default_under_autoscaling, plan};
    use crate::resources::app::model::AppModel;
    use crate::resources::app::tests::{model, planned};
    use crate::value::Tf;

    fn value(mut j: serde_json::Value) -> AppModel {
        j["name"] = json!("a");
        j["namespace"] = json!("n");
        j["image"] = json!("x:1");
        model(j)
    }

    #[test]
    fn seeds_on_create_and_on_switching_to_autoscaling_only() {
        let hpa = value(json!({"replicas": 2, "autoscaling": {"min_replicas": 3, "max_replicas": 20}}));
        let fixed = value(json!({"replicas": 5, "autoscaling": null}));
        let many = value(json!({"replicas": 50, "autoscaling": null}));
        assert_eq!(plan(&hpa, None), Seed::AfterApply(3));
        assert_eq!(plan(&hpa, Some(&fixed)), Seed::BeforeApply(5));
        assert_eq!(
            plan(&hpa, Some(&many)),
            Seed::BeforeApply(20),
            "clamped to max_replicas"
        );
        assert_eq!(plan(&hpa, Some(&hpa)), Seed::None, "the HPA owns it already");
        assert_eq!(plan(&fixed, None), Seed::None);
        assert_eq!(
            super::after_replacement(&hpa, Some(7)),
            Seed::AfterApply(7),
            "the count it ran with"
        );
        assert_eq!(
            super::after_replacement(&hpa, Some(1)),
            Seed::AfterApply(3),
            "at least the minimum"
        );
        assert_eq!(super::after_replacement(&hpa, None), Seed::AfterApply(3));
        assert_eq!(
            super::after_replacement(&fixed, Some(7)),
            Seed::None,
            "no autoscaler, no seed"
        );
    }

    #[test]
    fn no_default_replicas_is_planned_beside_an_hpa_but_a_recorded_one_stays() {
        let hpa = json!({"min_replicas": 3, "max_replicas": 20});
        let config = value(json!({"autoscaling": hpa}));
        let defaulted = || {
            let mut app = config.clone();
            app.replicas = Tf::Known(2);
            app
        };
        let mut created = defaulted();
        no_default_under_autoscaling(&mut created, &config, None);
        assert_eq!(created.replicas, Tf::Null, "a new app beside an HPA plans none");
        let recorded = value(json!({"replicas": 2, "autoscaling": hpa}));
        let mut kept = defaulted();
        no_default_under_autoscaling(&mut kept, &config, Some(&recorded));
        assert_eq!(
            kept.replicas,
            Tf::Known(2),
            "a state from before the rule plans no change"
        );
        let mut switched = defaulted();
        no_default_under_autoscaling(&mut switched, &config, Some(&value(json!({"replicas": 5}))));
        assert_eq!(switched.replicas, Tf::Null, "switching to autoscaling drops the count");
        let fixed = value(json!({"replicas": 5}));
        let mut unchanged = fixed.clone();
        no_default_under_autoscaling(&mut unchanged, &fixed, None);
        assert_eq!(unchanged.replicas, Tf::Known(5), "without autoscaling nothing changes");
        assert_eq!(
            planned(json!({"name": "a", "namespace": "n", "image": "x:1", "autoscaling": hpa})).replicas,
            Tf::Null
        );
        let mut unknown = defaulted();
        unknown.autoscaling = Tf::Unknown;
        no_default_under_autoscaling(&mut unknown, &config, None);
        assert_eq!(
            unknown.replicas,
            Tf::Unknown,
            "null or not is known once autoscaling is"
        );
    }
}
