#!/usr/bin/env python3
"""Side-by-side benchmark of hub-workload and Flask + gunicorn (3 workers) on GET /health.

Called by run.sh, which prepares the venv and the release binary. Only the standard library is used here.
For each server: time from exec to the first 200 from /ready (median of several cold starts), then one
long-lived server is loaded with wrk at 64 and 256 connections (after a warm-up), and its memory is read
from /proc before and after. Both servers run without access logs (gunicorn's default); one extra run
shows hub-workload's cost with its JSON access log on (written to /dev/null).

CPUs: the load generator must not compete with the server it measures. wrk drives hub-workload at ~90,000
requests/s, which costs it about a core, but Flask at ~4,000, which costs it almost nothing; on shared CPUs
Flask thus gets nearly two cores and hub-workload about one. So the measured runs give each server the same
CPU (the last one, through the affinity mask, which gunicorn's workers and tokio's worker count follow) and
wrk the others. One extra run per server at 256 connections on shared CPUs is reported alongside.
"""

import argparse
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

CONNECTIONS = (64, 256)
READY_RUNS = 7
TARGETS = {"rps_ratio": 30.0, "p99_ms_at_256": 5.0, "rss_mb": 15.0, "ready_ms": 20.0}


def cpu_split():
    """(server CPUs, client CPUs): the last allowed CPU for the server, the rest for wrk; None when only one."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return {cpus[-1]}, set(cpus[:-1])


SERVER_CPUS, CLIENT_CPUS = cpu_split()


def pinned(cpus):
    """A preexec_fn that restricts the child to `cpus` (no-op when None)."""
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=1.0):
    """(status, body) of GET path, or (None, error) when nothing answers."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    except OSError as e:
        return None, str(e)
    head, _, body = data.partition(b"\r\n\r\n")
    try:
        return int(head.split()[1]), body
    except (IndexError, ValueError):
        return None, data[:80]


def start_hub(binary, port, access_log=False, cpus=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HUB_HOST": "127.0.0.1",
        "HUB_PORT": str(port),
        "HUB_LOG": "info" if access_log else "warn",
        "HUB_DRAIN_DELAY": "0s",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=pinned(cpus))


def start_gunicorn(venv, app_dir, port, cpus=None):
    argv = [f"{venv}/bin/gunicorn", "-w", "3", "-b", f"127.0.0.1:{port}", "--chdir", app_dir, "flask_app:app"]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pinned(cpus))


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_ready(port, proc, limit=30.0):
    """Seconds until /ready answers 200, polling every 0.5 ms."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before it was ready")
        status, _ = get(port, "/ready", timeout=0.5)
        if status == 200:
            return time.perf_counter() - t0
        time.sleep(0.0005)
    raise RuntimeError("server not ready in time")


def time_to_ready(start):
    """Median and all samples (ms) from exec to the first 200 from /ready, each a cold process."""
    samples = []
    for _ in range(READY_RUNS):
        port = free_port()
        t0 = time.perf_counter()
        proc = start(port)
        try:
            wait_ready(port, proc)
            samples.append((time.perf_counter() - t0) * 1000)
        finally:
            stop(proc)
    return {"median_ms": round(statistics.median(samples), 2), "samples_ms": [round(s, 2) for s in samples]}


def process_tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                children = Path(f"/proc/{p}/task/{task}/children").read_text().split()
                todo.extend(int(c) for c in children)
        except OSError:
            pass
    return pids


def memory(pid):
    """RSS, peak RSS (VmHWM) and PSS summed over the process tree, in bytes."""
    total = {"rss_bytes": 0, "peak_rss_bytes": 0, "pss_bytes": 0, "processes": 0}
    for p in process_tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        kb = lambda text, key: int(re.search(rf"^{key}:\s+(\d+) kB", text, re.M).group(1)) * 1024
        total["rss_bytes"] += kb(status, "VmRSS")
        total["peak_rss_bytes"] += kb(status, "VmHWM")
        total["pss_bytes"] += kb(rollup, "Pss")
        total["processes"] += 1
    return total


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS[unit]


def wrk(port, connections, duration, cpus=None):
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "--latency",
            f"http://127.0.0.1:{port}/health"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True, preexec_fn=pinned(cpus)).stdout
    percentile = lambda p: to_ms(re.search(rf"^\s+{p}%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "connections": connections,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": percentile(50),
        "p90_ms": percentile(90),
        "p99_ms": percentile(99),
        "socket_errors": dict(zip(("connect", "read", "write", "timeout"), map(int, errors.groups())))
        if errors else {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def load(start, duration, connections=CONNECTIONS, isolated=True):
    """wrk runs against one long-lived server; `isolated`: server and wrk on separate CPUs."""
    server_cpus, client_cpus = (SERVER_CPUS, CLIENT_CPUS) if isolated else (None, None)
    port = free_port()
    proc = start(port, server_cpus)
    try:
        wait_ready(port, proc)
        status, body = get(port, "/health")
        assert status == 200 and json.loads(body) == {"status": "healthy"}, (status, body)
        time.sleep(1.0)  # gunicorn answers before all of its workers have started
        idle = memory(proc.pid)
        wrk(port, 64, 2, client_cpus)  # warm-up, discarded
        runs = {str(c): wrk(port, c, duration, client_cpus) for c in connections}
        loaded = memory(proc.pid)
    finally:
        stop(proc)
    return {"health_body": body.decode(), "memory_idle": idle, "memory_after_load": loaded, "wrk": runs}


def version(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub", required=True)
    parser.add_argument("--venv", required=True)
    parser.add_argument("--app-dir", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    hub = lambda port, cpus=None: start_hub(args.hub, port, cpus=cpus)
    hub_logging = lambda port, cpus=None: start_hub(args.hub, port, access_log=True, cpus=cpus)
    flask = lambda port, cpus=None: start_gunicorn(args.venv, args.app_dir, port, cpus)

    started = time.time()
    load_before = os.getloadavg()
    print("== exec to first /ready", file=sys.stderr)
    ready = {"hub-workload": time_to_ready(hub), "flask-gunicorn": time_to_ready(flask)}
    print(f"   {ready}", file=sys.stderr)
    servers = {}
    for name, start in (("hub-workload", hub), ("flask-gunicorn", flask)):
        print(f"== wrk against {name}", file=sys.stderr)
        servers[name] = load(start, args.duration) | {"ready": ready[name]}
    print("== wrk against hub-workload with access logs on (256 connections)", file=sys.stderr)
    servers["hub-workload (access log on)"] = load(hub_logging, args.duration, connections=(256,))
    for name, start in (("hub-workload", hub), ("flask-gunicorn", flask)):
        print(f"== wrk against {name} on shared CPUs (256 connections)", file=sys.stderr)
        servers[f"{name} (shared CPUs)"] = load(start, args.duration, connections=(256,), isolated=False)
    load_after = os.getloadavg()

    hub_r, flask_r = servers["hub-workload"], servers["flask-gunicorn"]
    ratios = {
        f"rps_x_at_{c}": round(hub_r["wrk"][str(c)]["rps"] / max(flask_r["wrk"][str(c)]["rps"], 1e-9), 1)
        for c in CONNECTIONS
    }
    shared = lambda name: servers[f"{name} (shared CPUs)"]["wrk"]["256"]["rps"]
    ratios["rps_x_at_256_shared_cpus"] = round(shared("hub-workload") / max(shared("flask-gunicorn"), 1e-9), 1)
    ratios["p99_at_256_flask_over_hub"] = round(flask_r["wrk"]["256"]["p99_ms"] / max(hub_r["wrk"]["256"]["p99_ms"], 1e-9), 1)
    ratios["pss_flask_over_hub"] = round(flask_r["memory_after_load"]["pss_bytes"] / hub_r["memory_after_load"]["pss_bytes"], 1)
    ratios["ready_flask_over_hub"] = round(flask_r["ready"]["median_ms"] / hub_r["ready"]["median_ms"], 1)
    peak_mb = hub_r["memory_after_load"]["peak_rss_bytes"] / 2**20
    targets = {
        "rps_ratio >= 30 at 64 and 256": min(ratios["rps_x_at_64"], ratios["rps_x_at_256"]) >= TARGETS["rps_ratio"],
        "p99 <= 5 ms at 256": hub_r["wrk"]["256"]["p99_ms"] <= TARGETS["p99_ms_at_256"],
        "peak RSS <= 15 MB": peak_mb <= TARGETS["rss_mb"],
        "ready <= 20 ms (median)": hub_r["ready"]["median_ms"] <= TARGETS["ready_ms"],
    }
    results = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "machine": {
            "cpus": os.cpu_count(),
            "kernel": platform.release(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "server_cpus": sorted(SERVER_CPUS) if SERVER_CPUS else "all",
            "wrk_cpus": sorted(CLIENT_CPUS) if CLIENT_CPUS else "all",
            "note": "measured runs: server pinned to server_cpus, wrk (2 threads) to wrk_cpus; the shared-CPU runs "
                    "and other users' jobs are not pinned; everything runs under nice",
        },
        "versions": {
            "hub-workload": version([args.hub, "--version"]),
            "wrk": version(["wrk", "-v"]).splitlines()[0] if version(["wrk", "-v"]) else "unknown",
            "gunicorn": version([f"{args.venv}/bin/gunicorn", "--version"]),
            "flask": version([f"{args.venv}/bin/python", "-c", "import importlib.metadata as m; print(m.version('flask'))"]),
            "python": version([f"{args.venv}/bin/python", "--version"]),
        },
        "duration_s_per_run": args.duration,
        "servers": servers,
        "ratios": ratios,
        "targets": targets,
    }
    out = Path(args.out)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(markdown(results))
    print((out / "results.md").read_text())


def markdown(r):
    mb = lambda b: f"{b / 2**20:.1f} MB"
    hub, flask = r["servers"]["hub-workload"], r["servers"]["flask-gunicorn"]
    logged = r["servers"]["hub-workload (access log on)"]["wrk"]["256"]
    lines = [
        "# hub-workload vs Flask + gunicorn (3 workers): GET /health",
        "",
        f"Run {r['date']} on {r['machine']['cpus']} CPUs (kernel {r['machine']['kernel']}), load average "
        f"{r['machine']['load_average_before']} before and {r['machine']['load_average_after']} after. "
        f"wrk 2 threads, {r['duration_s_per_run']} s per run after a 2 s warm-up. Each server runs on CPU "
        f"{r['machine']['server_cpus']} and wrk on CPU {r['machine']['wrk_cpus']} (same CPU budget for both servers; "
        "see bench.py); other jobs on the machine are not pinned.",
        f"Versions: {r['versions']['hub-workload']}; {r['versions']['gunicorn']}, Flask {r['versions']['flask']}, "
        f"{r['versions']['python']}; {r['versions']['wrk']}.",
        "",
        "| | hub-workload | Flask + gunicorn | ratio |",
        "|---|---:|---:|---:|",
    ]
    for c in CONNECTIONS:
        h, f = hub["wrk"][str(c)], flask["wrk"][str(c)]
        lines.append(f"| requests/s, {c} connections | {h['rps']:,.0f} | {f['rps']:,.0f} | {r['ratios'][f'rps_x_at_{c}']}× |")
        lines.append(f"| p50 / p99, {c} connections | {h['p50_ms']:.2f} / {h['p99_ms']:.2f} ms | {f['p50_ms']:.2f} / {f['p99_ms']:.2f} ms | |")
        herr, ferr = sum(h["socket_errors"].values()) + h["non_2xx"], sum(f["socket_errors"].values()) + f["non_2xx"]
        lines.append(f"| errors (socket + non-2xx), {c} connections | {herr} | {ferr} | |")
    lines += [
        f"| RSS idle | {mb(hub['memory_idle']['rss_bytes'])} | {mb(flask['memory_idle']['rss_bytes'])} ({flask['memory_idle']['processes']} processes) | |",
        f"| peak RSS under load | {mb(hub['memory_after_load']['peak_rss_bytes'])} | {mb(flask['memory_after_load']['peak_rss_bytes'])} (sum) | |",
        f"| PSS after load | {mb(hub['memory_after_load']['pss_bytes'])} | {mb(flask['memory_after_load']['pss_bytes'])} (sum) | {r['ratios']['pss_flask_over_hub']}× |",
        f"| exec → first 200 from /ready (median of {len(hub['ready']['samples_ms'])}) | {hub['ready']['median_ms']:.1f} ms | {flask['ready']['median_ms']:.1f} ms | {r['ratios']['ready_flask_over_hub']}× |",
        "",
        f"hub-workload with its JSON access log on (to /dev/null), 256 connections: {logged['rps']:,.0f} requests/s, "
        f"p50 {logged['p50_ms']:.2f} ms, p99 {logged['p99_ms']:.2f} ms.",
        "",
        "Shared CPUs (server and wrk unpinned, 256 connections): "
        + ", ".join(
            f"{name} {r['servers'][name + ' (shared CPUs)']['wrk']['256']['rps']:,.0f} requests/s "
            f"(p99 {r['servers'][name + ' (shared CPUs)']['wrk']['256']['p99_ms']:.2f} ms)"
            for name in ("hub-workload", "flask-gunicorn"))
        + f"; ratio {r['ratios']['rps_x_at_256_shared_cpus']}×. Here wrk takes about a core from hub-workload but "
        "almost none from Flask.",
        "",
        "Targets (issue 7):",
        "",
    ]
    lines += [f"- {'met' if ok else 'NOT met'}: {name}" for name, ok in r["targets"].items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
