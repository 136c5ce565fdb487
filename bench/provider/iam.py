#!/usr/bin/env python3
"""Issue 9 scenario 3, IAM wiring: N `hub_irsa_binding` (IAM role with its OIDC trust policy and an S3
inline policy each) against moto on the local control plane, without and with injected throttling (the
sandbox's AWS fault proxy answering a share of the IAM calls with `Throttling`). Per N and fault rate, the
same life cycle in a fresh directory (hub through dev_overrides, so no init): apply, plan with refresh and no
changes, destroy; wall and CPU
time (tofu and the provider), AWS requests and faults injected (from the proxy's counters), and whether
every command succeeded. Repetitions are interleaved (no fault, fault, no fault, ...).

    python3 bench/provider/iam.py [--n 10 50] [--reps 3] [--throttle 0.2]

Starts and stops its own `hub-sandbox` (built by run.sh); writes bench/provider/iam-results.json and
iam-report.md. There is no peer here: the kubernetes and helm providers cannot create IAM roles, and the
hashicorp/aws provider (what terraform-aws-modules' IRSA module uses) is not buildable on this machine.
"""

import argparse
import json
import os
import platform
import tempfile
import time
import urllib.request
from pathlib import Path

from common import hub_header, REPO, clean_env, log, run_polled, sandbox, stats

HERE = Path(__file__).resolve().parent
CACHE = Path.home() / ".cache/hub/tools"
STEPS = {
    "apply": ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"],
    "plan": ["plan", "-input=false", "-no-color", "-detailed-exitcode"],
    "destroy": ["destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"],
}


def faults(url, method, body=None):
    req = urllib.request.Request(f"{url}/faults", method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


def requests_so_far(url):
    stats_ = faults(url, "GET").get("stats", {})
    return stats_.get("requests", 0), stats_.get("throttled", 0) + stats_.get("server_errors", 0)


def config(n, issuer, prefix):
    return hub_header('region = "us-east-1"') + f'''
resource "hub_irsa_binding" "role" {{
  count                    = {n}
  oidc_provider_arn        = "arn:aws:iam::123456789012:oidc-provider/{issuer}"
  namespace                = "team-${{count.index}}"
  service_account          = "app"
  role_name                = "{prefix}${{count.index}}"
  s3_buckets               = [{{ bucket = "bucket-${{count.index}}", access = "read-write" }}]
  verify                   = false
  annotate_service_account = false
}}
'''


def lifecycle(tofu, cli_cfg, env, wdir, n, issuer, prefix, faults_url, rate):
    wdir.mkdir(parents=True)
    (wdir / "main.tf").write_text(config(n, issuer, prefix))
    env = {**env, "TF_CLI_CONFIG_FILE": str(cli_cfg), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    out = {}
    for step, args in STEPS.items():
        if rate:
            faults(faults_url, "PUT", {"throttle_rate": rate, "services": ["iam"]})
        before = requests_so_far(faults_url)
        r = run_polled([str(tofu)] + args, wdir, env, poll="terraform-provi")
        after = requests_so_far(faults_url)
        faults(faults_url, "DELETE")
        want = 0
        out[step] = {"wall": r["wall"], "cpu": r["cpu"], "rc": r["rc"], "ok": r["rc"] == want,
                     "aws_requests": after[0] - before[0], "faults_injected": after[1] - before[1],
                     "error": "" if r["rc"] == want else r["stderr"][-600:]}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, nargs="+", default=[10, 50])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--throttle", type=float, default=0.2)
    ap.add_argument("--out", default=str(HERE))
    a = ap.parse_args()
    versions = dict(line.strip().split("=", 1) for line in (REPO / "tests/tools/versions.env").read_text().splitlines()
                    if "=" in line and not line.lstrip().startswith("#"))
    tofu = CACHE / f"tofu-{versions['TOFU_VERSION']}" / "tofu"
    # The release build run.sh made, in the cargo target directory it used (as bench.py and the sandbox do).
    hub_bin = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "release/terraform-provider-hub"
    if not hub_bin.exists():
        raise SystemExit(f"missing {hub_bin}: run bench/provider/run.sh (make bench), which builds it")
    started = time.time()
    results = {"started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)), "n": a.n, "reps": a.reps,
               "throttle_rate": a.throttle, "kernel": platform.release(), "runs": []}
    with tempfile.TemporaryDirectory(prefix="hub-bench-iam-") as root:
        root = Path(root)
        cli_cfg = root / "cli.tfrc"
        cli_cfg.write_text(f'provider_installation {{\n  dev_overrides {{\n    "hub/hub" = "{hub_bin.parent}"\n  }}\n'
                           f'  direct {{}}\n}}\n')
        sdir = root / "sandbox"
        log(f"iam: starting the local control plane in {sdir}")
        up = sandbox("up", sdir)
        if up.returncode != 0:
            raise SystemExit(f"hub-sandbox up failed:\n{up.stderr[-3000:]}")
        try:
            state = json.loads((sdir / "state.json").read_text())
            env = dict(line.removeprefix("export ").split("=", 1) for line in sandbox("env", sdir).stdout.splitlines()
                       if line.startswith("export "))
            env = clean_env({k: v.strip("'\"") for k, v in env.items()})
            issuer = state["oidc_issuer"].removeprefix("https://")
            seq = 0
            for n in a.n:
                for rep in range(a.reps):
                    for rate in ((0.0, a.throttle) if rep % 2 == 0 else (a.throttle, 0.0)):
                        seq += 1
                        log(f"iam: N={n} rep {rep + 1} throttle {rate:.0%}")
                        run = lifecycle(tofu, cli_cfg, env, root / f"iam-{seq}", n, issuer, f"bench-iam-{seq}-",
                                        state["faults_url"], rate)
                        results["runs"].append({"n": n, "throttle_rate": rate, "rep": rep, "steps": run})
        finally:
            sandbox("down", sdir)
    results["duration_seconds"] = time.time() - started
    out = Path(a.out)
    (out / "iam-results.json").write_text(json.dumps(results, indent=1) + "\n")
    (out / "iam-report.md").write_text(report(results))
    print(report(results))


def report(r):
    lines = [
        "# Scenario 3: IAM wiring (N `hub_irsa_binding` against moto, without and with throttling)",
        "",
        f"Generated by `bench/provider/iam.py` ({r['started_utc']}, {r['duration_seconds']:.0f} s, kernel "
        f"{r['kernel']}). Each binding: an IAM role with its OIDC trust policy and an S3 inline policy. "
        f"Throttled runs: the sandbox's AWS fault proxy answers {r['throttle_rate']:.0%} of IAM calls with "
        "`Throttling` during apply, plan and destroy; the SDK's standard retry mode rides it out. Wall and CPU: "
        "median (min–max) over the repetitions, tofu and the provider together.",
        "",
        "| N | throttling | command | wall | CPU | AWS requests | faults injected | succeeded |",
        "|---|---|---|---|---|---|---|---|",
    ]
    fmt = lambda s: f"{s['median']:.2f} s ({s['min']:.2f}–{s['max']:.2f})" if s else "–"  # noqa: E731
    for n in r["n"]:
        for rate in sorted({x["throttle_rate"] for x in r["runs"]}):
            runs = [x for x in r["runs"] if x["n"] == n and x["throttle_rate"] == rate]
            for step in ("apply", "plan", "destroy"):
                ss = [x["steps"][step] for x in runs]
                ok = sum(s["ok"] for s in ss)
                aws = sorted(s["aws_requests"] for s in ss)
                inj = sorted(s["faults_injected"] for s in ss)
                lines.append(f"| {n} | {rate:.0%} | `{step}` | {fmt(stats([s['wall'] for s in ss]))} | "
                             f"{fmt(stats([s['cpu'] for s in ss]))} | {aws[len(aws) // 2]} | {inj[len(inj) // 2]} | "
                             f"{ok}/{len(ss)} |")
    failed = [x for x in r["runs"] for s in x["steps"].values() if not s["ok"]]
    lines += ["", f"Failed commands: {len(failed)}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
