//! The `init_containers` attribute.

use crate::schema::{Attribute, Nesting, validators};

use super::super::schema::{resources, volume_mounts};

fn id(name: &str, what: &str) -> Attribute {
    Attribute::number(name)
        .validate(validators::int_between(0, i64::from(i32::MAX)))
        .description(what)
}

pub(in super::super) fn attribute() -> Attribute {
    let string = Attribute::string;
    Attribute::nested(
        "init_containers",
        Nesting::List,
        vec![
            string("name").required().description("Container name: a DNS label, unique among the init containers, not the app's name (its container's)."),
            string("image").required().description("Container image with tag or digest, e.g. `busybox:1.36`."),
            Attribute::string_list("command").description("Entrypoint override."),
            Attribute::string_list("args").description("Arguments."),
            Attribute::string_map("env").description("Plain environment variables (the app's `env`, `config` and secrets are not passed on)."),
            resources().description("Container requests and limits; the same defaults as the app's. A sidecar's add to the pod's, as the app container's do; a plain init container's count only while it runs."),
            volume_mounts("A key of `volumes`, or `tmp` (hub's scratch volume, mounted at `/tmp` in every container) to share files with the app's container through another path.", "`/tmp` is taken")
                .description("Where this container mounts `volumes`, e.g. `[{ volume = \"data\", mount_path = \"/data\" }]`."),
            Attribute::nested(
                "security",
                Nesting::Single,
                vec![
                    id("run_as_user", "User ID of the container's processes (null: the app's `security.run_as_user`). `0` (root) sets `runAsNonRoot = false`."),
                    id("run_as_group", "Group ID of the container's processes (null: the app's)."),
                    Attribute::bool("read_only_root_filesystem").description("Read-only root filesystem (null: the app's); `/tmp` stays writable."),
                    Attribute::bool("allow_privilege_escalation").description("Allow privilege escalation (null: the app's)."),
                ],
            )
            .description("Security context. Null, and each null setting: the app container's (`security`), which meets the `restricted` Pod Security Standard by default; capabilities are always dropped and the runtime's seccomp profile used."),
            Attribute::bool("sidecar").default_value(false).description("Run as a native sidecar (`restartPolicy: Always`): started before the app's container, in order, and kept running beside it (log shippers, proxies). Needs Kubernetes 1.29 or later: the plan reads the cluster's version and refuses a sidecar on an older one. False: an init container, which must finish before the next one starts."),
        ],
    )
    .description("Containers that run before the app's, in the order written, e.g. `[{ name = \"wait-db\", image = \"busybox:1.36\", command = [\"sh\", \"-c\", \"until nc -z db 5432; do sleep 1; done\"] }, { name = \"logs\", image = \"fluent/fluent-bit:3.0\", sidecar = true }]`. Each gets hub's `/tmp`; init containers run to completion one after the other, sidecars keep running. A change rolls the pods. A pod whose init container fails is retried by the kubelet (`Init:CrashLoopBackOff`): the rollout wait reports it by container.")
}
