//! The read right after an import: find the app's live objects (custom names through the Deployment's
//! references and the Ingress's backend), then read the whole app back from them with the reverse render.

use futures_util::future::try_join_all;
use kube::Client;
use kube::api::ListParams;
use serde_json::Value as Json;

use super::kinds::APP_KINDS;
use super::model::AppModel;
use super::reconcile::api;
use super::render;
use super::reverse::{self, Live};
use crate::diag::Diagnostics;
use crate::k8s;

async fn get(client: &Client, ns: &str, kind: &str, name: &str) -> Result<Option<Json>, Diagnostics> {
    let live = k8s::get(&api(client, ns, kind), name, kind).await?;
    Ok(live.map(|live| serde_json::to_value(&live).unwrap_or_default()))
}

/// The state of the app `prior` names (`namespace/name`), or none when it has no Deployment.
pub(super) async fn read(client: &Client, prior: &AppModel) -> Result<Option<AppModel>, Diagnostics> {
    let (ns, name) = (prior.namespace(), prior.name());
    let (deployment, ingress) =
        futures_util::future::try_join(get(client, ns, "Deployment", name), get(client, ns, "Ingress", name)).await?;
    let Some(deployment) = deployment else {
        return Ok(None);
    };
    let names = &Names::of(name, &deployment, ingress.as_ref());
    let others = APP_KINDS
        .iter()
        .map(|k| k.kind)
        .filter(|kind| !matches!(*kind, "Deployment" | "Ingress" | "PersistentVolumeClaim" | "CronJob"))
        .map(|kind| async move {
            let (object_name, referenced) = names.of_kind(kind);
            let found = get(client, ns, kind, &object_name).await?;
            // An object found only through a reference (a shared ServiceAccount, say) is this app's only
            // when it is labelled for it: another app's object is never taken into this state.
            Ok::<_, Diagnostics>(
                found
                    .filter(|o| !referenced || labelled_for(o, name))
                    .map(|o| (kind.to_owned(), o)),
            )
        });
    // The claims hub made: named `<app>-<volume>` by the Deployment, and labelled for the app.
    let claims = reverse::claim_names(&deployment, name)
        .into_iter()
        .map(|claim| async move {
            let found = get(client, ns, "PersistentVolumeClaim", &claim).await?;
            Ok::<_, Diagnostics>(
                found
                    .filter(|o| labelled_for(o, name))
                    .map(|o| ("PersistentVolumeClaim".to_owned(), o)),
            )
        });
    let (others, claims, cron_jobs) = futures_util::future::try_join3(
        try_join_all(others),
        try_join_all(claims),
        labelled(client, ns, "CronJob", name),
    )
    .await?;
    let mut objects: Vec<(String, Json)> = others.into_iter().chain(claims).flatten().collect();
    objects.extend(cron_jobs.into_iter().map(|c| ("CronJob".to_owned(), c)));
    if names.service.is_none()
        && !objects.iter().any(|(kind, _)| kind == "Service")
        && let Some(service) = service_by_selector(client, ns, name).await?
    {
        objects.push(("Service".into(), service));
    }
    objects.push(("Deployment".into(), deployment));
    objects.extend(ingress.map(|i| ("Ingress".to_owned(), i)));
    Ok(Some(reverse::reverse(&Live::new(name, ns, objects))))
}

/// The `kind` objects labelled for the app `app` (its CronJobs, named `<app>-<key>`).
async fn labelled(client: &Client, ns: &str, kind: &str, app: &str) -> Result<Vec<Json>, Diagnostics> {
    let params = ListParams::default().labels(&format!("app.kubernetes.io/instance={app}"));
    let listed = api(client, ns, kind)
        .list(&params)
        .await
        .map_err(|e| k8s::Error::from(e).diagnostics(&format!("Listing the {kind}s of {ns}/{app}")))?;
    let prefix = format!("{app}-");
    Ok(listed
        .items
        .into_iter()
        .filter(|o| o.metadata.name.as_deref().is_some_and(|n| n.starts_with(&prefix)))
        .map(|o| {
            // Items of a list carry no type of their own: give them the one a GET returns.
            let mut object = serde_json::to_value(&o).unwrap_or_default();
            if let Some(k) = super::kinds::find(kind) {
                object["apiVersion"] = Json::from(k.api_version);
                object["kind"] = Json::from(kind);
            }
            object
        })
        .collect())
}

/// A custom-named Service without an Ingress naming it: the one labelled for the app that selects its pods.
async fn service_by_selector(client: &Client, ns: &str, app: &str) -> Result<Option<Json>, Diagnostics> {
    let params = ListParams::default().labels(&format!("app.kubernetes.io/instance={app}"));
    let listed = api(client, ns, "Service")
        .list(&params)
        .await
        .map_err(|e| k8s::Error::from(e).diagnostics(&format!("Listing the Services of {ns}/{app}")))?;
    let selector = serde_json::json!(render::selector_of(app));
    Ok(listed
        .items
        .into_iter()
        .map(|s| serde_json::to_value(&s).unwrap_or_default())
        .find(|s| s.pointer("/spec/selector") == Some(&selector)))
}

/// Whether `object` carries the app's instance label (what lets the import take a referenced object in).
pub(super) fn labelled_for(object: &Json, app: &str) -> bool {
    object
        .pointer("/metadata/labels/app.kubernetes.io~1instance")
        .and_then(Json::as_str)
        == Some(app)
}

/// The names of the app's objects.
pub(super) struct Names {
    app: String,
    service_account: Option<String>,
    config_map: Option<String>,
    secret: Option<String>,
    /// The Service the app's Ingress routes to.
    pub(super) service: Option<String>,
}

impl Names {
    /// The names the Deployment and the Ingress (if any) refer to.
    pub(super) fn of(app: &str, deployment: &Json, ingress: Option<&Json>) -> Self {
        Names {
            app: app.to_owned(),
            service_account: deployment
                .pointer("/spec/template/spec/serviceAccountName")
                .and_then(Json::as_str)
                .map(str::to_owned),
            config_map: reverse::referenced(deployment, "configMapRef"),
            secret: reverse::referenced(deployment, "secretRef"),
            service: ingress.and_then(reverse::backend_service),
        }
    }

    /// The name to look for, and whether it came from a reference (not the default name).
    pub(super) fn of_kind(&self, kind: &str) -> (String, bool) {
        let (found, default) = match kind {
            "ServiceAccount" => (&self.service_account, self.app.clone()),
            "ConfigMap" => (&self.config_map, format!("{}-config", self.app)),
            "Secret" => (&self.secret, format!("{}-secret", self.app)),
            "Service" => (&self.service, self.app.clone()),
            _ => (&None, self.app.clone()),
        };
        match found {
            Some(name) if *name != default => (name.clone(), true),
            _ => (default, false),
        }
    }
}
