//! Import restores everything (issue 20): an app that sets every attribute an import can read back,
//! imported into a fresh state, plans no change; import-verify compares every attribute but the
//! unreadable ones.

use hub_acceptance::sandbox::Scope;
use hub_acceptance::support::{fixture_config, with_kube};
use hub_acceptance::tf::{self, ImportId, Step, TestCase};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use kube::Api;
use kube::api::{DeleteParams, PostParams};

use crate::unverifiable::{rendered_is_contained, unverifiable};

/// A PriorityClass for `priority_class_name` (pods naming a missing one are refused), deleted afterwards.
fn with_priority_class(name: &str, test: impl FnOnce() -> tf::Result<()>) -> tf::Result<()> {
    let class: PriorityClass = serde_json::from_value(serde_json::json!({
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": name}, "value": 1000
    }))
    .map_err(hub_acceptance::support::err)?;
    with_kube(|c| async move {
        Api::<PriorityClass>::all(c)
            .create(&PostParams::default(), &class)
            .await
    })?;
    let result = test();
    let name = name.to_owned();
    with_kube(|c| async move {
        Api::<PriorityClass>::all(c)
            .delete(&name, &DeleteParams::default())
            .await
    })?;
    result
}

#[test]
fn acc_app_import_restores_every_attribute() -> tf::Result<()> {
    tf::for_each_cli(|cli| {
        let scope = Scope::new("app-import-all");
        let ns = scope.name("apps");
        let class = scope.name("prio");
        let vars = [("namespace", ns.as_str()), ("priority_class", class.as_str())];
        with_priority_class(&class, || {
            TestCase::new()
                .step(
                    Step::new(fixture_config("app/import_everything.tf", &vars))
                        .import_verify("hub_app.api", ImportId::Attribute("id".into()), &unverifiable())
                        .import_check(rendered_is_contained)
                        .import_plans_no_change("hub_app.api", ImportId::Attribute("id".into())),
                )
                .run(cli)
        })
    })
}
