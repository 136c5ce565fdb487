"""Issue 9 scenario 1, plan and apply at scale: N applications against the local control plane, each with a
Deployment, Service, Ingress, ConfigMap, Secret, HorizontalPodAutoscaler, PodDisruptionBudget and
ServiceAccount, as
  - hub:        N `hub_app`,
  - kubernetes: 8 typed resources per app of hashicorp/kubernetes (the peer users run today),
  - floor-8:    8N `terraform_data` (Terraform core alone with as many instances as the peer has),
  - floor-1:    N `terraform_data` (core alone with as many instances as hub has),
every tool installed by `tofu init` from one filesystem mirror. Each repetition is a whole life cycle per
tool (init, first apply, plan with refresh and no changes, plan after one image change, destroy), the tools
interleaved (ABAB...) with one fresh directory each, so each starts from the same empty namespace.
Measured per command: wall and CPU time (tofu and its providers), peak RSS of the provider processes and of
tofu, and the API server's request counters (`apiserver_request_total` from /metrics, before and after).
"""

import json
import os
import re
import shutil
import ssl
import tempfile
import time
import base64
import urllib.request
from pathlib import Path

from common import hub_header, clean_env, log, proc_cpu, run_polled, stats

NAMESPACE = "bench"
IMAGE = "registry.local/bench/app:1.0.0"
CHANGED_IMAGE = "registry.local/bench/app:1.0.1"
# The resources (plural, as the API server's metrics name them) an app consists of.
APP_RESOURCES = ("deployments", "services", "ingresses", "configmaps", "secrets", "horizontalpodautoscalers",
                 "poddisruptionbudgets", "serviceaccounts")
OBJECTS_PER_APP = len(APP_RESOURCES)
READ_VERBS = ("GET", "LIST")
TOOLS = ("hub", "kubernetes", "floor-8", "floor-1")
COMMANDS = ("init", "apply", "plan", "plan_change", "destroy")
POLL = "terraform-provi"


class Kube:
    """Just enough of an API client (the sandbox's admin kubeconfig, stdlib TLS) to create the namespace and
    read /metrics. The key is written only to a 0600 file under the run's temporary directory."""

    def __init__(self, kubeconfig, tmp):
        text = Path(kubeconfig).read_text()
        field = lambda k: re.search(rf"^\s*{k}: (\S+)$", text, re.M).group(1)  # noqa: E731
        self.server = field("server")
        d = Path(tmp) / "kube-client"
        d.mkdir(mode=0o700)
        paths = {}
        for name, key in (("ca", "certificate-authority-data"), ("cert", "client-certificate-data"),
                          ("key", "client-key-data")):
            paths[name] = d / f"{name}.pem"
            fd = os.open(paths[name], os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(base64.b64decode(field(key)))
        self.ctx = ssl.create_default_context(cafile=str(paths["ca"]))
        self.ctx.load_cert_chain(str(paths["cert"]), str(paths["key"]))

    def request(self, method, path, body=None):
        req = urllib.request.Request(self.server + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=self.ctx, timeout=30) as r:
            return r.read()

    def ensure_namespace(self, name):
        try:
            self.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                         "metadata": {"name": name}})
        except urllib.error.HTTPError as e:
            if e.code != 409:
                raise

    def requests(self):
        """apiserver_request_total summed by (verb, resource, subresource)."""
        out = {}
        for line in self.request("GET", "/metrics").decode().splitlines():
            if not line.startswith("apiserver_request_total{"):
                continue
            labels, value = line[len("apiserver_request_total{"):].rsplit("} ", 1)
            lab = dict(re.findall(r'(\w+)="([^"]*)"', labels))
            key = (lab.get("verb", ""), lab.get("resource", ""), lab.get("subresource", ""))
            out[key] = out.get(key, 0) + float(value)
        return out


def request_delta(before, after):
    """Counts by 'VERB resource[/subresource]' that changed, and the figures the report uses: reads and
    writes of the apps' own objects (no subresource: the controllers' status and scale calls are not the
    tool's), and every request made to those resources or to none (discovery)."""
    d = {}
    for k, v in after.items():
        n = v - before.get(k, 0)
        if n:
            verb, res, sub = k
            d[f"{verb} {res}{'/' + sub if sub else ''}"] = int(n)
    app = lambda verbs: sum(n for k, n in d.items()  # noqa: E731
                            if k.split()[0] in verbs and k.split()[1] in APP_RESOURCES)
    return {
        "app_reads": app(READ_VERBS),
        "app_writes": app(("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION")),
        "by_verb_resource": d,
    }


def app_labels(name):
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name}


def hcl_map(m):
    return "{ " + ", ".join(f'"{k}" = {v}' for k, v in m.items()) + " }"


def hub_tf(n, kubeconfig, wait, real=False):
    return hub_header(f'config_path = "{kubeconfig}"') + f'''
variable "first_image" {{
  default = "{IMAGE}"
}}

resource "hub_app" "app" {{
  count             = {n}
  name              = "h-${{count.index}}"
  namespace         = "{NAMESPACE}"
  image             = count.index == 0 ? var.first_image : "{IMAGE}"
  config            = {{ LOG_LEVEL = "info", FEATURE_X = "on" }}
  secret_env        = {{ API_KEY = "bench-${{count.index}}" }}
  ingress           = {{ hosts = ["h-${{count.index}}.bench.example"] }}
  autoscaling       = {{ min_replicas = 1, max_replicas = 3, cpu_percent = 70 }}
  disruption_budget = {{ max_unavailable = "1" }}
  rollout           = {{ wait = {"true" if wait else "false"} }}
{HUB_REAL if real else ""}}}
'''


# The "real" shape (issue 20's second row): each app also mounts an emptyDir of logs, runs an init
# container before it starts and a log-shipping native sidecar that reads the logs.
TOOLS_IMAGE = "registry.local/bench/tools:1.0"
SHIPPER_IMAGE = "registry.local/bench/fluent-bit:3.1"
HUB_REAL = f'''  volumes           = {{ logs = {{ empty_dir = {{ size_limit = "256Mi" }} }} }}
  volume_mounts     = [{{ volume = "logs", mount_path = "/var/log/app" }}]
  init_containers = [
    {{ name = "wait-for-db", image = "{TOOLS_IMAGE}", command = ["/bin/wait-for", "db:5432"] }},
    {{
      name          = "log-shipper"
      image         = "{SHIPPER_IMAGE}"
      sidecar       = true
      volume_mounts = [{{ volume = "logs", mount_path = "/var/log/app", read_only = true }}]
      resources     = {{ cpu_request = "20m", memory_request = "32Mi", memory_limit = "64Mi" }}
    }},
  ]
'''


def peer_security(indent):
    """The restricted container security context hub renders, as the peer's block."""
    return "\n".join(indent + line for line in (
        "security_context {", "  run_as_non_root            = true", "  run_as_user                = 10001",
        "  run_as_group               = 10001", "  read_only_root_filesystem  = true",
        "  allow_privilege_escalation = false", "  capabilities {", '    drop = ["ALL"]', "  }",
        "  seccomp_profile {", '    type = "RuntimeDefault"', "  }", "}")) + "\n"


def peer_real(tf):
    """The peer's Deployment with the objects of HUB_REAL: the same init containers (hub mounts /tmp in each
    and gives them the app's security context and default requests), the logs volume and its mounts."""
    i = " " * 8
    mount = lambda name, path, ro=False: (  # noqa: E731
        f"{i}  volume_mount {{\n{i}    name       = \"{name}\"\n{i}    mount_path = \"{path}\"\n"
        + (f"{i}    read_only  = true\n" if ro else "") + f"{i}  }}\n")
    init = (
        f"{i}init_container {{\n{i}  name    = \"wait-for-db\"\n{i}  image   = \"{TOOLS_IMAGE}\"\n"
        f'{i}  command = ["/bin/wait-for", "db:5432"]\n'
        f'{i}  resources {{\n{i}    requests = {{ cpu = "100m", memory = "128Mi" }}\n{i}    limits   = {{ memory = "256Mi" }}\n{i}  }}\n'
        + peer_security(i + "  ") + mount("tmp", "/tmp") + f"{i}}}\n"
        f"{i}init_container {{\n{i}  name           = \"log-shipper\"\n{i}  image          = \"{SHIPPER_IMAGE}\"\n"
        f'{i}  restart_policy = "Always"\n'
        f'{i}  resources {{\n{i}    requests = {{ cpu = "20m", memory = "32Mi" }}\n{i}    limits   = {{ memory = "64Mi" }}\n{i}  }}\n'
        + peer_security(i + "  ") + mount("tmp", "/tmp") + mount("logs", "/var/log/app", True) + f"{i}}}\n")
    tf = tf.replace(f'{i}  volume_mount {{\n{i}    name       = "tmp"\n{i}    mount_path = "/tmp"\n{i}  }}\n',
                    mount("tmp", "/tmp") + mount("logs", "/var/log/app"), 1)
    tf = tf.replace(f"{i}container {{\n", init + f"{i}container {{\n", 1)
    return tf.replace(f'{i}volume {{\n{i}  name = "tmp"\n{i}  empty_dir {{}}\n{i}}}\n',
                      f'{i}volume {{\n{i}  name = "tmp"\n{i}  empty_dir {{}}\n{i}}}\n'
                      f'{i}volume {{\n{i}  name = "logs"\n{i}  empty_dir {{\n{i}    size_limit = "256Mi"\n{i}  }}\n{i}}}\n', 1)


def kubernetes_tf(n, kubeconfig):
    """The same objects with the peer's typed resources (what a user writes without hub: labels, the
    restricted security context, probes, zone spreading, envFrom the ConfigMap and Secret)."""
    name = 'k-${count.index}'
    labels = hcl_map({k: f'"{v}"' for k, v in app_labels(name).items()})
    meta = lambda suffix="", extra="": (  # noqa: E731
        f'  metadata {{\n    name      = "{name}{suffix}"\n    namespace = "{NAMESPACE}"\n    labels    = {labels}\n'
        f'{extra}  }}\n')
    probe = lambda kind, path: (  # noqa: E731
        f'          {kind} {{\n            http_get {{\n              path = "{path}"\n              port = "http"\n'
        '            }\n          }\n')
    return f'''terraform {{
  required_providers {{
    kubernetes = {{ source = "hashicorp/kubernetes" }}
  }}
}}

provider "kubernetes" {{
  config_path = "{kubeconfig}"
}}

variable "first_image" {{
  default = "{IMAGE}"
}}

resource "kubernetes_service_account_v1" "app" {{
  count = {n}
{meta()}  automount_service_account_token = false
}}

resource "kubernetes_config_map_v1" "app" {{
  count = {n}
{meta("-config")}  data = {{ LOG_LEVEL = "info", FEATURE_X = "on" }}
}}

resource "kubernetes_secret_v1" "app" {{
  count = {n}
{meta("-secret")}  type = "Opaque"
  data = {{ API_KEY = "bench-${{count.index}}" }}
}}

resource "kubernetes_service_v1" "app" {{
  count = {n}
{meta()}  spec {{
    type     = "ClusterIP"
    selector = {labels}
    port {{
      name        = "http"
      port        = 80
      target_port = "http"
      protocol    = "TCP"
    }}
  }}
}}

resource "kubernetes_deployment_v1" "app" {{
  count            = {n}
  wait_for_rollout = false
{meta()}  spec {{
    selector {{
      match_labels = {labels}
    }}
    strategy {{
      type = "RollingUpdate"
      rolling_update {{
        max_surge       = "25%"
        max_unavailable = "0"
      }}
    }}
    template {{
      metadata {{
        labels = {labels}
      }}
      spec {{
        service_account_name             = kubernetes_service_account_v1.app[count.index].metadata[0].name
        automount_service_account_token  = false
        termination_grace_period_seconds = 30
        security_context {{
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {{
            type = "RuntimeDefault"
          }}
        }}
        container {{
          name  = "{name}"
          image = count.index == 0 ? var.first_image : "{IMAGE}"
          port {{
            name           = "http"
            container_port = 8080
            protocol       = "TCP"
          }}
          resources {{
            requests = {{ cpu = "100m", memory = "128Mi" }}
            limits   = {{ memory = "256Mi" }}
          }}
          security_context {{
            run_as_non_root            = true
            run_as_user                = 10001
            run_as_group               = 10001
            read_only_root_filesystem  = true
            allow_privilege_escalation = false
            capabilities {{
              drop = ["ALL"]
            }}
            seccomp_profile {{
              type = "RuntimeDefault"
            }}
          }}
          env_from {{
            config_map_ref {{
              name = kubernetes_config_map_v1.app[count.index].metadata[0].name
            }}
          }}
          env_from {{
            secret_ref {{
              name = kubernetes_secret_v1.app[count.index].metadata[0].name
            }}
          }}
          volume_mount {{
            name       = "tmp"
            mount_path = "/tmp"
          }}
{probe("liveness_probe", "/health")}{probe("readiness_probe", "/ready")}{probe("startup_probe", "/startup")}        }}
        volume {{
          name = "tmp"
          empty_dir {{}}
        }}
        topology_spread_constraint {{
          max_skew           = 1
          topology_key       = "topology.kubernetes.io/zone"
          when_unsatisfiable = "ScheduleAnyway"
          label_selector {{
            match_labels = {labels}
          }}
        }}
      }}
    }}
  }}
  # The HPA owns the replica count, as hub leaves spec.replicas to it.
  lifecycle {{
    ignore_changes = [spec[0].replicas]
  }}
}}

resource "kubernetes_horizontal_pod_autoscaler_v2" "app" {{
  count = {n}
{meta()}  spec {{
    min_replicas = 1
    max_replicas = 3
    scale_target_ref {{
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment_v1.app[count.index].metadata[0].name
    }}
    metric {{
      type = "Resource"
      resource {{
        name = "cpu"
        target {{
          type                = "Utilization"
          average_utilization = 70
        }}
      }}
    }}
  }}
}}

resource "kubernetes_pod_disruption_budget_v1" "app" {{
  count = {n}
{meta()}  spec {{
    max_unavailable = "1"
    selector {{
      match_labels = {labels}
    }}
  }}
}}

resource "kubernetes_ingress_v1" "app" {{
  count                  = {n}
  wait_for_load_balancer = false
{meta(extra='    annotations = { "alb.ingress.kubernetes.io/scheme" = "internet-facing", "alb.ingress.kubernetes.io/target-type" = "ip", "alb.ingress.kubernetes.io/healthcheck-path" = "/ready" }' + chr(10))}  spec {{
    ingress_class_name = "alb"
    rule {{
      host = "{name}.bench.example"
      http {{
        path {{
          path      = "/"
          path_type = "Prefix"
          backend {{
            service {{
              name = kubernetes_service_v1.app[count.index].metadata[0].name
              port {{
                number = 80
              }}
            }}
          }}
        }}
      }}
    }}
  }}
}}
'''


def floor_tf(n, per_app):
    """Terraform core alone: `per_app` terraform_data instances per app, the first carrying the image."""
    out = f'variable "first_image" {{\n  default = "{IMAGE}"\n}}\n'
    for i, res in enumerate(APP_RESOURCES[:per_app]):
        value = 'count.index == 0 ? var.first_image : "' + IMAGE + '"' if i == 0 else f'"{res}-${{count.index}}"'
        out += f'\nresource "terraform_data" "{res}" {{\n  count = {n}\n  input = {value}\n}}\n'
    return out


def mirror(root, hub_bin, hub_version, kube_bin, kube_version):
    """An unpacked filesystem mirror (links to the binaries) under both registry hosts; kube_bin may be None
    (the peer is not built)."""
    d = Path(root) / "mirror"
    providers = [("hub/hub", hub_version, hub_bin)]
    if kube_bin:
        providers.append(("hashicorp/kubernetes", kube_version, kube_bin))
    for host in ("registry.opentofu.org", "registry.terraform.io"):
        for source, version, binary in providers:
            pdir = d / host / source / version / "linux_amd64"
            pdir.mkdir(parents=True, exist_ok=True)
            link = pdir / f"terraform-provider-{source.split('/')[1]}_v{version}"
            if not link.exists():
                link.symlink_to(binary)
    cfg = Path(root) / "mirror.tfrc"
    cfg.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{d}"\n  }}\n}}\n')
    return cfg


STEPS = {
    "init": (["init", "-input=false", "-no-color"], 0),
    "apply": (["apply", "-auto-approve", "-input=false", "-no-color"], 0),
    "plan": (["plan", "-input=false", "-no-color", "-detailed-exitcode"], 0),
    "plan_change": (["plan", "-input=false", "-no-color", "-detailed-exitcode", f"-var=first_image={CHANGED_IMAGE}"], 2),
    "destroy": (["destroy", "-auto-approve", "-input=false", "-no-color"], 0),
}


def plane_cpu(pids):
    """user+sys seconds so far of the control plane's API server and etcd."""
    return sum(proc_cpu(p) or 0.0 for p in pids)


class Tool:
    """One variant's module in a fresh directory, run step by step with every figure recorded."""

    def __init__(self, name, tofu, cli_cfg, wdir, main_tf, kube, plane_pids, expect_instances):
        self.name, self.tofu, self.wdir, self.kube, self.plane_pids = name, tofu, wdir, kube, plane_pids
        self.expect_instances = expect_instances
        wdir.mkdir(parents=True)
        (wdir / "main.tf").write_text(main_tf)
        self.env = clean_env({"TF_CLI_CONFIG_FILE": str(cli_cfg), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"})

    def step(self, step):
        args, want_rc = STEPS[step]
        # init and the floors make no API request: the two /metrics scrapes (about 0.1 s each) are skipped.
        scrape = step != "init" and not self.name.startswith("floor")
        before, plane0 = self.kube.requests() if scrape else {}, plane_cpu(self.plane_pids)
        r = run_polled([str(self.tofu)] + args, self.wdir, self.env, poll=POLL)
        plane1, after = plane_cpu(self.plane_pids), self.kube.requests() if scrape else {}
        if r["rc"] != want_rc:
            raise RuntimeError(f"tofu {' '.join(args)} in {self.wdir} exited {r['rc']} (wanted {want_rc}):\n"
                               f"{r['stderr'][-3000:]}")
        if step == "apply":
            self.check_state()
        return {"wall": r["wall"], "cpu": r["cpu"], "provider_cpu": r["provider_cpu"], "plane_cpu": plane1 - plane0,
                "provider_hwm": r["provider_hwm"], "cli_hwm": r["cli_hwm"],
                "provider_processes": r["provider_processes"], "api": request_delta(before, after)}

    def check_state(self):
        """The apply made what it should: the expected instance count, and 8 objects per hub_app."""
        state = json.loads((self.wdir / "terraform.tfstate").read_text())
        managed = [res for res in state["resources"] if res["mode"] == "managed"]
        got = sum(len(res["instances"]) for res in managed)
        if got != self.expect_instances:
            raise RuntimeError(f"{self.wdir}: {got} resource instances in state, expected {self.expect_instances}")
        for res in managed:
            if res["type"] == "hub_app":
                rendered = res["instances"][0]["attributes"]["rendered"]
                if len(rendered) != OBJECTS_PER_APP:
                    raise RuntimeError(f"hub_app rendered {sorted(rendered)}, expected {OBJECTS_PER_APP} objects")

    def remove(self):
        shutil.rmtree(self.wdir)


def summarize(samples):
    """Per command: stats of every figure over its repetitions."""
    out = {}
    for step in COMMANDS:
        ss = samples[step]
        if not ss:
            continue
        out[step] = {
            "wall_seconds": stats([s["wall"] for s in ss]),
            "cpu_seconds": stats([s["cpu"] for s in ss]),
            "provider_cpu_seconds": stats([s["provider_cpu"] for s in ss]),
            "plane_cpu_seconds": stats([s["plane_cpu"] for s in ss]),
            "provider_peak_rss_bytes": stats([s["provider_hwm"] for s in ss]),
            "cli_peak_rss_bytes": stats([s["cli_hwm"] for s in ss]),
            "app_reads": stats([s["api"]["app_reads"] for s in ss]),
            "app_writes": stats([s["api"]["app_writes"] for s in ss]),
            "provider_processes": [s["provider_processes"] for s in ss],
            "requests_first_rep": ss[0]["api"]["by_verb_resource"],
        }
    return out


def bench_scale(tofu, hub_bin, kube_bin, kube_version, plan, root, kubeconfig, plane_pids, tools=TOOLS,
                wait_probe=True, peer_max_n=None, shape="basic"):
    """plan: [(N, reps, apply_reps)]; tools: the tools measured (without "kubernetes" when the peer is not
    built); peer_max_n: the kubernetes provider runs only at N up to this. Per N, with the tools interleaved
    (ABAB...) at every stage:
      1. `reps` inits, each in a fresh directory (the last `apply_reps` of them then go on to stage 2);
      2. `apply_reps` first applies, each destroyed again (measured) but for the last;
      3. `reps` plans with refresh and no change, each followed by a plan after one image change;
      4. the last destroy.
    Every tool's objects exist during stage 3, so each plan sees the same cluster. With wait_probe, one more
    hub apply with rollout waiting on, at the largest N the peer runs at (or the largest N), to show what the
    waiting costs."""
    kube = Kube(kubeconfig, root)
    kube.ensure_namespace(NAMESPACE)
    cli_cfg = mirror(root, hub_bin, "0.1.0", kube_bin, kube_version)
    real = shape == "real"
    tfs = {
        "hub": lambda n: hub_tf(n, kubeconfig, False, real),
        "hub-wait": lambda n: hub_tf(n, kubeconfig, True, real),
        "kubernetes": lambda n: peer_real(kubernetes_tf(n, kubeconfig)) if real else kubernetes_tf(n, kubeconfig),
        "floor-8": lambda n: floor_tf(n, OBJECTS_PER_APP),
        "floor-1": lambda n: floor_tf(n, 1),
    }
    instances = {"hub": 1, "hub-wait": 1, "kubernetes": OBJECTS_PER_APP, "floor-8": OBJECTS_PER_APP, "floor-1": 1}
    out = {"plan": [list(x) for x in plan], "shape": shape, "rollout_wait": False, "namespace": NAMESPACE, "by_n": {},
           "tools": list(tools), "peer_max_n": peer_max_n}
    seq = 0

    def fresh(t, n):
        nonlocal seq
        seq += 1
        return Tool(t, tofu, cli_cfg, Path(root) / f"scale-{seq}-{t}-{n}", tfs[t](n), kube, plane_pids,
                    instances[t] * n)

    for n, reps, apply_reps in plan:
        at_n = [t for t in tools if t != "kubernetes" or peer_max_n is None or n <= peer_max_n]

        def order(i):
            return at_n if i % 2 == 0 else at_n[::-1]

        t0 = time.perf_counter()
        samples = {t: {c: [] for c in COMMANDS} for t in at_n}
        log(f"scale: N={n}: {reps} inits, {apply_reps} applies, {reps} plan pairs per tool")
        for i in range(reps - apply_reps):
            for t in order(i):
                w = fresh(t, n)
                samples[t]["init"].append(w.step("init"))
                w.remove()
        kept = {}
        for i in range(apply_reps):
            for t in order(i):
                w = fresh(t, n)
                samples[t]["init"].append(w.step("init"))
                samples[t]["apply"].append(w.step("apply"))
                if i < apply_reps - 1:
                    samples[t]["destroy"].append(w.step("destroy"))
                    w.remove()
                else:
                    kept[t] = w
        for i in range(reps):
            for t in order(i):
                samples[t]["plan"].append(kept[t].step("plan"))
                samples[t]["plan_change"].append(kept[t].step("plan_change"))
        for i, t in enumerate(order(reps)):
            samples[t]["destroy"].append(kept[t].step("destroy"))
            kept[t].remove()
        out["by_n"][str(n)] = {t: summarize(s) | {"samples": s} for t, s in samples.items()}
        log(f"scale: N={n} took {time.perf_counter() - t0:.0f} s")
    if wait_probe and "hub" in tools:
        ns = [p[0] for p in plan]
        n = max([x for x in ns if peer_max_n is None or x <= peer_max_n] or ns)
        log(f"scale: one hub apply of {n} with rollout waiting on")
        w = fresh("hub-wait", n)
        w.step("init")
        s = {"apply": w.step("apply"), "destroy": w.step("destroy")}
        w.remove()
        out["rollout_wait_probe"] = {"n": n, **s}
    return out


def plane_pids(sandbox_dir):
    """PIDs of the sandbox's kube-apiserver and etcd (their CPU time is the control plane's share)."""
    st = json.loads((Path(sandbox_dir) / "state.json").read_text())
    return [c["process"]["pid"] for c in st["components"] if c["component"] in ("kube-apiserver", "etcd")]


if __name__ == "__main__":
    # Development entry point: against an already running sandbox (`hub-sandbox up --dir D`).
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--sandbox-dir", required=True)
    ap.add_argument("--n", type=int, nargs="+", default=[1])
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--apply-reps", type=int, default=1)
    ap.add_argument("--tools", nargs="+", default=list(TOOLS))
    ap.add_argument("--peer-max-n", type=int, help="run the kubernetes provider only at N up to this")
    ap.add_argument("--hub-bin")
    ap.add_argument("--out")
    ap.add_argument("--shape", choices=("basic", "real"), default="basic",
                    help="real: each app also has a volume, an init container and a sidecar (issue 20)")
    a = ap.parse_args()
    cache = Path.home() / ".cache/hub/tools"
    target = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
    hub = Path(a.hub_bin) if a.hub_bin else target / "release/terraform-provider-hub"
    kube = cache / "terraform-provider-kubernetes-3.2.1/terraform-provider-kubernetes"
    if "kubernetes" in a.tools and not kube.exists():
        log("the kubernetes provider is not built: measuring the other tools only")
        a.tools.remove("kubernetes")
    with tempfile.TemporaryDirectory(prefix="hub-scale-") as tmp:
        res = bench_scale(cache / "tofu-v1.11.14/tofu", hub, kube if "kubernetes" in a.tools else None, "3.2.1",
                          [(n, a.reps, a.apply_reps) for n in a.n], tmp, Path(a.sandbox_dir) / "kubeconfig",
                          plane_pids(a.sandbox_dir), a.tools, wait_probe=False, peer_max_n=a.peer_max_n,
                          shape=a.shape)
    for n, by_tool in res["by_n"].items():
        for t, s in by_tool.items():
            print(n, t, " ".join(f"{c}={s[c]['wall_seconds']['median']:.2f}s/{s[c]['app_reads']['median']:.0f}r"
                                  f"/plane {s[c]['plane_cpu_seconds']['median']:.2f}s" for c in COMMANDS if c in s),
                  f"plan provider peak RSS {s['plan']['provider_peak_rss_bytes']['median'] / 1e6:.1f} MB"
                  if t.startswith("hub") else "")
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1) + "\n")
