//! Pure rendering: a `hub_app` configuration to the Kubernetes objects hub applies, as JSON. Deterministic
//! and free of I/O, so the plan can show every object and tests need no cluster.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};
use sha2::{Digest, Sha256};

use super::model::{
    AppModel, Autoscaling, ContainerSecurity, Ingress, Probe, Rbac, Resources, ScalingPolicy, known, strings,
};
use super::{cron_jobs, env_refs, init_containers, kinds, metrics, pod_defaults, ports, scheduling, shutdown, volumes};
use crate::k8s::labels::MANAGED_BY;
use crate::value::Tf;

/// One object to apply, in apply order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Object {
    /// `Kind/name`: the key in `rendered`.
    pub key: String,
    /// The manifest.
    pub manifest: Json,
}

/// The annotation naming the `hub_app` resource instance that made an object (its `instance_id`). It is
/// added when objects are applied, not rendered: create refuses objects carrying another instance's id, and
/// destroy deletes only objects carrying this one.
pub(crate) const INSTANCE_ANNOTATION: &str = "hub.io/instance";

/// The count of changes to `secret_env`, on the Deployment (not its pod template). The pod template's
/// checksum includes it instead of the values, so that nobody who can read Deployments can test guesses of
/// a secret against the checksum. It lives on the Deployment because the checksum only matters while the
/// Deployment exists (a Secret deleted out of band must not reset it).
pub(crate) const SECRET_REVISION_ANNOTATION: &str = "hub.io/secret-revision";

/// The pod template annotation whose change rolls the pods when mounted or injected configuration changes.
pub(crate) const CHECKSUM_ANNOTATION: &str = "hub.io/config-checksum";

/// The environment variable that lists the names of the app's secret keys, so the app (hub-workload, for
/// one) can redact their values wherever it shows its configuration.
pub(crate) const SECRET_KEYS_ENV: &str = "HUB_SECRET_KEYS";

/// What a secret value shows as in `rendered` (and so in plans and state).
pub(crate) const MASKED: &str = "(sensitive value)";

fn api_version(kind: &str) -> &'static str {
    kinds::find(kind).map_or("v1", |k| k.api_version)
}

/// The selector labels of the pods: `pod_selector`, or hub's own.
pub(crate) fn selector(app: &AppModel) -> BTreeMap<String, String> {
    let chosen = known(&app.pod_selector);
    if chosen.is_empty() {
        selector_of(app.name())
    } else {
        chosen
    }
}

/// [`selector`] as a label selector query (`key=value,…`).
pub(crate) fn label_selector(app: &AppModel) -> String {
    selector(app)
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The selector labels of the pods of the app `name`: also what `provider::hub::selector` returns.
pub(crate) fn selector_of(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("app.kubernetes.io/name".to_owned(), name.to_owned()),
        ("app.kubernetes.io/instance".to_owned(), name.to_owned()),
    ])
}

fn labels(app: &AppModel) -> Json {
    let mut labels = known(&app.labels);
    // hub's name and instance marks on every object; a `pod_selector` holding those keys overrides them.
    labels.extend(selector_of(app.name()));
    labels.extend(selector(app));
    labels.insert(MANAGED_BY.0.into(), MANAGED_BY.1.into());
    json!(labels)
}

fn object(app: &AppModel, kind: &str, name: &str, body: Json) -> Object {
    let mut manifest = json!({
        "apiVersion": api_version(kind),
        "kind": kind,
        "metadata": {"name": name, "namespace": app.namespace(), "labels": labels(app)},
    });
    if let (Json::Object(m), Json::Object(b)) = (&mut manifest, body) {
        for (k, v) in b {
            if k == "metadata" {
                if let (Some(Json::Object(meta)), Json::Object(extra)) = (m.get_mut("metadata"), v) {
                    meta.extend(extra);
                }
            } else {
                m.insert(k, v);
            }
        }
    }
    Object {
        key: format!("{kind}/{name}"),
        manifest,
    }
}

pub(super) fn short_hash(data: &impl serde::Serialize) -> String {
    let bytes = serde_json::to_vec(data).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn non_empty(map: BTreeMap<String, String>) -> Option<BTreeMap<String, String>> {
    (!map.is_empty()).then_some(map)
}

/// Secret data from the configuration: stored values plus write-only ones (present only during apply).
pub(crate) fn secret_data(app: &AppModel, config: &AppModel) -> BTreeMap<String, String> {
    let mut data = known(&app.secret_env);
    data.extend(known(&config.secret_env_wo));
    data
}

/// The secret revision recorded in the `rendered` Deployment of a planned or prior state (0 when none).
pub(crate) fn recorded_secret_revision(state: &AppModel) -> u64 {
    let key = format!("Deployment/{}", state.name());
    state
        .rendered
        .get()
        .and_then(|objects| objects.get(&key))
        .map_or(0, |text| revision_in(text))
}

/// The secret revision in a rendered Deployment's JSON text (0 when there is none). Only the annotations
/// are read out of the text: the rest is skipped without building it.
fn revision_in(text: &str) -> u64 {
    #[derive(serde::Deserialize)]
    struct Rendered<'a> {
        #[serde(borrow)]
        metadata: Metadata<'a>,
    }
    #[derive(serde::Deserialize)]
    struct Metadata<'a> {
        #[serde(borrow, default)]
        annotations: BTreeMap<&'a str, std::borrow::Cow<'a, str>>,
    }
    serde_json::from_str::<Rendered<'_>>(text)
        .ok()
        .and_then(|d| d.metadata.annotations.get(SECRET_REVISION_ANNOTATION)?.parse().ok())
        .unwrap_or(0)
}

/// An object's text as `rendered` shows it: a Secret's values masked, anything else as it is applied.
pub(crate) fn shown(object: &Object) -> String {
    if !object.key.starts_with("Secret/") {
        return serde_json::to_string(&object.manifest).unwrap_or_default();
    }
    serde_json::to_string(&masked(object)).unwrap_or_default()
}

/// An object's manifest with a Secret's values masked: what plans and state may hold.
pub(crate) fn masked(object: &Object) -> Json {
    let mut manifest = object.manifest.clone();
    if object.key.starts_with("Secret/")
        && let Some(Json::Object(data)) = manifest.get_mut("stringData")
    {
        data.values_mut().for_each(|v| *v = Json::String(MASKED.to_owned()));
    }
    manifest
}

/// The secret revision for a plan: the prior one, plus one when `secret_env` changed.
pub(crate) fn next_secret_revision(app: &AppModel, prior: Option<&AppModel>) -> u64 {
    let stored = known(&app.secret_env);
    let Some(prior) = prior else {
        return u64::from(!stored.is_empty());
    };
    let before = known(&prior.secret_env);
    if stored.is_empty() && before.is_empty() {
        return 0;
    }
    recorded_secret_revision(prior).saturating_add(u64::from(before != stored))
}

/// Every object, in apply order. `config` supplies write-only values (Terraform and OpenTofu send them
/// at plan time too, so their keys are known); `secret_revision` counts the changes to stored secret
/// values. Secret values are as applied: [`shown`] and [`masked`] mask them for display.
pub(crate) fn objects(app: &AppModel, config: &AppModel, secret_revision: u64) -> Vec<Object> {
    let name = app.name();
    let mut out = Vec::new();
    if app.creates_service_account() {
        let annotations = non_empty(app.service_account_annotations());
        let mut meta = Map::new();
        if let Some(a) = annotations {
            meta.insert("annotations".into(), json!(a));
        }
        out.push(object(
            app,
            "ServiceAccount",
            &app.service_account_name(),
            service_account_body(app, meta),
        ));
    }
    if let Some(rbac) = app.rbac.get() {
        out.extend(role_and_binding(app, rbac));
    }
    let config_data = known(&app.config);
    if !config_data.is_empty() {
        out.push(object(
            app,
            "ConfigMap",
            &app.config_map_name(),
            json!({"data": config_data}),
        ));
    }
    let secret = secret_data(app, config);
    let has_secret = !secret.is_empty() || app.secret_env_wo_version.value().is_some();
    if has_secret {
        out.push(object(
            app,
            "Secret",
            &app.secret_name(),
            json!({"type": "Opaque", "stringData": secret}),
        ));
    }
    let service = app.service.get();
    if service.and_then(|s| s.enabled.value()).unwrap_or(true) {
        let s = service;
        let mut meta = Map::new();
        if let Some(a) = s.map(|s| known(&s.annotations)).and_then(non_empty) {
            meta.insert("annotations".into(), json!(a));
        }
        let mut port = json!({"name": "http", "port": s.and_then(|s| s.port.value()).unwrap_or(80), "targetPort": ports::own_port_ref(app), "protocol": "TCP"});
        if let Some(node_port) = s.and_then(|s| s.node_port.value()) {
            port["nodePort"] = json!(node_port);
        }
        let mut service_ports = vec![port];
        service_ports.extend(ports::service_ports(app));
        out.push(object(
            app,
            "Service",
            app.service_name(),
            json!({
                "metadata": meta,
                "spec": {
                    "type": s.and_then(|s| s.kind.as_deref()).unwrap_or("ClusterIP"),
                    "selector": selector(app),
                    "ports": service_ports,
                }
            }),
        ));
    }
    for (volume, claim) in volumes::claims(app) {
        let name = volumes::claim_name(app, volume);
        out.push(object(app, volumes::CLAIM_KIND, &name, volumes::claim_body(claim)));
    }
    let stored = !known(&app.secret_env).is_empty();
    let secrets = has_secret.then_some((
        secret.keys().map(String::as_str).collect::<Vec<_>>(),
        stored.then_some(secret_revision),
    ));
    let mut deployment = deployment(app, secrets, !config_data.is_empty());
    super::migration::annotate(app, &mut deployment);
    out.extend(cron_jobs::objects(app, &deployment));
    out.insert(out.len() - cron_jobs::entries(app).count(), deployment);
    if let Some(hpa) = app.autoscaling.get() {
        out.push(autoscaler(app, hpa));
    }
    if let Some(pdb) = app.disruption_budget.get() {
        let mut spec = json!({"selector": {"matchLabels": selector(app)}});
        if let Some(v) = pdb.min_available.as_deref() {
            spec["minAvailable"] = int_or_string(v);
        }
        if let Some(v) = pdb.max_unavailable.as_deref() {
            spec["maxUnavailable"] = int_or_string(v);
        }
        out.push(object(app, "PodDisruptionBudget", name, json!({"spec": spec})));
    }
    if let Some(ingress) = app.ingress.get() {
        out.push(self::ingress(app, ingress));
    }
    out
}

fn int_or_string(v: &str) -> Json {
    v.parse::<i64>().map_or_else(|_| json!(v), |n| json!(n))
}

fn probe(app: &AppModel, which: &Tf<Probe>, default_path: &str) -> Option<Json> {
    // Without hub's defaults only a probe the configuration sets is rendered.
    if !app.probes_enabled.value().unwrap_or(true) || !app.hub_pod_defaults() && which.is_null() {
        return None;
    }
    let p = which.get();
    let port = ports::probe_port_value(app, p, false);
    let mut probe = if let Some(cmd) = p.map(|p| strings(&p.exec)).filter(|c| !c.is_empty()) {
        json!({"exec": {"command": cmd}})
    } else if p.and_then(|p| p.grpc.value()) == Some(true) {
        json!({"grpc": {"port": ports::probe_port_value(app, p, true)}})
    } else if p.and_then(|p| p.tcp.value()) == Some(true) {
        json!({"tcpSocket": {"port": port}})
    } else {
        json!({"httpGet": {"path": p.and_then(|p| p.http_path.as_deref()).unwrap_or(default_path), "port": port}})
    };
    for (value, field) in p
        .map(|p| {
            [
                (&p.initial_delay_seconds, "initialDelaySeconds"),
                (&p.period_seconds, "periodSeconds"),
                (&p.timeout_seconds, "timeoutSeconds"),
                (&p.failure_threshold, "failureThreshold"),
            ]
        })
        .into_iter()
        .flatten()
    {
        if let Some(n) = value.value() {
            probe[field] = json!(n);
        }
    }
    Some(probe)
}

/// A container's requests and limits.
pub(super) fn resources(r: Option<&Resources>) -> Json {
    let mut resources = json!({});
    for (quantity, section, kind) in r
        .map(|r| {
            [
                (&r.cpu_request, "requests", "cpu"),
                (&r.memory_request, "requests", "memory"),
                (&r.cpu_limit, "limits", "cpu"),
                (&r.memory_limit, "limits", "memory"),
            ]
        })
        .into_iter()
        .flatten()
    {
        if let Some(q) = quantity.get() {
            resources[section][kind] = json!(q);
        }
    }
    resources
}

/// The app container's security settings with their defaults filled in.
pub(super) fn container_security(app: &AppModel) -> ContainerSecurity {
    let sec = app.security.get();
    ContainerSecurity {
        run_as_user: Tf::Known(sec.and_then(|s| s.run_as_user.value()).unwrap_or(10001)),
        run_as_group: Tf::Known(sec.and_then(|s| s.run_as_group.value()).unwrap_or(10001)),
        read_only_root_filesystem: Tf::Known(sec.and_then(|s| s.read_only_root_filesystem.value()).unwrap_or(true)),
        allow_privilege_escalation: Tf::Known(sec.and_then(|s| s.allow_privilege_escalation.value()).unwrap_or(false)),
    }
}

/// A restricted container security context: no capabilities, the runtime's seccomp profile, and
/// `runAsNonRoot` unless the user is root.
pub(super) fn security_context(s: &ContainerSecurity) -> Json {
    let user = s.run_as_user.value().unwrap_or(10001);
    json!({
        "runAsNonRoot": user != 0,
        "runAsUser": user,
        "runAsGroup": s.run_as_group.value().unwrap_or(10001),
        "readOnlyRootFilesystem": s.read_only_root_filesystem.value().unwrap_or(true),
        "allowPrivilegeEscalation": s.allow_privilege_escalation.value().unwrap_or(false),
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    })
}

/// The ServiceAccount's body. Its token setting is the default of pods that set none: hub's pods always set
/// one (the account's is `false`); without hub's pod defaults only `security.automount_service_account_token`
/// sets either, so that the pods of an adopted app keep the token they had.
fn service_account_body(app: &AppModel, meta: Map<String, Json>) -> Json {
    let automount = if app.hub_pod_defaults() {
        Some(false)
    } else {
        app.security
            .get()
            .and_then(|s| s.automount_service_account_token.value())
    };
    match automount {
        Some(automount) => json!({"metadata": meta, "automountServiceAccountToken": automount}),
        None => json!({"metadata": meta}),
    }
}

/// `secrets`: when the app has a Secret, its key names and, when it stores values, their revision.
fn deployment(app: &AppModel, secrets: Option<(Vec<&str>, Option<u64>)>, has_config: bool) -> Object {
    let name = app.name();
    let hub = app.hub_pod_defaults();
    let sec = app.security.get();
    let number = app.port.value().unwrap_or(8080);
    let own_port = match app.port_name() {
        "" => json!({"containerPort": number, "protocol": "TCP"}),
        name => json!({"name": name, "containerPort": number, "protocol": "TCP"}),
    };
    let mut container_ports = vec![own_port];
    container_ports.extend(ports::container_ports(app));
    let mut container = json!({
        "name": app.container_name(),
        "image": app.image.as_deref().unwrap_or_default(),
        "ports": container_ports,
        "resources": resources(app.resources.get()),
    });
    if let Some(context) = pod_defaults::container_security_context(app) {
        container["securityContext"] = context;
    }
    container["volumeMounts"] = if hub {
        json!([{"name": "tmp", "mountPath": "/tmp"}])
    } else {
        json!([])
    };
    let command = app.command.get().cloned().unwrap_or_default();
    if !command.is_empty() {
        container["command"] = json!(command);
    }
    let args = app.args.get().cloned().unwrap_or_default();
    if !args.is_empty() {
        container["args"] = json!(args);
    }
    let mut env = known(&app.env);
    // Names only, never values: hub's own secret keys and the variables read from other Secrets.
    let mut secret_keys: std::collections::BTreeSet<&str> = env_refs::secret_variables(app).collect();
    if let Some((keys, _)) = &secrets {
        secret_keys.extend(keys.iter().copied());
    }
    if hub && !secret_keys.is_empty() {
        let names: Vec<&str> = secret_keys.into_iter().collect();
        env.entry(SECRET_KEYS_ENV.into()).or_insert_with(|| names.join(","));
    }
    let mut env_list = env_refs::key_ref_env(app);
    env_list.extend(env.iter().map(|(k, v)| json!({"name": k, "value": v})));
    if !env_list.is_empty() {
        container["env"] = json!(env_list);
    }
    // Objects hub does not own come first: the app's own ConfigMap and Secret win over them.
    let mut env_from = env_refs::env_from(app);
    // Without hub's pod defaults `env_from` lists them where the user wants them.
    if hub && has_config {
        env_from.push(json!({"configMapRef": {"name": app.config_map_name()}}));
    }
    if hub && secrets.is_some() {
        env_from.push(json!({"secretRef": {"name": app.secret_name()}}));
    }
    if !env_from.is_empty() {
        container["envFrom"] = json!(env_from);
    }
    let mut volumes = if hub {
        vec![json!({"name": "tmp", "emptyDir": {}})]
    } else {
        Vec::new()
    };
    if let (true, Some(path)) = (has_config, app.config_mount_path.as_deref()) {
        volumes.push(json!({"name": "config", "configMap": {"name": app.config_map_name()}}));
        if let Some(mounts) = container["volumeMounts"].as_array_mut() {
            mounts.push(json!({"name": "config", "mountPath": path, "readOnly": true}));
        }
    }
    volumes.extend(volumes::pod_volumes(app));
    if let Some(mounts) = container["volumeMounts"].as_array_mut() {
        mounts.extend(volumes::container_mounts(app));
    }
    if container["volumeMounts"].as_array().is_some_and(Vec::is_empty) {
        container.as_object_mut().map(|c| c.remove("volumeMounts"));
    }
    for (which, path, field) in [
        (&app.liveness, "/health", "livenessProbe"),
        (&app.readiness, "/ready", "readinessProbe"),
        (&app.startup, "/startup", "startupProbe"),
    ] {
        if let Some(p) = probe(app, which, path) {
            container[field] = p;
        }
    }
    shutdown::render_pre_stop(app, &mut container);

    // Config changes roll the pods: a checksum of everything mounted or injected from outside the template.
    // Secret values never enter it (anyone who can read the Deployment could test guesses against it): the
    // secret revision stands in for stored values, and `secret_env_wo_version` for write-only ones.
    let revision = secrets.as_ref().and_then(|(_, revision)| *revision);
    // Without stored secrets the second member is `{}`, as before revisions existed, so those apps' pods
    // do not roll when hub is upgraded.
    let stored = revision.map_or_else(|| json!({}), |r| json!(r));
    let inputs = (
        known(&app.config),
        stored,
        app.secret_env_wo_version.value(),
        app.service_account_annotations(),
    );
    // Pod Identity adds a member, so IRSA apps keep the checksum (and their pods) they had before it existed.
    let checksum = match app.pod_identity_roll_key() {
        Some(identity) => short_hash(&(inputs, identity)),
        None => short_hash(&inputs),
    };
    let mut pod_annotations = known(&app.pod_annotations);
    if hub {
        pod_annotations.insert(CHECKSUM_ANNOTATION.into(), checksum);
    }
    let mut pod_labels = if hub { known(&app.labels) } else { BTreeMap::new() };
    pod_labels.extend(known(&app.pod_labels));
    pod_labels.extend(selector(app));

    // Built in this order: `rendered` records the objects as text, so the order is part of the state.
    let mut pod_spec = json!({"serviceAccountName": app.service_account_name()});
    let automount = sec.and_then(|s| s.automount_service_account_token.value());
    if let Some(automount) = automount.or(hub.then_some(false)) {
        pod_spec["automountServiceAccountToken"] = json!(automount);
    }
    pod_spec["terminationGracePeriodSeconds"] = json!(app.termination_grace_period_seconds.value().unwrap_or(30));
    if let Some(context) = pod_defaults::pod_security_context(app) {
        pod_spec["securityContext"] = context;
    }
    pod_spec["containers"] = json!([container]);
    if !volumes.is_empty() {
        pod_spec["volumes"] = json!(volumes);
    }
    match app
        .zone_spread
        .as_deref()
        .unwrap_or(if hub { "topology" } else { "none" })
    {
        "topology" => {
            pod_spec["topologySpreadConstraints"] = json!([{
                "maxSkew": 1,
                "topologyKey": "topology.kubernetes.io/zone",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": selector(app)},
            }]);
        }
        "anti_affinity" => {
            pod_spec["affinity"] = json!({"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                "weight": 100,
                "podAffinityTerm": {"topologyKey": "topology.kubernetes.io/zone", "labelSelector": {"matchLabels": selector(app)}},
            }]}});
        }
        _ => {}
    }
    let node_selector = known(&app.node_selector);
    if !node_selector.is_empty() {
        pod_spec["nodeSelector"] = json!(node_selector);
    }
    let tolerations: Vec<Json> = app
        .tolerations
        .get()
        .into_iter()
        .flatten()
        .filter_map(Tf::get)
        .map(|t| {
            let mut o = Map::new();
            for (value, field) in [
                (&t.key, "key"),
                (&t.operator, "operator"),
                (&t.value, "value"),
                (&t.effect, "effect"),
            ] {
                if let Some(v) = value.get() {
                    o.insert(field.into(), json!(v));
                }
            }
            Json::Object(o)
        })
        .collect();
    if !tolerations.is_empty() {
        pod_spec["tolerations"] = json!(tolerations);
    }
    if let Some(pc) = app.priority_class_name.get() {
        pod_spec["priorityClassName"] = json!(pc);
    }
    scheduling::render(app, &mut pod_spec);
    init_containers::render(app, &mut pod_spec);

    let mut spec = json!({
        "selector": {"matchLabels": selector(app)},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {
            "maxSurge": int_or_string(app.max_surge.as_deref().unwrap_or("25%")),
            "maxUnavailable": int_or_string(app.max_unavailable.as_deref().unwrap_or("0")),
        }},
        "template": {"metadata": template_metadata(pod_labels, pod_annotations), "spec": pod_spec},
    });
    // With an HPA, replicas belong to it: leaving the field out of the apply means hub never fights it.
    if app.autoscaling.is_null() {
        spec["replicas"] = json!(app.replicas.value().unwrap_or(2));
    }
    let mut annotations = known(&app.annotations);
    if let Some(r) = revision {
        annotations.insert(SECRET_REVISION_ANNOTATION.into(), r.to_string());
    }
    let mut meta = Map::new();
    if let Some(a) = non_empty(annotations) {
        meta.insert("annotations".into(), json!(a));
    }
    object(app, "Deployment", name, json!({"metadata": meta, "spec": spec}))
}

/// The pod template's labels and its annotations, when there are any (there always are with hub's pod
/// defaults: the checksum).
fn template_metadata(labels: BTreeMap<String, String>, annotations: BTreeMap<String, String>) -> Json {
    let mut meta = json!({"labels": labels});
    if !annotations.is_empty() {
        meta["annotations"] = json!(annotations);
    }
    meta
}

fn autoscaler(app: &AppModel, hpa: &Autoscaling) -> Object {
    let mut metrics = Vec::new();
    for (percent, resource) in [(&hpa.cpu_percent, "cpu"), (&hpa.memory_percent, "memory")] {
        if let Some(p) = percent.value() {
            metrics.push(json!({"type": "Resource", "resource": {"name": resource, "target": {"type": "Utilization", "averageUtilization": p}}}));
        }
    }
    metrics.extend(self::metrics::render(hpa));
    let rules = |stabilization: &Tf<i64>, policies: &Tf<Vec<Tf<ScalingPolicy>>>, select: &Tf<String>, window: i64| {
        let mut rules = json!({
            "stabilizationWindowSeconds": stabilization.value().unwrap_or(window)
        });
        let policies: Vec<Json> = policies
            .get()
            .into_iter()
            .flatten()
            .filter_map(Tf::get)
            .map(|p| {
                json!({
                    "type": p.kind.as_deref().unwrap_or_default(),
                    "value": p.value.value().unwrap_or_default(),
                    "periodSeconds": p.period_seconds.value().unwrap_or_default(),
                })
            })
            .collect();
        if !policies.is_empty() {
            rules["policies"] = json!(policies);
        }
        if let Some(select) = select.get() {
            rules["selectPolicy"] = json!(select);
        }
        rules
    };
    let down = rules(
        &hpa.scale_down_stabilization_seconds,
        &hpa.scale_down_policies,
        &hpa.scale_down_select_policy,
        300,
    );
    let up = rules(
        &hpa.scale_up_stabilization_seconds,
        &hpa.scale_up_policies,
        &hpa.scale_up_select_policy,
        0,
    );
    let spec = json!({
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app.name()},
        "minReplicas": hpa.min_replicas.value().unwrap_or(1),
        "maxReplicas": hpa.max_replicas.value().unwrap_or(1),
        "metrics": metrics,
        "behavior": {"scaleDown": down, "scaleUp": up},
    });
    object(app, "HorizontalPodAutoscaler", app.name(), json!({"spec": spec}))
}

/// The app's Role and the RoleBinding granting it to the pods' service account, both named after the app.
fn role_and_binding(app: &AppModel, rbac: &Rbac) -> [Object; 2] {
    let rules: Vec<Json> = rbac
        .rules
        .get()
        .into_iter()
        .flatten()
        .filter_map(Tf::get)
        .map(|r| {
            let mut rule = json!({
                "apiGroups": strings(&r.api_groups),
                "resources": strings(&r.resources),
                "verbs": strings(&r.verbs),
            });
            let names = strings(&r.resource_names);
            if !names.is_empty() {
                rule["resourceNames"] = json!(names);
            }
            rule
        })
        .collect();
    let name = app.name();
    [
        object(app, "Role", name, json!({"rules": rules})),
        object(
            app,
            "RoleBinding",
            name,
            json!({
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
                "subjects": [{"kind": "ServiceAccount", "name": app.service_account_name(), "namespace": app.namespace()}],
            }),
        ),
    ]
}

fn ingress(app: &AppModel, ing: &Ingress) -> Object {
    let mut annotations = BTreeMap::from([
        (
            "alb.ingress.kubernetes.io/scheme".to_owned(),
            ing.scheme.as_deref().unwrap_or("internet-facing").to_owned(),
        ),
        (
            "alb.ingress.kubernetes.io/target-type".to_owned(),
            ing.target_type.as_deref().unwrap_or("ip").to_owned(),
        ),
    ]);
    let readiness = app
        .readiness
        .get()
        .and_then(|r| r.http_path.as_deref())
        .unwrap_or("/ready");
    annotations.insert(
        "alb.ingress.kubernetes.io/healthcheck-path".into(),
        ing.health_check_path.as_deref().unwrap_or(readiness).to_owned(),
    );
    if let Some(arn) = ing.certificate_arn.get() {
        annotations.insert("alb.ingress.kubernetes.io/certificate-arn".into(), arn.clone());
        annotations.insert(
            "alb.ingress.kubernetes.io/listen-ports".into(),
            r#"[{"HTTP": 80}, {"HTTPS": 443}]"#.into(),
        );
        if ing.ssl_redirect.value().unwrap_or(true) {
            annotations.insert("alb.ingress.kubernetes.io/ssl-redirect".into(), "443".into());
        }
    }
    if let Some(group) = ing.group_name.get() {
        annotations.insert("alb.ingress.kubernetes.io/group.name".into(), group.clone());
    }
    annotations.extend(known(&ing.annotations));
    shutdown::render_annotation(app, &mut annotations);
    let port = ports::ingress_backend_port(app, ing.port_name.as_deref());
    let backend = json!({"service": {"name": app.service_name(), "port": port}});
    let path = json!({"path": ing.path.as_deref().unwrap_or("/"), "pathType": "Prefix", "backend": backend});
    let hosts = strings(&ing.hosts);
    let rules: Vec<Json> = if hosts.is_empty() {
        vec![json!({"http": {"paths": [path]}})]
    } else {
        hosts
            .iter()
            .map(|h| json!({"host": h, "http": {"paths": [path.clone()]}}))
            .collect()
    };
    object(
        app,
        "Ingress",
        app.name(),
        json!({"metadata": {"annotations": annotations}, "spec": {"ingressClassName": ing.class.as_deref().unwrap_or("alb"), "rules": rules}}),
    )
}
