//! The reverse render against the forward one: generated valid configurations, rendered and read back,
//! give back the configuration (as the plan normalises it, with the lossy forms of `canonical`); and no
//! schema attribute can be left out of both [`GROUPS`] and `UNREADABLE`.

use std::collections::BTreeSet;
use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value as Json, json};

use super::super::model::{AppModel, Service, ServiceAccount};
use super::super::render;
use super::unreadable::UNREADABLE;
use super::*;
use crate::diag::Diagnostics;
use crate::schema::{Attribute, AttributeKind, Presence};
use crate::value::{Tf, Value, json as vjson};

/// A configuration as core would send it, and its plan (schema defaults applied).
fn config_and_plan(config: &Json) -> (AppModel, AppModel) {
    let schema = schema();
    let ty = schema.implied_type();
    let value = vjson::decode(config.to_string().as_bytes(), &ty).expect("a configuration of the schema");
    let planned = plan(&schema.block, None, &value, &value).0;
    let (config, mut planned): (AppModel, AppModel) =
        (from_value(&value).expect("fits"), from_value(&planned).expect("fits"));
    // What `modify_plan` fills in before it renders.
    super::super::shutdown::plan(&mut planned, &config);
    super::super::conditional_defaults(&mut planned, &config, None);
    (config, planned)
}

/// The objects an apply writes (secret values included: the reverse render must mask them itself).
fn live(planned: &AppModel, config: &AppModel) -> Live {
    let objects = render::objects(planned, config, 1).into_iter().map(|o| {
        let kind = o.manifest["kind"].as_str().unwrap_or_default().to_owned();
        (kind, o.manifest)
    });
    Live::new(planned.name(), planned.namespace(), objects)
}

/// Choices that shrink well: each decision reads the next number.
struct Pick<'a>(std::slice::Iter<'a, u32>);

impl Pick<'_> {
    fn next(&mut self) -> u32 {
        self.0.next().copied().unwrap_or(1)
    }
    fn maybe(&mut self) -> bool {
        self.next() % 2 == 1
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + i64::from(self.next()) % (hi - lo + 1)
    }
    fn of<'s>(&mut self, options: &[&'s str]) -> &'s str {
        options[self.next() as usize % options.len()]
    }
    fn word(&mut self) -> String {
        let len = self.range(1, 5);
        (0..len)
            .map(|_| char::from(b'a' + u8::try_from(self.next() % 26).unwrap_or(0)))
            .collect()
    }
    fn map(&mut self, key: impl Fn(&mut Self) -> String, value: impl Fn(&mut Self) -> String) -> Json {
        let n = self.range(1, 3);
        Json::Object((0..n).map(|_| (key(self), Json::String(value(self)))).collect())
    }
    fn words(&mut self, prefix: &str) -> Json {
        let n = self.range(1, 3);
        let mut list: Vec<String> = (0..n).map(|_| format!("{prefix}{}", self.word())).collect();
        // Every repeat goes, not only adjacent ones (`ingress.hosts` refuses `["a", "b", "a"]`).
        let mut seen = BTreeSet::new();
        list.retain(|w| seen.insert(w.clone()));
        json!(list)
    }
}

fn text(p: &mut Pick) -> String {
    format!("{} {}", p.word(), p.range(0, 99))
}

fn upper(prefix: &'static str) -> impl Fn(&mut Pick) -> String {
    move |p| format!("{prefix}{}", p.word().to_uppercase())
}

/// A probe; `ports` are the TCP ports it may name besides `http`.
fn probe(p: &mut Pick, ports: &[String]) -> Json {
    let mut probe = json!({});
    let kind = p.range(0, 4);
    if kind != 2 {
        match p.range(0, 3) {
            0 => probe["port"] = json!(p.range(1, 65535)),
            1 => {
                let mut names = vec!["http".to_owned()];
                names.extend(ports.iter().cloned());
                probe["port_name"] = json!(names[p.next() as usize % names.len()]);
            }
            _ => {}
        }
    }
    match kind {
        0 => probe["http_path"] = json!(format!("/p{}", p.word())),
        1 => probe["tcp"] = json!(true),
        2 => probe["exec"] = p.words("cmd-"),
        3 => probe["grpc"] = json!(true),
        _ => {}
    }
    for (field, lo, hi) in [
        ("initial_delay_seconds", 0, 3600),
        ("period_seconds", 1, 3600),
        ("timeout_seconds", 1, 3600),
        ("failure_threshold", 1, 1000),
    ] {
        if p.maybe() {
            probe[field] = json!(p.range(lo, hi));
        }
    }
    probe
}

/// Some of a container's requests and limits.
fn resources(p: &mut Pick) -> Json {
    let mut r = json!({});
    for (field, options) in [
        ("cpu_request", &["50m", "100m", "250m"][..]),
        ("memory_request", &["64Mi", "128Mi"]),
        ("cpu_limit", &["500m", "2"]),
        ("memory_limit", &["256Mi", "2Gi"]),
    ] {
        if p.maybe() {
            r[field] = json!(p.of(options));
        }
    }
    r
}

/// One to three init containers or sidecars, mounting hub's `tmp` (the only volume every app has).
fn init_containers(p: &mut Pick) -> Json {
    let n = p.range(1, 3);
    let containers: Vec<Json> = (0..n)
        .map(|i| {
            let mut c =
                json!({"name": format!("i{i}-{}", p.word()), "image": format!("{}:{}", p.word(), p.range(0, 9))});
            if p.maybe() {
                c["command"] = p.words("/bin/");
            }
            if p.maybe() {
                c["args"] = p.words("--");
            }
            if p.maybe() {
                c["env"] = p.map(upper("I_"), text);
            }
            if p.maybe() {
                c["resources"] = resources(p);
            }
            if p.maybe() {
                let mut m = json!({"volume": "tmp", "mount_path": format!("/w{}", p.word())});
                if p.maybe() {
                    m["read_only"] = json!(p.maybe());
                }
                if p.maybe() {
                    m["sub_path"] = json!(p.word());
                }
                c["volume_mounts"] = json!([m]);
            }
            if p.maybe() {
                c["security"] = json!({"run_as_user": p.range(0, 3), "run_as_group": p.range(0, 3),
                    "read_only_root_filesystem": p.maybe(), "allow_privilege_escalation": p.maybe()});
            }
            if p.maybe() {
                c["sidecar"] = json!(p.maybe());
            }
            c
        })
        .collect();
    json!(containers)
}

/// `env_from_secret` / `env_from_config_map`: variables named `<var>...` reading keys of objects `<object>...`.
fn key_refs(p: &mut Pick, var: &'static str, object: &str) -> Json {
    let n = p.range(1, 3);
    Json::Object(
        (0..n)
            .map(|_| {
                let mut r = json!({"name": format!("{object}{}", p.word()), "key": p.word()});
                if p.maybe() {
                    r["optional"] = json!(p.maybe());
                }
                (upper(var)(p), r)
            })
            .collect(),
    )
}

/// Node affinity match expressions, each valid for its operator.
fn expressions(p: &mut Pick) -> Json {
    let n = p.range(1, 2);
    json!(
        (0..n)
            .map(|_| {
                let operator = p.of(&["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]);
                let mut e = json!({"key": format!("node.io/{}", p.word()), "operator": operator});
                match operator {
                    "In" | "NotIn" => e["values"] = p.words("v"),
                    "Gt" | "Lt" => e["values"] = json!([p.range(0, 64).to_string()]),
                    _ => {}
                }
                e
            })
            .collect::<Vec<_>>()
    )
}

/// `volumes` (one of each source, some of them) and mounts of some of them.
fn volumes(p: &mut Pick) -> (Json, Vec<Json>) {
    let mut volumes = serde_json::Map::new();
    let mut mounts = Vec::new();
    for (i, source) in [
        "secret",
        "config_map",
        "empty_dir",
        "persistent_volume_claim",
        "secrets_store",
        "claim",
    ]
    .into_iter()
    .enumerate()
    {
        if !p.maybe() {
            continue;
        }
        let body = match source {
            "secret" | "config_map" => {
                let mut o = json!({"name": format!("vo-{}", p.word())});
                if p.maybe() {
                    o["items"] = p.map(Pick::word, |p| format!("files/{}", p.word()));
                }
                if p.maybe() {
                    o["default_mode"] = json!(p.of(&["0440", "0644", "400", "0o600", "0777"]));
                }
                if p.maybe() {
                    o["optional"] = json!(p.maybe());
                }
                o
            }
            "empty_dir" => {
                let mut e = json!({});
                if p.maybe() {
                    e["size_limit"] = json!(p.of(&["64Mi", "1Gi"]));
                }
                if p.maybe() {
                    e["medium"] = json!("Memory");
                }
                e
            }
            "persistent_volume_claim" => {
                let mut c = json!({"claim_name": format!("pvc-{}", p.word())});
                if p.maybe() {
                    c["read_only"] = json!(p.maybe());
                }
                c
            }
            "secrets_store" => {
                let mut s = json!({"secret_provider_class": format!("spc-{}", p.word())});
                if p.maybe() {
                    s["driver"] = json!(p.of(&["secrets-store.csi.k8s.io", "other.csi.example.com"]));
                }
                if p.maybe() {
                    s["read_only"] = json!(true);
                }
                s
            }
            _ => {
                let mut c = json!({"size": p.of(&["1Gi", "10Gi"])});
                if p.maybe() {
                    c["storage_class"] = json!(format!("sc-{}", p.word()));
                }
                if p.maybe() {
                    c["access_mode"] = json!(p.of(&["ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany"]));
                }
                if p.maybe() {
                    c["retain_on_destroy"] = json!(p.maybe());
                }
                c
            }
        };
        let name = format!("v{i}{}", p.word());
        for m in 0..p.range(0, 2) {
            let mut mount = json!({"volume": name, "mount_path": format!("/mnt/{name}/{m}")});
            if p.maybe() {
                mount["read_only"] = json!(p.maybe());
            }
            if p.maybe() {
                mount["sub_path"] = json!(p.word());
            }
            mounts.push(mount);
        }
        volumes.insert(name, json!({source: body}));
    }
    if volumes.is_empty() {
        volumes.insert("scratch".into(), json!({"empty_dir": {}}));
    }
    (Json::Object(volumes), mounts)
}

/// A valid configuration setting a random part of every readable attribute.
#[allow(clippy::too_many_lines)]
fn generate(p: &mut Pick) -> Json {
    let name = format!("a{}", p.word());
    let ns = format!("n{}", p.word());
    let mut c = json!({"name": name, "namespace": ns, "image": format!("{}:{}", p.word(), p.range(0, 9))});
    // One in three without hub's pod defaults, as an import of another tool's Deployment writes.
    let bare = p.range(0, 2) == 0;
    if bare {
        c["pod_defaults"] = json!("none");
    } else if p.range(0, 3) == 0 {
        c["pod_defaults"] = json!("hub");
    }
    if p.maybe() {
        c["container_name"] = json!(format!("c{}", p.word()));
    }
    match p.range(0, 5) {
        0 => c["port_name"] = json!(p.of(&["web", "http"])),
        1 => c["unnamed_port"] = json!(p.maybe()),
        _ => {}
    }
    if p.maybe() {
        c["command"] = p.words("/bin/");
    }
    if p.maybe() {
        c["args"] = p.words("--");
    }
    if p.maybe() {
        c["port"] = json!(p.range(1, 65535));
    }
    // Extra ports: numbers apart from the app's (`port`, 8080 by default); `on_service` may be exposed.
    let app_port = c["port"].as_i64().unwrap_or(8080);
    let (mut tcp_ports, mut service_ports) = (Vec::new(), Vec::new());
    if p.maybe() {
        let mut ports = serde_json::Map::new();
        for (i, name) in ["metrics", "admin", "grpc"].into_iter().enumerate() {
            if !p.maybe() {
                continue;
            }
            let i = i64::try_from(i).unwrap_or_default();
            let base = if app_port == 9000 + i { 9100 } else { 9000 };
            let number = base + i;
            let mut port = json!({"port": number});
            let udp = p.range(0, 3) == 0;
            if udp {
                port["protocol"] = json!("UDP");
            } else {
                if p.maybe() {
                    port["protocol"] = json!("TCP");
                }
                tcp_ports.push(name.to_owned());
            }
            if p.maybe() {
                port["service"] = json!(p.maybe());
                if port["service"] == json!(true) {
                    if !udp {
                        service_ports.push(name.to_owned());
                    }
                    if p.maybe() {
                        port["service_port"] = json!(p.of(&["81", "8443", "9000"]).parse::<i64>().unwrap_or(81) + i);
                    }
                }
            }
            ports.insert(name.to_owned(), port);
        }
        if !ports.is_empty() {
            c["ports"] = Json::Object(ports);
        }
    }
    if p.maybe() {
        c["labels"] = p.map(|p| format!("l{}", p.word()), Pick::word);
    }
    if p.maybe() {
        c["pod_labels"] = p.map(|p| format!("q{}", p.word()), Pick::word);
    }
    if p.maybe() {
        c["pod_selector"] = p.map(|p| format!("s{}", p.word()), Pick::word);
    }
    if p.maybe() {
        c["annotations"] = p.map(|p| format!("note.io/{}", p.word()), text);
    }
    if p.maybe() {
        c["pod_annotations"] = p.map(|p| format!("pod.io/{}", p.word()), text);
    }
    if p.maybe() {
        c["env"] = p.map(upper("E_"), text);
    }
    if p.maybe() {
        c["env_from_secret"] = key_refs(p, "K_", "ks-");
    }
    if p.maybe() {
        c["env_from_config_map"] = key_refs(p, "M_", "km-");
    }
    if p.maybe() {
        let n = p.range(1, 3);
        let entries: Vec<Json> = (0..n)
            .map(|i| {
                let field = if p.maybe() { "secret" } else { "config_map" };
                let mut e = json!({field: format!("ef{i}-{}", p.word())});
                if p.maybe() {
                    e["prefix"] = json!(format!("P{i}_"));
                }
                if p.maybe() {
                    e["optional"] = json!(p.maybe());
                }
                e
            })
            .collect();
        c["env_from"] = json!(entries);
    }
    if p.maybe() {
        c["config"] = p.map(upper("C_"), text);
    }
    if p.maybe() {
        c["config_map_name"] = json!(format!("cm-{}", p.word()));
    }
    if p.maybe() {
        c["config_mount_path"] = json!(format!("/etc/{}", p.word()));
    }
    if p.maybe() {
        c["secret_env"] = p.map(upper("S_"), text);
    }
    if p.maybe() {
        c["secret_name"] = json!(format!("sec-{}", p.word()));
    }
    if p.maybe() {
        if p.maybe() {
            c["secret_env_wo"] = p.map(upper("W_"), text);
        }
        c["secret_env_wo_version"] = json!(p.range(0, 100));
    }
    if p.maybe() {
        let (volumes, mounts) = volumes(p);
        c["volumes"] = volumes;
        if !mounts.is_empty() {
            c["volume_mounts"] = json!(mounts);
        }
    }
    if p.maybe() {
        c["resources"] = resources(p);
    }
    if p.range(0, 5) == 0 {
        c["probes_enabled"] = json!(false);
    } else {
        if p.maybe() {
            c["probes_enabled"] = json!(true);
        }
        for which in ["liveness", "readiness", "startup"] {
            if p.maybe() {
                c[which] = probe(p, &tcp_ports);
            }
        }
    }
    if p.maybe() {
        let mut s = json!({});
        for (field, lo, hi) in [("run_as_user", 0, 100_000), ("run_as_group", 0, 100_000)] {
            if p.maybe() {
                s[field] = json!(p.range(lo, hi));
            }
        }
        for field in [
            "read_only_root_filesystem",
            "allow_privilege_escalation",
            "automount_service_account_token",
            "run_as_non_root",
        ] {
            if p.maybe() {
                s[field] = json!(p.maybe());
            }
        }
        if p.maybe() {
            s["capabilities_drop"] =
                [json!([]), json!(["ALL"]), json!(["NET_RAW", "CHOWN"])][p.range(0, 2) as usize].clone();
        }
        if p.maybe() {
            s["seccomp_profile"] = json!(p.of(&["RuntimeDefault", "Unconfined"]));
        }
        c["security"] = s;
    }
    if p.maybe() {
        let mut s = json!({});
        for field in ["run_as_user", "run_as_group", "fs_group"] {
            if p.maybe() {
                s[field] = json!(p.range(0, 100_000));
            }
        }
        if p.maybe() {
            s["run_as_non_root"] = json!(p.maybe());
        }
        if p.maybe() {
            s["seccomp_profile"] = json!(p.of(&["RuntimeDefault", "Unconfined"]));
        }
        c["pod_security"] = s;
    }
    // Without hub's `/tmp`, a volume of the user's may be named `tmp` and mounted there.
    if bare && p.maybe() {
        c["volumes"]["tmp"] = json!({"empty_dir": {}});
        let mut mounts = c["volume_mounts"].as_array().cloned().unwrap_or_default();
        mounts.push(json!({"volume": "tmp", "mount_path": "/tmp"}));
        c["volume_mounts"] = json!(mounts);
    }
    if p.maybe() {
        c["init_containers"] = init_containers(p);
        // Their mounts of hub's `tmp` need a volume of that name without hub's pod defaults.
        if bare && c["init_containers"].to_string().contains(r#""volume":"tmp""#) {
            c["volumes"]["tmp"] = json!({"empty_dir": {}});
        }
    }
    let autoscaled = p.range(0, 2) == 0;
    if autoscaled {
        let min = p.range(1, 5);
        let mut hpa = json!({"min_replicas": min, "max_replicas": p.range(min, 10)});
        let (cpu, memory) = match p.range(0, 2) {
            0 => (true, false),
            1 => (false, true),
            _ => (true, true),
        };
        if cpu {
            hpa["cpu_percent"] = json!(p.range(1, 1000));
        }
        if memory {
            hpa["memory_percent"] = json!(p.range(1, 1000));
        }
        if p.maybe() {
            hpa["metrics"] = metrics(p);
        }
        for (direction, percent_max) in [("down", 100), ("up", 1000)] {
            if p.maybe() {
                hpa[format!("scale_{direction}_stabilization_seconds")] = json!(p.range(0, 3600));
            }
            if p.maybe() {
                let n = p.range(1, 2);
                let policies: Vec<Json> = (0..n)
                    .map(|_| {
                        let kind = p.of(&["Pods", "Percent"]);
                        let max = if kind == "Percent" { percent_max } else { 10000 };
                        json!({"type": kind, "value": p.range(1, max), "period_seconds": p.range(1, 1800)})
                    })
                    .collect();
                hpa[format!("scale_{direction}_policies")] = json!(policies);
            }
            if p.maybe() {
                hpa[format!("scale_{direction}_select_policy")] = json!(p.of(&["Max", "Min"]));
            }
        }
        c["autoscaling"] = hpa;
    } else if p.maybe() {
        c["replicas"] = json!(p.range(0, 20));
    }
    if p.maybe() {
        c["max_surge"] = json!(p.of(&["1", "3", "25%", "50%"]));
    }
    if p.maybe() {
        c["max_unavailable"] = json!(p.of(&["0", "1", "10%"]));
    }
    if p.maybe() {
        c["zone_spread"] = json!(p.of(&["topology", "anti_affinity", "none"]));
    }
    if p.maybe() {
        c["node_selector"] = p.map(|p| format!("node.io/{}", p.word()), Pick::word);
    }
    if p.maybe() {
        let n = p.range(1, 3);
        let tolerations: Vec<Json> = (0..n)
            .map(|_| {
                let mut t = json!({});
                if p.maybe() {
                    t["operator"] = json!("Exists");
                    if p.maybe() {
                        t["key"] = json!(format!("k{}", p.word()));
                    }
                } else {
                    t["key"] = json!(format!("k{}", p.word()));
                    if p.maybe() {
                        t["operator"] = json!("Equal");
                    }
                    if p.maybe() {
                        t["value"] = json!(p.word());
                    }
                }
                if p.maybe() {
                    t["effect"] = json!(p.of(&["NoSchedule", "PreferNoSchedule", "NoExecute"]));
                }
                t
            })
            .collect();
        c["tolerations"] = json!(tolerations);
    }
    if p.maybe() {
        c["priority_class_name"] = json!(format!("pc-{}", p.word()));
    }
    if p.maybe() {
        c["node_spread"] = json!(p.of(&["topology", "anti_affinity", "one_per_node"]));
    }
    if p.maybe() {
        let mut affinity = json!({});
        let required = p.maybe();
        if required {
            let n = p.range(1, 2);
            affinity["required"] = json!(
                (0..n)
                    .map(|_| json!({"match_expressions": expressions(p)}))
                    .collect::<Vec<_>>()
            );
        }
        if !required || p.maybe() {
            let n = p.range(1, 2);
            affinity["preferred"] = json!(
                (0..n)
                    .map(|_| json!({"weight": p.range(1, 100), "match_expressions": expressions(p)}))
                    .collect::<Vec<_>>()
            );
        }
        c["node_affinity"] = affinity;
    }
    if p.maybe() {
        let names: BTreeSet<String> = (0..p.range(1, 3)).map(|_| format!("reg-{}", p.word())).collect();
        c["image_pull_secrets"] = json!(names);
    }
    if p.maybe() {
        c["runtime_class_name"] = json!(format!("rc-{}", p.word()));
    }
    if p.maybe() {
        c["termination_grace_period_seconds"] = json!(p.range(0, 3600));
    }
    let mut service_enabled = true;
    let mut node_ports = false;
    if p.maybe() {
        let mut s = json!({});
        if p.range(0, 3) == 0 {
            s["enabled"] = json!(false);
            service_enabled = false;
            // Without a Service no port can be on it.
            for port in c["ports"].as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
                if let Some(port) = port.as_object_mut() {
                    port.remove("service");
                    port.remove("service_port");
                }
            }
        } else {
            if p.maybe() {
                s["enabled"] = json!(true);
            }
            if p.maybe() {
                let kind = p.of(&["ClusterIP", "NodePort", "LoadBalancer"]);
                s["type"] = json!(kind);
                node_ports = kind != "ClusterIP";
                if node_ports && p.maybe() {
                    s["node_port"] = json!(p.range(30000, 32767));
                }
            }
            if p.maybe() {
                // Below the extra ports' numbers, so no two Service ports share one.
                s["port"] = json!(p.range(1, 80));
            }
            if p.maybe() {
                s["name"] = json!(format!("svc-{}", p.word()));
            }
            if p.maybe() {
                s["annotations"] = p.map(|p| format!("svc.io/{}", p.word()), text);
            }
        }
        c["service"] = s;
    }
    if service_enabled && p.maybe() {
        let mut i = json!({});
        if p.maybe() {
            i["hosts"] = json!(
                p.words("h")
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|h| format!("{}.example.com", h.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
            );
        }
        if p.maybe() {
            i["path"] = json!(format!("/{}", p.word()));
        }
        if p.maybe() {
            i["class"] = json!(format!("c{}", p.word()));
        }
        if p.maybe() {
            i["scheme"] = json!(p.of(&["internet-facing", "internal"]));
        }
        if p.maybe() {
            i["target_type"] = json!(if node_ports { p.of(&["ip", "instance"]) } else { "ip" });
        }
        if p.maybe() {
            i["certificate_arn"] = json!(format!("arn:aws:acm:eu-west-1:123456789012:certificate/{}", p.word()));
            if p.maybe() {
                i["ssl_redirect"] = json!(p.maybe());
            }
        }
        if p.maybe() {
            i["health_check_path"] = json!(format!("/hc{}", p.word()));
        }
        if p.maybe() {
            i["group_name"] = json!(format!("g{}", p.word()));
        }
        if p.maybe() {
            let mut names = vec!["http".to_owned()];
            names.extend(service_ports.iter().cloned());
            i["port_name"] = json!(names[p.next() as usize % names.len()]);
        }
        if p.maybe() {
            i["annotations"] = p.map(|p| format!("x.io/{}", p.word()), text);
        }
        if p.maybe() {
            i["annotations"]["alb.ingress.kubernetes.io/target-group-attributes"] = json!("stickiness.enabled=true");
        }
        graceful_shutdown(p, &mut i, &mut c);
        c["ingress"] = i;
    }
    if p.maybe() {
        c["disruption_budget"] = if p.maybe() {
            json!({"max_unavailable": p.of(&["1", "2", "25%"])})
        } else {
            json!({"min_available": p.of(&["0", "0%"])})
        };
    }
    if p.maybe() {
        let mut sa = json!({});
        let create = p.range(0, 2) != 0;
        if !create || p.maybe() {
            sa["create"] = json!(create);
        }
        if p.maybe() {
            sa["name"] = json!(format!("sa-{}", p.word()));
        }
        if create && p.maybe() {
            sa["annotations"] = p.map(|p| format!("sa.io/{}", p.word()), text);
        }
        if create && p.maybe() {
            let account = sa["name"].as_str().unwrap_or(&name).to_owned();
            sa["irsa"] = json!({"namespace": ns, "service_account": account,
                "role_arn": format!("arn:aws:iam::123456789012:role/{}", p.word())});
        }
        c["service_account"] = sa;
    }
    if p.maybe() {
        let n = p.range(1, 3);
        let rules: Vec<Json> = (0..n)
            .map(|_| {
                let mut r = json!({
                    "api_groups": [p.of(&["", "apps", "batch"])],
                    "resources": p.words("r"),
                    "verbs": [p.of(&["get", "list", "watch"])],
                });
                if p.maybe() {
                    r["resource_names"] = p.words("o");
                }
                r
            })
            .collect();
        let mut rbac = json!({"rules": rules});
        if p.maybe() {
            rbac["allow_wildcards"] = json!(p.maybe());
        }
        c["rbac"] = rbac;
    }
    if p.maybe() {
        c["cron_jobs"] = cron_jobs(p);
    }
    if p.maybe() {
        let mut m = json!({"command": p.words("/bin/")});
        if p.maybe() {
            m["args"] = p.words("--");
        }
        if p.maybe() {
            m["timeout"] = json!(p.of(&["90s", "5m", "1h"]));
        }
        if p.maybe() {
            m["backoff_limit"] = json!(p.range(0, 10));
        }
        if p.maybe() {
            m["ttl_seconds_after_finished"] = json!(p.range(0, 604_800));
        }
        if p.maybe() {
            let mut r = json!({});
            for (field, values) in [
                ("cpu_request", ["250m", "1"]),
                ("memory_request", ["64Mi", "1Gi"]),
                ("cpu_limit", ["500m", "2"]),
                ("memory_limit", ["1Gi", "512Mi"]),
            ] {
                if p.maybe() {
                    r[field] = json!(p.of(&values));
                }
            }
            m["resources"] = r;
        }
        c["migration"] = m;
    }
    c
}

/// `cron_jobs`: one to three, setting a random part of each job's attributes.
fn cron_jobs(p: &mut Pick) -> Json {
    let n = p.range(1, 3);
    Json::Object(
        (0..n)
            .map(|i| {
                let mut j = json!({"schedule": p.of(&["0 3 * * *", "*/15 * * * *", "@daily", "0 9-17 * * MON-FRI"])});
                if p.maybe() {
                    j["time_zone"] = json!(p.of(&["Europe/Paris", "UTC", "America/New_York"]));
                }
                if p.maybe() {
                    j["command"] = p.words("/bin/job-");
                }
                if p.maybe() {
                    j["args"] = p.words("--job-");
                }
                if p.maybe() {
                    j["concurrency_policy"] = json!(p.of(&["Allow", "Forbid", "Replace"]));
                }
                if p.maybe() {
                    j["suspend"] = json!(p.maybe());
                }
                for (field, lo, hi) in [
                    ("backoff_limit", 0, 100),
                    ("active_deadline_seconds", 1, 604_800),
                    ("starting_deadline_seconds", 1, 86_400),
                    ("successful_jobs_history_limit", 0, 100),
                    ("failed_jobs_history_limit", 0, 100),
                ] {
                    if p.maybe() {
                        j[field] = json!(p.range(lo, hi));
                    }
                }
                (format!("j{i}{}", p.word()), j)
            })
            .collect(),
    )
}

/// `ingress.graceful_shutdown` (defaults, off, or some settings), and no grace period it does not outlast.
fn graceful_shutdown(p: &mut Pick, ingress: &mut Json, c: &mut Json) {
    let mut g = json!({});
    match p.range(0, 2) {
        0 => {}
        1 => g["enabled"] = json!(false),
        _ => {
            if p.maybe() {
                g["enabled"] = json!(true);
            }
            if p.maybe() {
                g["deregistration_delay_seconds"] = json!(p.range(0, 600));
            }
            if p.maybe() {
                g["pre_stop_sleep_seconds"] = json!(p.range(1, 600));
            }
            if p.maybe() {
                g["pre_stop"] = json!(p.of(&["sleep", "exec"]));
            }
        }
    }
    let delay = g["deregistration_delay_seconds"].as_i64().unwrap_or(30);
    let sleep = g["pre_stop_sleep_seconds"].as_i64().unwrap_or(delay + 10);
    if g["enabled"] != json!(false)
        && c["termination_grace_period_seconds"]
            .as_i64()
            .is_some_and(|grace| grace <= sleep.max(delay))
        && let Some(config) = c.as_object_mut()
    {
        config.remove("termination_grace_period_seconds");
    }
    if g != json!({}) || p.maybe() {
        ingress["graceful_shutdown"] = g;
    }
}

/// `autoscaling.metrics`: one or two of each type, with the targets each type takes.
fn metrics(p: &mut Pick) -> Json {
    let n = p.range(1, 2);
    let list: Vec<Json> = (0..n)
        .map(|_| {
            let kind = p.of(&["pods", "object", "external"]);
            let mut m = json!({"type": kind, "name": format!("m_{}", p.word())});
            if p.maybe() {
                m["selector"] = p.map(|p| format!("s{}", p.word()), Pick::word);
            }
            let quantity = p.of(&["30", "500m", "2k"]);
            if kind == "pods" || p.maybe() {
                m["average_value"] = json!(quantity);
            } else {
                m["value"] = json!(quantity);
            }
            if kind == "object" {
                m["described_object"] =
                    json!({"api_version": "networking.k8s.io/v1", "kind": "Ingress", "name": format!("i{}", p.word())});
            }
            m
        })
        .collect();
    json!(list)
}

/// The configuration as the reverse render gives it back: the lossy forms, each with why.
fn canonical(mut app: AppModel) -> AppModel {
    let hub = app.hub_pod_defaults();
    pod_defaults_canonical(&mut app);
    // Without config there is no ConfigMap: its name and mount path are nowhere.
    if super::super::model::known(&app.config).is_empty() {
        app.config_map_name = Tf::Null;
        app.config_mount_path = Tf::Null;
    }
    // Without a Secret its name is nowhere.
    if super::super::model::known(&app.secret_env).is_empty() && app.secret_env_wo_version.is_null() {
        app.secret_name = Tf::Null;
    }
    let port = app.port.value();
    let numbers: std::collections::BTreeMap<String, i64> = app
        .ports
        .get()
        .into_iter()
        .flatten()
        .filter_map(|(name, p)| Some((name.clone(), p.get()?.port.value()?)))
        .collect();
    for probe in [&mut app.liveness, &mut app.readiness, &mut app.startup] {
        if let Some(p) = probe.get_mut() {
            // `http` is the default port; a gRPC probe holds the named port's number.
            if p.port_name.as_deref() == Some("http") {
                p.port_name = Tf::Null;
                if p.grpc.value() == Some(true) {
                    p.port = Tf::from_option(port);
                }
            }
            if p.grpc.value() == Some(true)
                && let Some(name) = p.port_name.get().cloned()
            {
                p.port = Tf::from_option(numbers.get(&name).copied());
                p.port_name = Tf::Null;
            }
            // Only the kind that wins is rendered; exec has no port; gRPC's default port is the app's.
            if !p.exec.is_null() || p.grpc.value() == Some(true) && p.port.value() == port {
                p.port = Tf::Null;
            }
        }
        if hub && probe.get().is_some_and(|p| *p == super::super::model::Probe::default()) {
            *probe = Tf::Null;
        }
    }
    // A disabled Service renders nothing: its settings read back as their defaults.
    if let Some(s) = app.service.get_mut()
        && s.enabled.value() == Some(false)
    {
        *s = Service {
            enabled: Tf::Known(false),
            kind: Tf::Known("ClusterIP".into()),
            port: Tf::Known(80),
            ..Service::default()
        };
    }
    let readiness_path = app
        .readiness
        .get()
        .and_then(|r| r.http_path.as_deref())
        .unwrap_or("/ready")
        .to_owned();
    if let Some(ports) = app.ports.get_mut() {
        for p in ports.values_mut().filter_map(Tf::get_mut) {
            // A Service port numbered like the container port is the default.
            if p.service_port.value() == p.port.value() {
                p.service_port = Tf::Null;
            }
        }
    }
    if let Some(volumes) = app.volumes.get_mut() {
        for v in volumes.values_mut().filter_map(Tf::get_mut) {
            for o in [v.secret.get_mut(), v.config_map.get_mut()].into_iter().flatten() {
                // Modes read back as four octal digits.
                if let Some(m) = o.default_mode.get_mut() {
                    let digits = m.strip_prefix("0o").unwrap_or(m);
                    *m = format!("{:04o}", i64::from_str_radix(digits, 8).unwrap_or_default());
                }
            }
            // What destroy does with a claim is in no object: an import keeps it (the default).
            if let Some(c) = v.claim.get_mut() {
                c.retain_on_destroy = Tf::Known(true);
            }
        }
    }
    if let Some(i) = app.ingress.get_mut() {
        if i.port_name.as_deref() == Some("http") {
            i.port_name = Tf::Null;
        }
        // With a certificate the redirect is on unless turned off: `true` is the default.
        if i.ssl_redirect.value() == Some(true) {
            i.ssl_redirect = Tf::Null;
        }
        if i.health_check_path.as_deref() == Some(readiness_path.as_str()) {
            i.health_check_path = Tf::Null;
        }
    }
    if let Some(sa) = app.service_account.get_mut()
        && sa.create.value() == Some(false)
    {
        // The role of an account hub does not create is only inside the pod template's checksum.
        sa.irsa = Tf::Null;
    }
    let default_account = ServiceAccount {
        create: Tf::Known(true),
        ..ServiceAccount::default()
    };
    if app.service_account.get() == Some(&default_account) {
        app.service_account = Tf::Null;
    }
    let (command, args) = (app.command.clone(), app.args.clone());
    for j in app
        .cron_jobs
        .get_mut()
        .into_iter()
        .flat_map(|m| m.values_mut())
        .filter_map(Tf::get_mut)
    {
        // A job's command or arguments equal to the app's are what it runs by default.
        let same = |list: &Tf<Vec<Tf<String>>>, app: &Tf<Vec<String>>| {
            list.get()
                .map(|l| l.iter().filter_map(Tf::get).cloned().collect::<Vec<_>>())
                == app.get().cloned()
        };
        if same(&j.command, &command) {
            j.command = Tf::Null;
        }
        if same(&j.args, &args) {
            j.args = Tf::Null;
        }
    }
    // An init container's security settings equal to the app container's are the default.
    // Without hub's defaults an init container's settings are its own.
    let main = if hub {
        render::container_security(&app)
    } else {
        super::super::model::ContainerSecurity::default()
    };
    for c in init_containers_mut(&mut app.init_containers) {
        if let Some(s) = c.security.get_mut() {
            for (mine, theirs) in [
                (&mut s.run_as_user, &main.run_as_user),
                (&mut s.run_as_group, &main.run_as_group),
            ] {
                if *mine == *theirs {
                    *mine = Tf::Null;
                }
            }
            for (mine, theirs) in [
                (&mut s.read_only_root_filesystem, &main.read_only_root_filesystem),
                (&mut s.allow_privilege_escalation, &main.allow_privilege_escalation),
            ] {
                if *mine == *theirs {
                    *mine = Tf::Null;
                }
            }
        }
        if c.security.get() == Some(&super::super::model::ContainerSecurity::default()) {
            c.security = Tf::Null;
        }
    }
    if let Some(rbac) = app.rbac.get_mut() {
        // Generated rules never use `*`: the setting that allows it reads back off.
        rbac.allow_wildcards = Tf::Known(false);
    }
    app
}

/// The known init containers.
fn init_containers_mut(
    list: &mut Tf<Vec<Tf<super::super::model::InitContainer>>>,
) -> impl Iterator<Item = &mut super::super::model::InitContainer> {
    list.get_mut().into_iter().flatten().filter_map(Tf::get_mut)
}

/// What reads back in another form with hub's pod defaults (settings equal to them) or without them
/// (empty blocks, which render nothing).
fn pod_defaults_canonical(app: &mut AppModel) {
    if app.port_name.as_deref() == Some("http") {
        app.port_name = Tf::Null;
    }
    if app.unnamed_port.value() == Some(false) {
        app.unnamed_port = Tf::Null;
    }
    // The app's own port, unnamed, is what a probe without a port checks.
    if app.port_name().is_empty() {
        let own = app.port.value().unwrap_or(8080);
        for probe in [&mut app.liveness, &mut app.readiness, &mut app.startup] {
            if let Some(p) = probe.get_mut()
                && p.grpc.value() != Some(true)
                && p.port.value() == Some(own)
            {
                p.port = Tf::Null;
            }
        }
    }
    use super::super::model::{Resources, Security};
    use super::super::pod_defaults::{hub_pod_security_context, pod_security_context};
    if app.pod_defaults.as_deref() == Some("hub") {
        app.pod_defaults = Tf::Null;
    }
    if app.hub_pod_defaults() {
        if let Some(s) = app.security.get_mut() {
            let user = s.run_as_user.value().unwrap_or(10001);
            if s.run_as_non_root.value() == Some(user != 0) {
                s.run_as_non_root = Tf::Null;
            }
            if s.capabilities_drop
                .get()
                .is_some_and(|d| *d == [Tf::Known("ALL".to_owned())])
            {
                s.capabilities_drop = Tf::Null;
            }
            if s.seccomp_profile.as_deref() == Some("RuntimeDefault") {
                s.seccomp_profile = Tf::Null;
            }
        }
        if !app.pod_security.is_null() && pod_security_context(app) == Some(hub_pod_security_context(app)) {
            app.pod_security = Tf::Null;
        }
        return;
    }
    if app.security.get() == Some(&Security::default()) {
        app.security = Tf::Null;
    }
    if app.resources.get() == Some(&Resources::default()) {
        app.resources = Tf::Null;
    }
    if app.zone_spread.as_deref() == Some("none") {
        app.zone_spread = Tf::Null;
    }
    if app.probes_enabled.value() == Some(false) {
        app.probes_enabled = Tf::Known(true);
        for probe in [&mut app.liveness, &mut app.readiness, &mut app.startup] {
            *probe = Tf::Null;
        }
    }
    // `readOnly: false` is never rendered, nor a sidecar's `false`.
    let unset_false = |m: &mut Tf<Vec<Tf<super::super::model::VolumeMount>>>| {
        for m in m.get_mut().into_iter().flatten().filter_map(Tf::get_mut) {
            if m.read_only.value() == Some(false) {
                m.read_only = Tf::Null;
            }
        }
    };
    unset_false(&mut app.volume_mounts);
    for c in init_containers_mut(&mut app.init_containers) {
        if c.resources.get() == Some(&Resources::default()) {
            c.resources = Tf::Null;
        }
        unset_false(&mut c.volume_mounts);
        if c.sidecar.value() == Some(false) {
            c.sidecar = Tf::Null;
        }
    }
    for v in app
        .volumes
        .get_mut()
        .into_iter()
        .flat_map(|v| v.values_mut())
        .filter_map(Tf::get_mut)
    {
        if let Some(c) = v.persistent_volume_claim.get_mut()
            && c.read_only.value() == Some(false)
        {
            c.read_only = Tf::Null;
        }
    }
}

/// `app` as a schema value, with the unreadable and computed attributes null.
fn comparable(app: &AppModel) -> Value {
    let schema = schema();
    let mut value = to_value(app, &schema.implied_type()).expect("fits");
    let computed: Vec<&str> = DERIVED.iter().flat_map(|g| g.attributes.iter().copied()).collect();
    for (attr, _) in UNREADABLE.iter().filter(|(a, _)| !a.contains('.')) {
        *value.attr_mut(attr).expect("an attribute") = Value::Null;
    }
    for attr in computed {
        *value.attr_mut(attr).expect("an attribute") = Value::Null;
    }
    value
}

fn errors(config: &AppModel) -> Vec<String> {
    let mut diags = Diagnostics::new();
    super::super::check_configuration(config, &mut diags);
    diags
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

/// Attributes that are maps of nested objects, by user-chosen key.
const NESTED_MAPS: &[&str] = &[
    "ports",
    "volumes",
    "env_from_secret",
    "env_from_config_map",
    "cron_jobs",
];
/// Attributes that are maps of strings (`annotations` too, wherever they are).
const STRING_MAPS: &[&str] = &["labels", "pod_selector", "env", "config", "node_selector", "items"];

/// Dotted paths of the attributes a generated configuration sets (nested objects and list elements).
fn set_paths(prefix: &str, config: &Json, out: &mut BTreeSet<String>) {
    let Some(object) = config.as_object() else { return };
    for (k, v) in object {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            // Maps of objects: each element's attributes sit at the map's path.
            Json::Object(elements) if NESTED_MAPS.contains(&k.as_str()) => {
                for element in elements.values() {
                    set_paths(&path, element, out);
                }
            }
            Json::Object(_) if !path.contains("annotations") && !STRING_MAPS.contains(&k.as_str()) => {
                set_paths(&path, v, out);
            }
            Json::Array(items) if items.iter().all(Json::is_object) => {
                for item in items {
                    set_paths(&path, item, out);
                }
            }
            _ => {}
        }
        out.insert(path);
    }
}

/// Dotted paths of every attribute a configuration can set, except the unreadable ones.
fn readable_paths(prefix: &str, attrs: &[Attribute], out: &mut BTreeSet<String>) {
    for a in attrs {
        let path = if prefix.is_empty() {
            a.name.clone()
        } else {
            format!("{prefix}.{}", a.name)
        };
        if a.presence == Presence::Computed || UNREADABLE.iter().any(|(u, _)| *u == path) {
            continue;
        }
        if let AttributeKind::Nested(_, children) = &a.kind {
            readable_paths(&path, children, out);
        }
        out.insert(path);
    }
}

#[test]
fn render_then_reverse_gives_back_the_configuration() {
    let seen = Mutex::new(BTreeSet::new());
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    let choices = proptest::collection::vec(any::<u32>(), 800);
    let result = runner.run(&choices, |choices| {
        let generated = generate(&mut Pick(choices.iter()));
        set_paths("", &generated, &mut seen.lock().expect("not poisoned"));
        let (config, planned) = config_and_plan(&generated);
        let refused = errors(&config);
        prop_assert!(
            refused.is_empty(),
            "the generator made an invalid configuration {generated}: {refused:?}"
        );
        let back = reverse(&live(&planned, &config));
        prop_assert_eq!(
            comparable(&back),
            comparable(&canonical(planned.clone())),
            "configuration {}",
            generated
        );
        // What the plan of the configuration renders and derives, the import derives too (secrets: their keys).
        let rendered = super::super::reconcile::rendered(&planned, &config, 1);
        prop_assert_eq!(back.rendered.get(), Some(&rendered), "configuration {}", generated);
        prop_assert_eq!(back.selector.get(), Some(&render::selector(&planned)));
        let account = planned.service_account_name();
        prop_assert_eq!(back.service_account_name.as_deref(), Some(account.as_str()));
        let id = format!("{}/{}", planned.namespace(), planned.name());
        prop_assert_eq!(back.id.as_deref(), Some(id.as_str()));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The generator must reach every readable attribute, so a new one cannot be left out of it.
    let mut readable = BTreeSet::new();
    readable_paths("", &schema().block.attributes, &mut readable);
    let seen = seen.into_inner().expect("not poisoned");
    let missing: Vec<&String> = readable.difference(&seen).collect();
    assert!(missing.is_empty(), "the generator never sets {missing:?}");
}

#[test]
fn every_attribute_is_read_back_or_named_unreadable() {
    let schema = schema();
    let claims: Vec<&str> = GROUPS
        .iter()
        .chain(DERIVED)
        .flat_map(|g| g.attributes.iter().copied())
        .chain(UNREADABLE.iter().map(|(a, _)| *a).filter(|a| !a.contains('.')))
        .collect();
    for attr in &schema.block.attributes {
        let n = claims.iter().filter(|c| **c == attr.name).count();
        assert_eq!(
            n,
            1,
            "{} is claimed {n} times (groups: {:?}): add it to one reverse group (reverse/mod.rs) or to UNREADABLE with its reason",
            attr.name,
            GROUPS
                .iter()
                .chain(DERIVED)
                .filter(|g| g.attributes.contains(&attr.name.as_str()))
                .map(|g| g.name)
                .collect::<Vec<_>>()
        );
    }
    for claim in claims {
        assert!(
            schema.block.attributes.iter().any(|a| a.name == claim),
            "{claim} is not an attribute of hub_app"
        );
    }
    let mut all = BTreeSet::new();
    readable_paths("", &schema.block.attributes, &mut all);
    for (attr, reason) in UNREADABLE {
        assert!(!reason.is_empty(), "{attr} needs a reason");
        if let Some((parent, _)) = attr.split_once('.') {
            assert!(all.contains(parent), "{attr} is not a nested attribute of hub_app");
        }
    }
}

#[test]
fn secret_values_never_reach_the_import() {
    let config = json!({"name": "api", "namespace": "prod", "image": "x:1",
        "secret_env": {"DB_PASSWORD": "hunter2"}, "secret_env_wo": {"TOKEN": "wo-s3cret"}, "secret_env_wo_version": 1});
    let (config, planned) = config_and_plan(&config);
    let back = reverse(&live(&planned, &config));
    let text = format!("{back:?}");
    assert!(!text.contains("hunter2") && !text.contains("wo-s3cret"), "{text}");
    let secret = &back.rendered.get().expect("rendered")["Secret/api-secret"];
    assert!(
        secret.contains("DB_PASSWORD") && secret.contains(render::MASKED),
        "{secret}"
    );
    assert!(back.secret_env.is_null() && back.secret_env_wo.is_null());
}

#[test]
fn fields_the_api_server_defaults_are_not_settings() {
    let config = json!({"name": "api", "namespace": "prod", "image": "x:1", "service": {"type": "NodePort"},
        "autoscaling": {"min_replicas": 1, "max_replicas": 3, "cpu_percent": 50}});
    let (config, planned) = config_and_plan(&config);
    let mut objects: Vec<(String, Json)> = render::objects(&planned, &config, 0)
        .into_iter()
        .map(|o| (o.manifest["kind"].as_str().unwrap_or_default().to_owned(), o.manifest))
        .collect();
    // As a cluster returns them: hub's fields owned by its manager, defaults and allocations by nobody.
    for (kind, object) in &mut objects {
        let owned = match kind.as_str() {
            "Service" => json!({"f:spec": {"f:ports": {"k:{\"port\":80,\"protocol\":\"TCP\"}": {"f:port": {}}}}}),
            "HorizontalPodAutoscaler" => {
                json!({"f:spec": {"f:behavior": {"f:scaleDown": {"f:stabilizationWindowSeconds": {}}}}})
            }
            _ => json!({"f:spec": {}}),
        };
        object["metadata"]["managedFields"] = json!([{"manager": "hub", "fieldsV1": owned}]);
        match kind.as_str() {
            "Service" => object["spec"]["ports"][0]["nodePort"] = json!(31234),
            "HorizontalPodAutoscaler" => {
                object["spec"]["behavior"]["scaleDown"]["policies"] =
                    json!([{"type": "Percent", "value": 100, "periodSeconds": 15}]);
                object["spec"]["behavior"]["scaleDown"]["selectPolicy"] = json!("Max");
            }
            "Deployment" => {
                object["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["periodSeconds"] = json!(10);
                object["metadata"]["annotations"] = json!({"deployment.kubernetes.io/revision": "3"});
            }
            _ => {}
        }
    }
    let back = reverse(&Live::new("api", "prod", objects));
    assert_eq!(comparable(&back), comparable(&canonical(planned)));
}

#[test]
fn an_object_another_tool_made_is_recorded_whole() {
    let (config, planned) = config_and_plan(&json!({"name": "api", "namespace": "prod", "image": "x:1"}));
    let objects = render::objects(&planned, &config, 0).into_iter().map(|o| {
        let kind = o.manifest["kind"].as_str().unwrap_or_default().to_owned();
        let mut manifest = o.manifest;
        if kind == "Service" {
            manifest["spec"]["selector"]["app"] = json!("api");
            manifest["metadata"]["managedFields"] =
                json!([{"manager": "kubectl-client-side-apply", "operation": "Update", "fieldsV1": {"f:spec": {}}}]);
        }
        (kind, manifest)
    });
    let back = reverse(&Live::new("api", "prod", objects));
    let rendered = back.rendered.get().expect("rendered");
    // The plan then shows the selector key the first apply removes.
    assert!(
        rendered["Service/api"].contains("\"app\":\"api\""),
        "{}",
        rendered["Service/api"]
    );
    assert!(!rendered["Service/api"].contains("managedFields"));
    assert!(!rendered["Deployment/api"].contains("\"app\":\"api\""));
}
