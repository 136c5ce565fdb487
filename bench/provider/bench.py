#!/usr/bin/env python3
"""Provider benchmarks (issue 2's closing-note figures, issue 9 scenario 2), hub side by side with
hashicorp/terraform-provider-kubernetes in one run on one machine, written to results.json.

  1. exec to handshake line (go-plugin env, PLUGIN_CLIENT_CERT a self-signed P-521 CA like go-plugin's)
  2. GetProviderSchema over mTLS on the plugin's unix socket (first call on a fresh process, then warm
     calls), and `tofu providers schema -json` wall time (dev_overrides), with a no-provider floor
  3. idle RSS of a started provider; peak RSS (VmHWM, polled) of the provider processes and of tofu
     during `tofu plan` of N already-applied namespaces against the local control plane, with the
     plan's wall time; the floor is the same plan with N terraform_data resources (no provider)
  4. release binary size

Variants are interleaved (ABAB...) so that load from other work on the machine hits both sides alike.
Python standard library only; run through bench/provider/run.sh (`make bench`), which builds what is
needed first. Usage: bench.py [--quick] [--out results.json] [--skip-plan]
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import h2grpc  # noqa: E402
import scale  # noqa: E402
from common import (LoadSampler, REPO, children, clean_env, comm, log, proc_status, run_polled,  # noqa: E402
                    sandbox, stats)

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("HUB_TOOLS_CACHE", Path.home() / ".cache/hub/tools"))
COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
KUBE_PROVIDER_VERSION = "3.2.1"
KUBE_PROVIDER_COMMIT = "28fb611cb6be20c5059efadd6cbf16b9ad64cd6c"


def versions_env():
    out = {}
    for line in (REPO / "tests/tools/versions.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def client_cert(cache_dir):
    """A go-plugin-like client certificate (self-signed P-521 CA, SAN localhost), made once with openssl."""
    cert, key = cache_dir / "client-cert.pem", cache_dir / "client-key.pem"
    if not cert.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521", "-sha512",
             "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "3650", "-subj", "/O=HashiCorp/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign",
             "-addext", "extendedKeyUsage=clientAuth,serverAuth"],
            check=True, capture_output=True)
    return cert, key


class Provider:
    """A provider binary started the way Terraform starts it."""

    def __init__(self, name, binary, expect, cert_pem):
        self.name, self.binary, self.expect, self.cert_pem = name, str(binary), expect, cert_pem

    def start(self, sockdir):
        env = clean_env({
            "TF_PLUGIN_MAGIC_COOKIE": COOKIE,
            "PLUGIN_PROTOCOL_VERSIONS": "6",
            "PLUGIN_CLIENT_CERT": self.cert_pem,
            "TMPDIR": str(sockdir),
        })
        t0 = time.perf_counter()
        p = subprocess.Popen([self.binary], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        line = p.stdout.readline().decode()
        dt = time.perf_counter() - t0
        if not line.startswith("1|6|unix|"):
            p.kill()
            p.wait()
            raise RuntimeError(f"{self.name}: unexpected first stdout line {line!r}")
        return p, line, dt


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
    p.wait()


def bench_handshake(providers, runs, sockdir):
    log(f"handshake: {runs} runs per provider, interleaved")
    times = {pv.name: [] for pv in providers}
    for i in range(runs):
        order = providers if i % 2 == 0 else providers[::-1]
        for pv in order:
            p, _, dt = pv.start(sockdir)
            stop(p)
            times[pv.name].append(dt)
    return {name: {"seconds": stats(ts), "samples": ts} for name, ts in times.items()}


def bench_rpc(providers, procs, warm, sockdir, cert, key, idle_wait):
    log(f"GetProviderSchema: {procs} fresh processes per provider, first call + {warm} warm calls each")
    res = {pv.name: {"connect": [], "first": [], "warm": [], "bytes": 0, "rss_idle": [], "hwm_idle": [], "anon_idle": [], "file_idle": [],
                     "rss_after_schema": [], "hwm_after_schema": []} for pv in providers}
    for i in range(procs):
        order = providers if i % 2 == 0 else providers[::-1]
        for pv in order:
            r = res[pv.name]
            p, line, _ = pv.start(sockdir)
            try:
                time.sleep(idle_wait)
                st = proc_status(p.pid)
                r["rss_idle"].append(st["VmRSS"])
                r["hwm_idle"].append(st["VmHWM"])
                r["anon_idle"].append(st["RssAnon"])
                r["file_idle"].append(st["RssFile"])
                path, der = h2grpc.parse_handshake(line)
                t0 = time.perf_counter()
                conn = h2grpc.Connection(path, der, str(cert), str(key))
                t1 = time.perf_counter()
                msg = conn.unary("/tfplugin6.Provider/GetProviderSchema")
                t2 = time.perf_counter()
                if pv.expect.encode() not in msg:
                    raise RuntimeError(f"{pv.name}: schema response lacks {pv.expect}")
                r["connect"].append(t1 - t0)
                r["first"].append(t2 - t1)
                r["bytes"] = len(msg)
                for _ in range(warm):
                    t0 = time.perf_counter()
                    conn.unary("/tfplugin6.Provider/GetProviderSchema")
                    r["warm"].append(time.perf_counter() - t0)
                conn.close()
                st = proc_status(p.pid)
                r["rss_after_schema"].append(st["VmRSS"])
                r["hwm_after_schema"].append(st["VmHWM"])
            finally:
                stop(p)
    out = {}
    for name, r in res.items():
        out[name] = {
            "connect_seconds": stats(r["connect"]),
            "first_call_seconds": stats(r["first"]),
            "warm_call_seconds": stats(r["warm"]),
            "response_bytes": r["bytes"],
            "idle_rss_bytes": stats(r["rss_idle"]),
            "idle_hwm_bytes": stats(r["hwm_idle"]),
            "idle_rss_anon_bytes": stats(r["anon_idle"]),
            "idle_rss_file_bytes": stats(r["file_idle"]),
            "rss_after_schema_bytes": stats(r["rss_after_schema"]),
            "hwm_after_schema_bytes": stats(r["hwm_after_schema"]),
            "samples_first_call": r["first"],
        }
    return out


class Workspace:
    """A module directory plus a CLI configuration with dev_overrides for both providers."""

    def __init__(self, root, name, tofu, overrides, main_tf):
        self.dir = Path(root) / name
        self.dir.mkdir(parents=True)
        self.tofu = tofu
        cfg = "provider_installation {\n  dev_overrides {\n"
        for source, d in overrides.items():
            cfg += f'    "{source}" = "{d}"\n'
        cfg += "  }\n  direct {}\n}\n"
        (self.dir / "cli.tfrc").write_text(cfg)
        (self.dir / "main.tf").write_text(main_tf)
        self.env = clean_env({
            "TF_CLI_CONFIG_FILE": str(self.dir / "cli.tfrc"),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "TF_DATA_DIR": str(self.dir / ".tofu"),
        })

    def run(self, args, poll=None, stdout=subprocess.DEVNULL, check=True):
        """Runs tofu; returns wall seconds, exit code, rusage and polled peaks."""
        r = run_polled([str(self.tofu)] + args, self.dir, self.env, poll=poll, stdout=stdout)
        if check and r["rc"] not in (0, 2):
            raise RuntimeError(f"tofu {' '.join(args)} in {self.dir} exited {r['rc']}:\n{r['stderr'][-3000:]}")
        return r


def provider_block_tf(kind, kubeconfig):
    if kind == "hub":
        return ('terraform {\n  required_providers {\n    hub = { source = "hub/hub" }\n  }\n}\n\n'
                f'provider "hub" {{\n  config_path = "{kubeconfig}"\n}}\n')
    if kind == "kubernetes":
        return ('terraform {\n  required_providers {\n    kubernetes = { source = "hashicorp/kubernetes" }\n  }\n}\n\n'
                f'provider "kubernetes" {{\n  config_path = "{kubeconfig}"\n}}\n')
    return ""


def resources_tf(kind, n):
    if kind == "hub":
        return f'\nresource "hub_namespace" "ns" {{\n  count = {n}\n  name  = "bench-hub-${{count.index}}"\n}}\n'
    if kind == "kubernetes":
        return (f'\nresource "kubernetes_namespace_v1" "ns" {{\n  count = {n}\n'
                '  metadata {\n    name = "bench-k8s-${count.index}"\n  }\n}\n')
    return f'\nresource "terraform_data" "d" {{\n  count = {n}\n  input = "bench-floor-${{count.index}}"\n}}\n'


def bench_cli_schema(tofu, overrides, reps, root, kinds):
    log(f"tofu providers schema -json: {reps} runs per variant, interleaved")
    spaces = {k: Workspace(root, f"schema-{k}", tofu, overrides,
                           resources_tf(k, 1) if k == "floor" else provider_block_tf(k, "/nonexistent"))
              for k in kinds}
    walls = {k: [] for k in spaces}
    sizes = {}
    for i in range(reps):
        names = list(spaces) if i % 2 == 0 else list(spaces)[::-1]
        for name in names:
            with open(spaces[name].dir / "schema.json", "wb") as f:
                r = spaces[name].run(["providers", "schema", "-json"], stdout=f)
            if r["rc"] != 0:
                raise RuntimeError(f"providers schema ({name}) exited {r['rc']}: {r['stderr'][-2000:]}")
            walls[name].append(r["wall"])
            sizes[name] = (spaces[name].dir / "schema.json").stat().st_size
    return {k: {"wall_seconds": stats(v), "json_bytes": sizes[k], "samples": v} for k, v in walls.items()}


def bench_plan(tofu, overrides, n, reps, root, kinds, sdir):
    out = {"n": n}
    kubeconfig = sdir / "kubeconfig"
    spaces = {k: Workspace(root, f"plan-{k}", tofu, overrides, provider_block_tf(k, kubeconfig) + resources_tf(k, n))
              for k in kinds}
    poll = {"hub": "terraform-provi", "kubernetes": "terraform-provi", "floor": "terraform-provi"}
    for k, ws in spaces.items():
        log(f"plan: apply of {n} ({k})")
        r = ws.run(["apply", "-auto-approve", "-input=false", "-no-color"], poll=poll[k])
        if r["rc"] != 0:
            raise RuntimeError(f"apply ({k}) exited {r['rc']}: {r['stderr'][-2000:]}")
        out.setdefault(k, {})["apply"] = {"wall_seconds": r["wall"], "provider_hwm_bytes": r["provider_hwm"],
                                         "cli_hwm_bytes": r["cli_hwm"]}
    samples = {k: [] for k in kinds}
    log(f"plan: {reps} refreshing plans per variant, interleaved")
    for i in range(reps):
        order = list(kinds) if i % 2 == 0 else list(kinds)[::-1]
        for k in order:
            r = spaces[k].run(["plan", "-input=false", "-no-color", "-lock=false", "-detailed-exitcode"],
                              poll=poll[k])
            ru = r["rusage"]
            samples[k].append({
                "wall": r["wall"], "rc": r["rc"], "provider_hwm": r["provider_hwm"], "cli_hwm": r["cli_hwm"],
                "provider_anon": r["provider_anon"],
                "provider_processes": r["provider_processes"],
                "cpu": (ru.ru_utime + ru.ru_stime) if ru else None,
            })
            if r["rc"] != 0:
                log(f"plan ({k}) exit {r['rc']} (2 = changes: the plan is not empty)")
    for k, ss in samples.items():
        out[k]["plan"] = {
            "wall_seconds": stats([s["wall"] for s in ss]),
            "cpu_seconds": stats([s["cpu"] for s in ss if s["cpu"] is not None]),
            "provider_peak_rss_bytes": stats([s["provider_hwm"] for s in ss]) if k != "floor" else None,
            "provider_max_polled_rss_anon_bytes": stats([s["provider_anon"] for s in ss]) if k != "floor" else None,
            "cli_peak_rss_bytes": stats([s["cli_hwm"] for s in ss]),
            "provider_processes": [s["provider_processes"] for s in ss],
            "exit_codes": [s["rc"] for s in ss],
            "samples": ss,
        }
    return out


def binary_sizes(bins, root):
    out = {}
    for name, b in bins.items():
        tmp = Path(root) / f"{name}.stripped"
        shutil.copy(b, tmp)
        subprocess.run(["strip", str(tmp)], check=True)
        out[name] = {"bytes": Path(b).stat().st_size, "stripped_bytes": tmp.stat().st_size}
    return out


def git(*args):
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and 10 resources (about 3 minutes)")
    ap.add_argument("--out", default=str(HERE / "results.json"))
    ap.add_argument("--skip-plan", action="store_true", help="no local control plane (scenario 3's plan)")
    ap.add_argument("--no-kubernetes-plan", action="store_true", help="plan only hub and the floor")
    ap.add_argument("--skip-scale", action="store_true", help="no plan-and-apply-at-scale scenario (scenario 1)")
    ap.add_argument("--scale-only", action="store_true", help="only scenario 1 (plan and apply at scale)")
    ap.add_argument("--no-peer", action="store_true", help="do not measure the kubernetes provider even if built")
    ap.add_argument("--hub-bin", help="provider binary to measure (default: the release build)")
    ap.add_argument("--hub-commit", help="with --hub-bin: the commit that binary was built from (a clean export)")
    a = ap.parse_args()
    # scale: (N applications, repetitions of init and of the plans, repetitions of apply and destroy). The
    # kubernetes provider's apply of 50 and 100 apps takes about a minute under load, so those are repeated
    # fewer times to keep the full run reasonable; the plans (the targets) get every repetition. The largest N
    # (the growth from 100 apps) runs hub and the floors only, as the peer's apply there is too slow for the
    # run, with fewer repetitions (bench/README.md).
    cfg = ({"handshake_runs": 10, "rpc_processes": 5, "warm_calls": 5, "cli_reps": 2, "plan_n": 10, "plan_reps": 2,
            "scale": [(1, 3, 3), (10, 3, 3)]}
           if a.quick else
           {"handshake_runs": 50, "rpc_processes": 15, "warm_calls": 10, "cli_reps": 5, "plan_n": 50, "plan_reps": 5,
            "scale": [(1, 5, 5), (10, 5, 5), (50, 5, 2), (100, 5, 1), (1000, 3, 1)]})
    cfg["scale_peer_max_n"] = 100
    cfg["idle_wait_seconds"] = 1.0
    ver = versions_env()
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    hub_bin = Path(a.hub_bin).resolve() if a.hub_bin else target / "release/terraform-provider-hub"
    kube_dir = CACHE / f"terraform-provider-kubernetes-{KUBE_PROVIDER_VERSION}"
    kube_bin = kube_dir / "terraform-provider-kubernetes"
    tofu = CACHE / f"tofu-{ver['TOFU_VERSION']}" / "tofu"
    for b in (hub_bin, tofu):
        if not b.exists():
            sys.exit(f"missing {b}: run bench/provider/run.sh (make bench), which builds it")
    # The peer is optional: without it (no source snapshot, and the proxy refuses its commit) hub is measured
    # against the floors and every peer figure is reported as not measured.
    peer = kube_bin.exists() and (kube_dir / ".complete").exists() and not a.no_peer
    if not peer:
        kube_bin = None
        log("the kubernetes provider is not built (see bench/README.md, HUB_BENCH_PEER_SRC): "
            "its figures are not measured")
    cert, key = client_cert(Path.home() / ".cache/hub/bench")
    cert_pem = cert.read_text()
    providers = [Provider("hub", hub_bin, "hub_namespace", cert_pem)]
    overrides = {"hub/hub": str(hub_bin.parent)}
    if peer:
        providers.append(Provider("kubernetes", kube_bin, "kubernetes_namespace_v1", cert_pem))
        overrides["hashicorp/kubernetes"] = str(kube_dir)
    source = kube_dir / "SOURCE"

    load = LoadSampler()
    load.start()
    started = time.time()
    results = {
        "schema_version": 1,
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "quick": a.quick,
        "config": cfg,
        "commit": a.hub_commit or git("rev-parse", "HEAD"),
        "commit_subject": git("log", "-1", "--format=%s", a.hub_commit or "HEAD")[:120],
        "hub_source": (f"clean export of {a.hub_commit}" if a.hub_commit else
                       "work tree at " + git("rev-parse", "--short", "HEAD")
                       + (" with uncommitted changes under provider/ or proto/"
                          if git("status", "--porcelain", "--", "provider", "proto") else "")),
        "provider_tree_dirty": False if a.hub_commit else bool(git("status", "--porcelain", "--", "provider", "proto")),
        "hub_binary_sha256": hashlib.sha256(hub_bin.read_bytes()).hexdigest(),
        "machine": {"nproc": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version()},
        "tools": {
            "tofu": subprocess.run([str(tofu), "version"], capture_output=True, text=True,
                                   env=clean_env({"TF_CLI_CONFIG_FILE": "/dev/null"})).stdout.splitlines()[0],
            "terraform-provider-kubernetes": (f"v{KUBE_PROVIDER_VERSION} ({KUBE_PROVIDER_COMMIT[:12]}), "
                                              + subprocess.run(["go", "version", str(kube_bin)], capture_output=True,
                                                               text=True).stdout.strip().split(": ")[-1]
                                              if peer else "not built: not measured"),
            "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
            "openssl": subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip(),
        },
        "peer": {"measured": peer,
                 "source": source.read_text().strip() if peer and source.exists() else None,
                 "reason": None if peer else ("--no-peer" if a.no_peer else
                                              "not built: HUB_BENCH_PEER_SRC unset or its build failed, and the "
                                              "Go module proxy does not serve its commit")},
        "targets": {"handshake_median_seconds": 0.010, "rss_bytes": 20 * 1000 * 1000,
                    "handshake_ratio_vs_kubernetes": 0.1, "plan_peak_rss_ratio_vs_kubernetes": 0.2},
    }
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as root:
        sockdir = Path(root) / "sock"
        sockdir.mkdir()
        results["binary_size"] = binary_sizes({pv.name: pv.binary for pv in providers}, root)
        # Warm the page cache once so the first timed run is not a cold read from disk.
        for pv in providers:
            p, _, _ = pv.start(sockdir)
            stop(p)
        if not a.scale_only:
            results["handshake"] = bench_handshake(providers, cfg["handshake_runs"], sockdir)
            results["get_provider_schema"] = bench_rpc(providers, cfg["rpc_processes"], cfg["warm_calls"], sockdir,
                                                       cert, key, cfg["idle_wait_seconds"])
            results["cli_providers_schema"] = bench_cli_schema(tofu, overrides, cfg["cli_reps"], root,
                                                               [pv.name for pv in providers] + ["floor"])
        a.skip_plan = a.skip_plan or a.scale_only
        if not (a.skip_plan and a.skip_scale):
            sdir = Path(root) / "sandbox"
            log(f"starting the local control plane in {sdir}")
            t0 = time.perf_counter()
            up = sandbox("up", sdir)
            if up.returncode != 0:
                raise RuntimeError(f"hub-sandbox up failed:\n{up.stdout[-2000:]}\n{up.stderr[-3000:]}")
            results["sandbox_up_seconds"] = time.perf_counter() - t0
            try:
                if not a.skip_plan:
                    kinds = ["hub", "floor"] if a.no_kubernetes_plan or not peer else ["hub", "kubernetes", "floor"]
                    results["plan"] = bench_plan(tofu, overrides, cfg["plan_n"], cfg["plan_reps"], root, kinds, sdir)
                    results["plan"]["sandbox_up_seconds"] = results["sandbox_up_seconds"]
                if not a.skip_scale:
                    t0 = time.perf_counter()
                    results["scale"] = scale.bench_scale(tofu, hub_bin, kube_bin, KUBE_PROVIDER_VERSION,
                                                         cfg["scale"], root, sdir / "kubeconfig",
                                                         scale.plane_pids(sdir),
                                                         [t for t in scale.TOOLS if peer or t != "kubernetes"],
                                                         peer_max_n=cfg.get("scale_peer_max_n"))
                    results["scale"]["duration_seconds"] = time.perf_counter() - t0
            finally:
                log("stopping the local control plane")
                down = sandbox("down", sdir)
                if down.returncode != 0:
                    log(f"hub-sandbox down failed: {down.stderr[-2000:]}")
    load.sample()
    load.stop.set()
    results["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results["duration_seconds"] = time.time() - started
    l1 = [s["load1"] for s in load.samples]
    results["load"] = {"load1": stats(l1), "samples": load.samples}
    Path(a.out).write_text(json.dumps(results, indent=1, default=list) + "\n")
    log(f"wrote {a.out} ({results['duration_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
