//! What users write for `hub_app`: one application with safe defaults (restricted security context, seed
//! probe paths, zone spreading, rollout waiting), every object optional where it makes sense.

use crate::schema::{Attribute, Block, Nesting, Schema, validators};
use crate::value::{Type, Value};

fn quantity(name: &str, what: &str) -> Attribute {
    Attribute::string(name)
        .validate(validators::quantity())
        .description(what)
}

fn int(name: &str, min: i64, max: i64, what: &str) -> Attribute {
    Attribute::number(name)
        .validate(validators::int_between(min, max))
        .description(what)
}

fn probe(name: &str, path: &str, what: &str) -> Attribute {
    Attribute::nested(
        name,
        Nesting::Single,
        vec![
            Attribute::string("http_path").description("HTTP GET path (the default kind)."),
            Attribute::bool("tcp").description("Check that the port accepts TCP connections instead."),
            Attribute::string_list("exec").description("Run this command in the container instead."),
            Attribute::bool("grpc").description("Use the gRPC health protocol on the port instead."),
            int("port", 1, 65535, "Port (default: the app's `port`)."),
            Attribute::string("port_name").description("Check this named port instead (`http` or a key of `ports`); not with `port`. A gRPC probe gets the port's number."),
            int("initial_delay_seconds", 0, 3600, "Delay before the first check."),
            int("period_seconds", 1, 3600, "Seconds between checks."),
            int("timeout_seconds", 1, 3600, "Timeout of one check."),
            int("failure_threshold", 1, 1000, "Failures before the probe fails."),
        ],
    )
    .description(format!("{what} Default: HTTP GET `{path}` on the app's port. Set `exec`, `grpc`, `tcp` or `http_path` to choose the kind (in that order of precedence); `probes_enabled = false` turns every probe off."))
}

/// A container's requests and limits, with the same defaults for the app's container and its init containers.
pub(super) fn resources() -> Attribute {
    Attribute::nested(
        "resources",
        Nesting::Single,
        vec![
            quantity("cpu_request", "CPU request, e.g. `250m`.").default_value("100m"),
            quantity("memory_request", "Memory request, e.g. `256Mi`.").default_value("128Mi"),
            quantity("cpu_limit", "CPU limit (none by default: CPU limits throttle)."),
            quantity("memory_limit", "Memory limit.").default_value("256Mi"),
        ],
    )
    .default_value(Value::object([
        ("cpu_request", Value::string("100m")),
        ("memory_request", Value::string("128Mi")),
        ("cpu_limit", Value::Null),
        ("memory_limit", Value::string("256Mi")),
    ]))
    .description("Container requests and limits.")
}

/// Mounts of `volumes` in a container (the app's or an init container), in the order written.
pub(super) fn volume_mounts(volume: &str, taken: &str) -> Attribute {
    let string = Attribute::string;
    Attribute::nested(
        "volume_mounts",
        Nesting::List,
        vec![
            string("volume").required().description(volume),
            string("mount_path").required().description(format!(
                "Absolute path in the container, e.g. `/var/lib/app`; each path once ({taken})."
            )),
            Attribute::bool("read_only").default_value(false).description(
                "Mount read-only. Secret, ConfigMap and Secrets Store volumes are read-only whatever this says.",
            ),
            string("sub_path").description("Mount this relative path inside the volume instead of its root."),
        ],
    )
}

/// `behavior.scaleDown/scaleUp.policies` of the HPA.
fn scaling_policies(name: &str, verb: &str, percent_max: u32) -> Attribute {
    Attribute::nested(
        name,
        Nesting::List,
        vec![
            Attribute::string("type").required().validate(validators::one_of(&["Pods", "Percent"])).description("`Pods` (a number of pods) or `Percent` (of the current replicas)."),
            int("value", 1, 10000, "How many pods, or what percentage, may change per period.").required(),
            int("period_seconds", 1, 1800, "The period the value applies to, in seconds.").required(),
        ],
    )
    .description(format!("How fast the HPA may {verb} pods, e.g. `[{{ type = \"Percent\", value = 10, period_seconds = 60 }}]` (`Percent` at most {percent_max}). Null: the Kubernetes defaults. Which policy wins when several apply: the select policy."))
}

/// `behavior.scaleDown/scaleUp.selectPolicy` of the HPA.
fn select_policy(name: &str, direction: &str) -> Attribute {
    Attribute::string(name)
        .validate(validators::one_of(&["Max", "Min", "Disabled"]))
        .description(format!("Which policy applies when scaling {direction}: `Max` (the one allowing the largest change, the Kubernetes default), `Min` (the smallest) or `Disabled` (never scale {direction})."))
}

/// App-scoped RBAC: a Role and a RoleBinding for the pods' service account.
fn rbac() -> Attribute {
    let strings = Attribute::string_list;
    Attribute::nested(
        "rbac",
        Nesting::Single,
        vec![
            Attribute::nested(
                "rules",
                Nesting::List,
                vec![
                    strings("api_groups").required().description("API groups, e.g. `[\"\"]` for the core group."),
                    strings("resources").required().description("Resources, e.g. `[\"configmaps\", \"secrets\"]`."),
                    strings("verbs").required().description("Verbs, e.g. `[\"get\", \"list\", \"watch\"]`."),
                    strings("resource_names").description("Only these objects (null: every object of the resources)."),
                ],
            )
            .required()
            .description("The Role's rules, in the app's namespace only."),
            Attribute::bool("allow_wildcards").default_value(false).description("Allow `*` in `api_groups`, `resources` and `verbs`. Off: a `*` is refused, since it grants everything, also what later Kubernetes versions add."),
        ],
    )
    .description("A Role (named after the app) with these rules and a RoleBinding (named after the app) that grants it to the pods' service account, in the app's namespace. Null: none. The pods call the Kubernetes API with the account's token, so set `security.automount_service_account_token = true` too. The identity running Terraform needs the `bind` and `escalate` verbs on roles to grant what it does not hold itself (see the permissions page).")
}

/// `env_from_secret` / `env_from_config_map`: single keys of objects hub does not own.
fn key_refs(name: &str, kind: &str, field: &str, example: &str) -> Attribute {
    Attribute::nested(
        name,
        Nesting::Map,
        vec![
            Attribute::string("name").required().description(format!("Name of the {kind}, in the app's namespace.")),
            Attribute::string("key").required().description(format!("Key in the {kind}.")),
            Attribute::bool("optional").default_value(false).description(format!("Start the pods even when the {kind} or the key is missing (the variable is then unset). Off: the pods wait in `CreateContainerConfigError` until it exists.")),
        ],
    )
    .description(format!("Environment variables read from single keys of {kind}s that hub does not own (made by an ExternalSecret, another team or a script), by variable name, e.g. `{{ {example} }}` (`{field}`). hub never reads, stores or shows their values: the kubelet reads them when it starts a pod. They come before `env` in the container, so `env` values can use them as `$(NAME)`. A variable name may come from only one of `env`, `secret_env`, `secret_env_wo`, `config`, `env_from_secret` and `env_from_config_map`. A change of the {kind}'s value does not roll the pods (hub does not see it); changing this attribute does."))
}

/// `env_from`: whole objects hub does not own.
fn env_from() -> Attribute {
    Attribute::nested(
        "env_from",
        Nesting::List,
        vec![
            Attribute::string("secret").description("Name of a Secret whose every key becomes an environment variable."),
            Attribute::string("config_map").description("Name of a ConfigMap whose every key becomes an environment variable."),
            Attribute::string("prefix").description("Prefix added to every variable name from this object, e.g. `DB_`."),
            Attribute::bool("optional").default_value(false).description("Start the pods even when the object is missing. Off: the pods wait in `CreateContainerConfigError` until it exists."),
        ],
    )
    .description("Whole Secrets or ConfigMaps that hub does not own, as environment variables (`envFrom`), each entry naming exactly one of `secret` and `config_map`, e.g. `[{ secret = \"db\" }, { config_map = \"flags\", prefix = \"FLAG_\" }]`. hub never reads them, so it cannot see their keys: a key that is also set by another attribute loses to it (Kubernetes lets `env` win over `envFrom`, and these entries come before the app's own ConfigMap and Secret), and keys that are not valid variable names are skipped by the kubelet. A change of their values does not roll the pods; changing this attribute does. With `pod_defaults = \"none\"` the app's own ConfigMap and Secret are read only through entries here, in the order written.")
}

/// `cron_jobs`: the app's pod on a schedule.
fn cron_jobs() -> Attribute {
    let string = Attribute::string;
    Attribute::nested(
        "cron_jobs",
        Nesting::Map,
        vec![
            string("schedule").required().description("When to run, as a standard cron schedule (minute hour day-of-month month day-of-week, e.g. `\"0 3 * * *\"`) or a macro (`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`), in `time_zone`."),
            string("time_zone").description("IANA time zone of the schedule, e.g. `Europe/Paris`; null: the cluster's (UTC on EKS)."),
            Attribute::string_list("command").description("The job's command; null: the app's `command` (the image's entrypoint when that is null too)."),
            Attribute::string_list("args").description("The job's arguments; null: the app's `args`."),
            string("concurrency_policy").default_value("Forbid").validate(validators::one_of(&["Allow", "Forbid", "Replace"])).description("When a run is due while the last one still runs: `Forbid` (skip the new one), `Replace` (stop the old one) or `Allow` (run both)."),
            Attribute::bool("suspend").default_value(false).description("Pause the schedule: no new runs start; a running one finishes."),
            int("backoff_limit", 0, 100, "Retries of a failed run before the run counts as failed.").default_value(0i64),
            int("active_deadline_seconds", 1, 604_800, "Stop a run that takes longer than this; null: no limit."),
            int("starting_deadline_seconds", 1, 86_400, "Skip a run that could not start within this many seconds of its time (a controller outage); null: no limit."),
            int("successful_jobs_history_limit", 0, 100, "Finished runs kept, with their pods and logs.").default_value(3i64),
            int("failed_jobs_history_limit", 0, 100, "Failed runs kept, with their pods and logs.").default_value(1i64),
        ],
    )
    .description("Scheduled work that runs the app's own pod (image, environment, Secrets, volumes, service account and IRSA role, security context) with its own command, by name (a DNS label), e.g. `{ nightly-report = { schedule = \"0 3 * * *\", command = [\"bin/report\"] } }`: a CronJob named `<name>-<key>` (at most 52 characters). Its pods have no probes and restart policy `Never`, and are not the app's pods for its Service, disruption budget and spreading (their `app.kubernetes.io/instance` label is `<name>-<key>`).")
}

/// `node_affinity`: required and preferred node selector terms.
fn node_affinity() -> Attribute {
    let expressions = || {
        Attribute::nested(
            "match_expressions",
            Nesting::List,
            vec![
                Attribute::string("key").required().description("Node label key, e.g. `karpenter.sh/capacity-type`."),
                Attribute::string("operator").required().validate(validators::one_of(&["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"])).description("`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`."),
                Attribute::string_list("values").description("Values: at least one for `In` and `NotIn`, none for `Exists` and `DoesNotExist`, one whole number for `Gt` and `Lt`."),
            ],
        )
        .required()
        .description("Label requirements, all of which must hold.")
    };
    Attribute::nested(
        "node_affinity",
        Nesting::Single,
        vec![
            Attribute::nested("required", Nesting::List, vec![expressions()])
                .description("Terms of which a node must match at least one for a pod to be scheduled on it (`requiredDuringSchedulingIgnoredDuringExecution`)."),
            Attribute::nested(
                "preferred",
                Nesting::List,
                vec![
                    int("weight", 1, 100, "Weight of the term, 1 to 100.").required(),
                    expressions(),
                ],
            )
            .description("Weighted terms that make a node preferred (`preferredDuringSchedulingIgnoredDuringExecution`)."),
        ],
    )
    .description("Node affinity, e.g. `{ required = [{ match_expressions = [{ key = \"kubernetes.io/arch\", operator = \"In\", values = [\"arm64\"] }] }] }`. Combines with `node_selector` (both must hold). Null: none.")
}

/// `volumes`: pod volumes by name, each with exactly one source.
fn volumes() -> Attribute {
    let string = Attribute::string;
    let object_volume = |kind: &str| {
        Attribute::nested(
            if kind == "Secret" { "secret" } else { "config_map" },
            Nesting::Single,
            vec![
                string("name").required().description(format!("Name of the {kind}, in the app's namespace.")),
                Attribute::string_map("items").description("Only these keys, each as the file at the given relative path (`{ \"tls.crt\" = \"certs/tls.crt\" }`); null: every key, as a file named after it."),
                string("default_mode").description("File mode of the files, in octal as a string, from `\"0000\"` to `\"0777\"`, e.g. `\"0440\"` (HCL has no octal numbers; default 0644). The files belong to the pods' group (`security.run_as_group`)."),
                Attribute::bool("optional").default_value(false).description(format!("Start the pods even when the {kind} is missing (the directory is empty). Off: the pods wait in `ContainerCreating` until it exists.")),
            ],
        )
        .description(format!("Files from a {kind} hub does not own; hub never reads it."))
    };
    Attribute::nested(
        "volumes",
        Nesting::Map,
        vec![
            object_volume("Secret"),
            object_volume("ConfigMap"),
            Attribute::nested(
                "empty_dir",
                Nesting::Single,
                vec![
                    quantity("size_limit", "Most it may hold, e.g. `1Gi`; the pod is evicted beyond it."),
                    string("medium").validate(validators::one_of(&["Memory"])).description("`Memory` (tmpfs, counted against the container's memory limit); null: the node's disk."),
                ],
            )
            .description("A scratch directory that lives as long as the pod."),
            Attribute::nested(
                "persistent_volume_claim",
                Nesting::Single,
                vec![
                    string("claim_name").required().description("Name of an existing PersistentVolumeClaim in the app's namespace, which hub does not own."),
                    Attribute::bool("read_only").default_value(false).description("Mount it read-only."),
                ],
            )
            .description("An existing PersistentVolumeClaim that hub neither creates nor deletes."),
            Attribute::nested(
                "secrets_store",
                Nesting::Single,
                vec![
                    string("secret_provider_class").required().description("Name of the SecretProviderClass (in the app's namespace) that says which secrets to mount, e.g. from AWS Secrets Manager."),
                    string("driver").default_value("secrets-store.csi.k8s.io").description("The CSI driver."),
                    Attribute::bool("read_only").default_value(true).description("Mount read-only; the Secrets Store CSI driver mounts nothing else."),
                ],
            )
            .description("Secrets mounted by the Secrets Store CSI driver (how EKS apps mount AWS Secrets Manager and SSM parameters); the pods' service account needs the access, e.g. through `service_account.irsa`."),
            Attribute::nested(
                "claim",
                Nesting::Single,
                vec![
                    string("storage_class").description("StorageClass (null: the cluster's default). Cannot change once created: the plan refuses a change."),
                    quantity("size", "Storage requested, e.g. `10Gi`. It may grow (when the StorageClass allows expansion and the claim is bound); the plan refuses a decrease.").required(),
                    string("access_mode").default_value("ReadWriteOnce").validate(validators::one_of(&["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"])).description("`ReadWriteOnce` (one node), `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod` (one pod). Cannot change once created: the plan refuses a change."),
                    Attribute::bool("retain_on_destroy").default_value(true).description("Keep the claim, and its data, when the app is destroyed or the volume removed from `volumes`: hub then stops managing it and leaves it in place, without its `hub.io/instance` mark (a new app can take it over with `adopt_existing`). False: destroy deletes it with its data. Renaming the app or the volume never deletes a claim: with false, such a plan is refused."),
                ],
            )
            .description("A PersistentVolumeClaim hub creates, named `<app>-<volume>`, shared by every replica. Kept on destroy unless `retain_on_destroy = false`."),
        ],
    )
    .description("Pod volumes by name (a DNS label; `tmp` and `config` are hub's), each with exactly one of `secret`, `config_map`, `empty_dir`, `persistent_volume_claim`, `secrets_store` and `claim`, e.g. `{ data = { claim = { size = \"10Gi\" } }, cache = { empty_dir = { size_limit = \"1Gi\" } } }`. Mount them with `volume_mounts`. All of them are allowed by the `restricted` Pod Security Standard.")
}

pub(super) fn schema() -> Schema {
    let string = Attribute::string;
    Schema::new(Block::new(
        "One application on Kubernetes: Deployment, Service, optional Ingress (AWS Load Balancer Controller), \
         ConfigMap, Secret, HorizontalPodAutoscaler, PodDisruptionBudget, ServiceAccount, an optional Role and RoleBinding, PersistentVolumeClaims and CronJobs, all labelled \
         `app.kubernetes.io/*` and applied with server-side apply. Every object is rendered at plan time into \
         `rendered`, so the plan shows exactly what changes.",
        vec![
            string("name").required().requires_replace().validate(validators::dns1123_label()).description("Application name; names every object."),
            string("namespace").required().requires_replace().validate(validators::dns1123_label()).description("Namespace (must exist)."),
            string("image").required().description("Container image with tag or digest, e.g. `registry/app:1.4.2`."),
            Attribute::string_list("command").description("Entrypoint override."),
            Attribute::string_list("args").description("Arguments."),
            int("port", 1, 65535, "Container port, named `http` (or `port_name`).").default_value(8080i64),
            string("port_name").validate(validators::problem("Port Name", super::ports::iana_svc_name_problem)).description("Name of the app's container port (default `http`), for a Deployment another tool made. The Service targets the port by this name; probes and `ingress.port_name` still call it `http`. Import reads it back when it is not `http`."),
            Attribute::bool("unnamed_port").description("The app's container port has no name, as in a manifest that lists only `containerPort`: the Service and the probes refer to it by number. Not with `port_name`. Import reads it back."),
            Attribute::nested(
                "ports",
                Nesting::Map,
                vec![
                    int("port", 1, 65535, "Container port number.").required(),
                    string("protocol").default_value("TCP").validate(validators::one_of(&["TCP", "UDP", "SCTP"])).description("`TCP`, `UDP` or `SCTP`."),
                    Attribute::bool("service").default_value(false).description("Also expose the port on the app's Service, under the same name."),
                    int("service_port", 1, 65535, "The Service's port number for it (default: `port`); only with `service = true`."),
                ],
            )
            .description("Extra named container ports besides `http` (metrics, gRPC, admin), by name, e.g. `{ metrics = { port = 9090, service = true } }`. A name is an IANA service name: at most 15 characters, lower-case letters, digits and '-', at least one letter, not `http` (the app's `port`). Probes (`port_name`) and the Ingress (`ingress.port_name`) may target them by name. Two ports may share a number only with different protocols."),
            Attribute::string_map("labels").validate(validators::kubernetes_labels(true)).description("Extra labels on every object and the pods."),
            Attribute::string_map("pod_labels").validate(validators::kubernetes_labels(true)).description("Extra labels on the pods only (the pod template), beside `labels` (not with `pod_defaults = \"none\"`) and the selector's. A key may not also be in `labels` or the selector."),
            Attribute::string_map("pod_selector").validate(validators::kubernetes_labels(true)).description("The pods' selector labels, for a Deployment another tool made whose selector is not hub's (a Helm chart's `app.kubernetes.io/instance` names the release): a Deployment's selector cannot change in place, so keeping it adopts the Deployment without replacing it. Import reads it back when it differs from hub's. Null: `app.kubernetes.io/name` and `app.kubernetes.io/instance` set to `name`. The Service, the disruption budget and the spread constraints select the same labels; pass `selector` (the labels in use) to `hub_network_policy.pod_selector`. Changing it replaces the Deployment, as the plan shows."),
            Attribute::string_map("annotations").validate(validators::kubernetes_labels(false)).description("Extra annotations on the Deployment."),
            Attribute::string_map("pod_annotations").validate(validators::kubernetes_labels(false)).description("Extra annotations on the pods."),
            Attribute::string_map("env").description("Plain environment variables."),
            Attribute::string_map("config").description("Entries of the ConfigMap `<name>-config` (or `config_map_name`), passed as environment variables (and as files when `config_mount_path` is set)."),
            string("config_map_name").description("Name of the ConfigMap (default `<name>-config`), for scripts and dashboards that expect an existing name. Renaming creates the new ConfigMap, rolls the pods onto it and deletes the old one."),
            string("config_mount_path").description("Mount the ConfigMap's entries as files here."),
            volumes(),
            volume_mounts("A key of `volumes`.", "`/tmp` and `config_mount_path` are taken")
                .description("Where the container mounts `volumes`, e.g. `[{ volume = \"data\", mount_path = \"/var/lib/app\" }]`. A volume may be mounted several times (with different `sub_path`s)."),
            super::init_containers::attribute(),
            cron_jobs(),
            Attribute::string_map("secret_env").sensitive().description("Entries of the Secret `<name>-secret` (or `secret_name`), passed as environment variables. Stored in state (sensitive); use `secret_env_wo` to keep values out of state. The container also gets `HUB_SECRET_KEYS`, the comma-separated names of these, of `secret_env_wo`'s keys and of `env_from_secret`'s variables (never their values), so the app can redact them; changing a value rolls the pods through the Secret's `hub.io/secret-revision` counter, never through a hash of the values."),
            string("secret_name").description("Name of the Secret (default `<name>-secret`), for scripts that expect an existing name. Renaming creates the new Secret, rolls the pods onto it and deletes the old one; with `secret_env_wo`, bump `secret_env_wo_version` too, so the write-only values reach the new Secret."),
            Attribute::string_map("secret_env_wo").sensitive().write_only().description("Write-only secret entries (Terraform/OpenTofu 1.11+): never stored in state or plan. Bump `secret_env_wo_version` to apply new values."),
            int("secret_env_wo_version", 0, i64::MAX, "Version of `secret_env_wo`; changing it re-applies the Secret and rolls the pods."),
            key_refs("env_from_secret", "Secret", "secretKeyRef", "DB_PASSWORD = { name = \"db\", key = \"password\" }"),
            key_refs("env_from_config_map", "ConfigMap", "configMapKeyRef", "FEATURE_FLAGS = { name = \"flags\", key = \"current\", optional = true }"),
            env_from(),
            resources(),
            Attribute::bool("probes_enabled").default_value(true).description("Set false to run without any probe."),
            probe("liveness", "/health", "Liveness probe."),
            probe("readiness", "/ready", "Readiness probe."),
            probe("startup", "/startup", "Startup probe."),
            Attribute::nested(
                "security",
                Nesting::Single,
                vec![
                    int("run_as_user", 0, i64::from(i32::MAX), "User ID of the container processes. `0` (root) is accepted here and sets `runAsNonRoot = false`: what refuses it is the namespace's Pod Security admission (`hub_namespace` enforces `restricted` by default), not hub.").default_value(10001i64),
                    int("run_as_group", 0, i64::from(i32::MAX), "Group ID of the container processes.").default_value(10001i64),
                    Attribute::bool("read_only_root_filesystem").default_value(true).description("Read-only root filesystem; `/tmp` stays writable."),
                    Attribute::bool("allow_privilege_escalation").default_value(false).description("Allow privilege escalation."),
                    Attribute::bool("automount_service_account_token").default_value(false).description("Mount a Kubernetes API token, for apps that call the Kubernetes API. IRSA does not need it: EKS projects its own `sts.amazonaws.com` token."),
                    Attribute::bool("run_as_non_root").description("`runAsNonRoot` (null: true unless `run_as_user` is 0; with `pod_defaults = \"none\"`, not set)."),
                    Attribute::string_list("capabilities_drop").description("Linux capabilities to drop, e.g. `[\"ALL\"]` (null: `ALL`; with `pod_defaults = \"none\"`, none)."),
                    string("seccomp_profile").validate(validators::one_of(&["RuntimeDefault", "Unconfined"])).description("`seccompProfile.type`: `RuntimeDefault` or `Unconfined` (null: `RuntimeDefault`; with `pod_defaults = \"none\"`, not set)."),
                ],
            )
            .default_value(Value::object([
                ("run_as_user", Value::from(10001i64)),
                ("run_as_group", Value::from(10001i64)),
                ("read_only_root_filesystem", Value::Bool(true)),
                ("allow_privilege_escalation", Value::Bool(false)),
                ("automount_service_account_token", Value::Bool(false)),
                ("run_as_non_root", Value::Null),
                ("capabilities_drop", Value::Null),
                ("seccomp_profile", Value::Null),
            ]))
            .description("The container's security context; the defaults meet the `restricted` Pod Security Standard. hub renders what you set; Pod Security admission in the namespace is what enforces the standard. With `pod_defaults = \"none\"` no default applies: only the fields set are rendered."),
            Attribute::nested(
                "pod_security",
                Nesting::Single,
                vec![
                    int("run_as_user", 0, i64::from(i32::MAX), "`runAsUser` of the pod."),
                    int("run_as_group", 0, i64::from(i32::MAX), "`runAsGroup` of the pod."),
                    Attribute::bool("run_as_non_root").description("`runAsNonRoot` of the pod."),
                    int("fs_group", 0, i64::from(i32::MAX), "`fsGroup`: the group that owns the pod's volumes."),
                    string("seccomp_profile").validate(validators::one_of(&["RuntimeDefault", "Unconfined"])).description("`seccompProfile.type` of the pod: `RuntimeDefault` or `Unconfined`."),
                ],
            )
            .description("The pod's security context, exactly as written (only the fields set). Null: with `pod_defaults = \"hub\"`, hub's restricted one (`runAsNonRoot`, `runAsUser` and `runAsGroup` from `security`, `fsGroup` = `security.run_as_group`, seccomp `RuntimeDefault`); with `\"none\"`, none. Import reads it back when it is not hub's."),
            string("pod_defaults")
                .validate(validators::one_of(&["hub", "none"]))
                .description("What hub adds to the pod template beyond the configuration. `hub` (null): restricted security contexts (`security`'s defaults), a writable `/tmp` (an emptyDir), default probes (HTTP `/health`, `/ready`, `/startup`), `automountServiceAccountToken: false`, the `labels` on the pods, zone spreading, default `resources`, and the `hub.io/config-checksum` annotation that rolls the pods when `config`, the Secret's revision or the IAM role change. `none`: only what the configuration sets (a probe block renders its probe, `{}` the default one; `security`, `resources` and every other pod setting only their set fields, no default planned; the app's own ConfigMap and Secret reach the container only through `env_from`), so a Deployment another tool made is adopted without rolling its pods; import writes it when the live pods lack hub's checksum, and reads a Secret hub did not make as an `env_from` entry (its values cannot be read, so taking it would delete it). With `none`, changing `config` or a secret does not restart the pods: add your own checksum to `pod_annotations` if they read it only at start."),
            string("container_name").validate(validators::dns1123_label()).description("Name of the app's container (default: `name`), for a Deployment another tool made: a container's name cannot change without rolling the pods. Import reads it back when it is not `name`."),
            int("replicas", 0, 10000, "Replicas. Leave it null when `autoscaling` is set (the HPA owns the count); setting both is refused.").default_value(2i64),
            string("max_surge").default_value("25%").description("Rolling update surge (number or percentage)."),
            string("max_unavailable").default_value("0").description("Rolling update unavailability (number or percentage)."),
            string("zone_spread")
                .default_value("topology")
                .validate(validators::one_of(&["topology", "anti_affinity", "none"]))
                .description("Spread pods over zones: `topology` (topologySpreadConstraints, ScheduleAnyway), `anti_affinity` (preferred pod anti-affinity per zone) or `none`."),
            string("node_spread")
                .validate(validators::one_of(&["topology", "anti_affinity", "one_per_node"]))
                .description("Spread pods over nodes as well (null: no rule, the scheduler's default spreading): `topology` (topologySpreadConstraints on `kubernetes.io/hostname`, ScheduleAnyway), `anti_affinity` (preferred pod anti-affinity per node) or `one_per_node` (required pod anti-affinity: never two of the app's pods on one node, so a rollout with `max_surge` needs spare nodes, and pods beyond the node count stay Pending)."),
            node_affinity(),
            Attribute::string_map("node_selector").description("Node selector."),
            Attribute::string_list("image_pull_secrets").description("Names of `kubernetes.io/dockerconfigjson` Secrets in the app's namespace that the kubelet uses to pull `image` from a private registry (`imagePullSecrets`). hub does not read or create them."),
            string("runtime_class_name").description("RuntimeClass of the pods (`runtimeClassName`), e.g. `gvisor`; it must exist in the cluster, or the pods are refused when they are created."),
            Attribute::nested(
                "tolerations",
                Nesting::List,
                vec![
                    string("key").description("Taint key."),
                    string("operator").default_value("Equal").validate(validators::one_of(&["Equal", "Exists"])).description("`Equal` or `Exists`."),
                    string("value").description("Taint value."),
                    string("effect").validate(validators::one_of(&["NoSchedule", "PreferNoSchedule", "NoExecute"])).description("Effect."),
                ],
            )
            .description("Tolerations."),
            string("priority_class_name").description("Priority class."),
            int("termination_grace_period_seconds", 0, 3600, "Seconds a terminating pod has, from its `preStop` hook to SIGKILL. Left null with `ingress.graceful_shutdown` on, the plan sets the longer of its sleep and deregistration delay plus 30.").default_value(30i64),
            Attribute::nested(
                "service",
                Nesting::Single,
                vec![
                    Attribute::bool("enabled").default_value(true).description("Create the Service."),
                    string("type").default_value("ClusterIP").validate(validators::one_of(&["ClusterIP", "NodePort", "LoadBalancer"])).description("Service type."),
                    int("port", 1, 65535, "Service port.").default_value(80i64),
                    int("node_port", 30000, 32767, "A fixed node port for the `http` port (type `NodePort` or `LoadBalancer` only; default: one the cluster picks). Renaming the Service frees the port first: apply deletes the old Service before it creates the new one."),
                    string("name").description("Name of the Service (default: the app name), for scripts and dashboards that expect an existing name; `service_dns` and the Ingress follow it. Renaming creates the new Service and deletes the old one."),
                    Attribute::string_map("annotations").validate(validators::kubernetes_labels(false)).description("Service annotations."),
                ],
            )
            .default_value(Value::object([
                ("enabled", Value::Bool(true)),
                ("type", Value::string("ClusterIP")),
                ("port", Value::from(80i64)),
                ("node_port", Value::Null),
                ("name", Value::Null),
                ("annotations", Value::Null),
            ]))
            .description("The Service in front of the pods (ClusterIP on port 80 by default)."),
            Attribute::nested(
                "ingress",
                Nesting::Single,
                vec![
                    Attribute::string_list("hosts").description("Host names (none: any host)."),
                    string("path").default_value("/").description("Path prefix."),
                    string("class").default_value("alb").description("Ingress class."),
                    string("scheme").default_value("internet-facing").validate(validators::one_of(&["internet-facing", "internal"])).description("ALB scheme."),
                    string("target_type").default_value("ip").validate(validators::one_of(&["ip", "instance"])).description("ALB target type."),
                    string("certificate_arn").description("ACM certificate ARN (enables HTTPS)."),
                    Attribute::bool("ssl_redirect").description("Redirect HTTP to HTTPS (default: on when a certificate is set)."),
                    string("health_check_path").description("ALB health check path (default: the readiness path)."),
                    string("group_name").description("ALB group name to share one load balancer."),
                    Attribute::string_map("annotations").validate(validators::kubernetes_labels(false)).description("Extra annotations."),
                    string("port_name").description("The Service port the Ingress sends traffic to: `http` (the default: the app's `port`, as `service.port`) or a key of `ports` with `service = true`."),
                    super::shutdown::schema(),
                ],
            )
            .description("An Ingress for the AWS Load Balancer Controller. Null: none."),
            Attribute::nested(
                "autoscaling",
                Nesting::Single,
                vec![
                    int("min_replicas", 1, 10000, "Minimum replicas.").required(),
                    int("max_replicas", 1, 10000, "Maximum replicas.").required(),
                    int("cpu_percent", 1, 1000, "Target average CPU utilisation."),
                    int("memory_percent", 1, 1000, "Target average memory utilisation."),
                    int("scale_down_stabilization_seconds", 0, 3600, "Scale-down stabilisation window.").default_value(300i64),
                    int("scale_up_stabilization_seconds", 0, 3600, "Scale-up stabilisation window.").default_value(0i64),
                    scaling_policies("scale_down_policies", "remove", 100),
                    scaling_policies("scale_up_policies", "add", 1000),
                    select_policy("scale_down_select_policy", "down"),
                    select_policy("scale_up_select_policy", "up"),
                    super::metrics::schema(),
                ],
            )
            .description("A HorizontalPodAutoscaler (v2). While set, hub leaves `spec.replicas` to the HPA."),
            Attribute::nested(
                "disruption_budget",
                Nesting::Single,
                vec![string("min_available").description("Minimum available (number or percentage)."), string("max_unavailable").description("Maximum unavailable (number or percentage).")],
            )
            .description("A PodDisruptionBudget. Null: none."),
            Attribute::nested(
                "service_account",
                Nesting::Single,
                vec![
                    Attribute::bool("create").default_value(true).description("Create the ServiceAccount (false: use an existing one)."),
                    string("name").description("Name (default: the app name)."),
                    Attribute::string_map("annotations").validate(validators::kubernetes_labels(false)).description("Extra annotations."),
                    Attribute::nested(
                        "irsa",
                        Nesting::Single,
                        vec![
                            string("namespace").required().description("Namespace the role trusts."),
                            string("service_account").required().description("Service account the role trusts."),
                            string("role_arn").required().description("The role's ARN."),
                            string("mechanism").validate(validators::one_of(&["irsa", "pod_identity"])).description("How the binding gives the role: `irsa` (the default: the `eks.amazonaws.com/role-arn` annotation) or `pod_identity` (an EKS Pod Identity association; no annotation). Passed by `irsa = hub_irsa_binding.x`; pods roll when it changes."),
                            Attribute::string_map("association_ids").description("Pod Identity: the binding's association IDs (cluster name → ID), passed by `irsa = hub_irsa_binding.x`; pods roll when an association is re-created, since credentials are handed out at pod start."),
                        ],
                    )
                    .description("The IAM role of the pods: `irsa = hub_irsa_binding.x`. With IRSA its ARN becomes the `eks.amazonaws.com/role-arn` annotation, with Pod Identity (`mechanism = \"pod_identity\"`) no annotation is written; pods roll when the role, the mechanism or an association changes; the binding must trust this app's namespace and service account. With `create = false` (an account another app creates), the annotation is left to that app, and the ARN still rolls this app's pods when it changes."),
                ],
            )
            .description("The pods' ServiceAccount (created, named after the app, by default). Apps that share one account (`create = false` with the name of another app's account) pass the account's `irsa` binding too: the role ARN enters every sharing app's pod template checksum, so all of them roll when the role changes, not only the app that creates the account."),
            rbac(),
            Attribute::nested(
                "rollout",
                Nesting::Single,
                vec![
                    Attribute::bool("wait").default_value(true).description("Wait for the rollout to finish."),
                    string("timeout").default_value("5m").description("How long to wait, e.g. `90s`, `5m`."),
                    string("on_failure").default_value("keep").validate(validators::one_of(&["keep", "rollback"])).description("`keep` the failed revision, or `rollback` to the previous one."),
                ],
            )
            .default_value(Value::object([("wait", Value::Bool(true)), ("timeout", Value::string("5m")), ("on_failure", Value::string("keep"))]))
            .description("Rollout waiting."),
            super::migration::attribute(),
            Attribute::bool("adopt_existing")
                .description("Default `false`. Take over objects that already exist under this app's names and were made by another tool (Helm, kubectl, the kubernetes provider) when this app creates them. Off: such objects fail the apply before anything is written, naming them; import the app instead (`import { to = hub_app.x, id = \"namespace/name\" }`). Objects that another `hub_app` manages (another Terraform state) are never taken over this way."),
            Attribute::bool("force_conflicts")
                .default_value(false)
                .description("Also take over fields hub never applied that another field manager holds. Fields hub applied before are always taken back when someone changes them (`kubectl edit`, `label`, `patch`): the plan shows the repair and warns, naming the field and its manager. Off: a field hub never applied that another manager holds (a new setting over a `kubectl scale`, an imported object made with client-side `kubectl apply`) fails the plan, naming both."),
            Attribute::bool("adopt_from_helm")
                .description("Default `false`. Take the app's objects from Helm: the fields Helm's field manager (`helm`) set become hub's, so Helm's labels (`helm.sh/chart`, `app.kubernetes.io/managed-by = Helm`) and release annotations (`meta.helm.sh/*`) are removed, and fields Helm holds no longer fail the plan. The plan warns, naming what is removed from each object, and the release's records (Secrets `sh.helm.release.v1.<release>.v<N>`), which hub never deletes: delete them once every object of the release is under Terraform, or `helm uninstall` would delete hub's objects. Off: Helm's marks stay (the first plan after an import warns while they do)."),
            string("delete_timeout")
                .default_value("5m")
                .description("How long destroy waits for the Ingress to go: the AWS Load Balancer Controller's finalizer deletes the load balancer first. The other objects are kept until it has gone."),
            Attribute::new("rendered", Type::map(Type::String)).computed().description("Every object hub applies, as JSON by `Kind/name` (secret values masked)."),
            Attribute::string_map("replacements").computed().description("Objects this apply deletes and creates again, by `Kind/name`, with the reason: the plan's server-side dry-run found a change to an immutable field (e.g. a Deployment's `spec.selector` after an import). Null when none; cleared by the next refresh."),
            super::migration::revision_attribute(),
            string("last_rollout_error").computed().description("Why the rollout of the create failed, or null. A create whose rollout fails is recorded, not tainted (Terraform would replace every object of the app, its load balancer included); the apply warns, and the next plan shows this attribute changing: the next apply retries the rollout in place."),
            Attribute::string_map("selector").computed().description("The pods' labels selector; pass it to `hub_network_policy.pod_selector`."),
            string("service_dns").computed().description("In-cluster DNS name of the Service."),
            string("service_account_name").computed().description("The pods' ServiceAccount name."),
            string("id").computed().use_state_for_unknown().description("`namespace/name`."),
            string("instance_id").computed().description("This resource instance's identity, made at its first apply and written as the `hub.io/instance` annotation on every object it applies. Create refuses objects that carry another instance's identity, and destroy deletes only objects that carry this one (with a UID precondition), so two configurations that name the same app cannot overwrite or delete each other's objects. Import takes over the identity of the objects it finds."),
        ],
    ))
}
