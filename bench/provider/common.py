"""Helpers shared by the provider benchmarks (bench.py) and the scale scenario (scale.py): statistics,
/proc sampling, the load sampler, the local control plane, and running a CLI while polling the peak RSS
and CPU time of it and of the provider processes it starts."""

import os
import subprocess
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def stats(xs):
    """Median, p90, min, max and spread of a sample (seconds or bytes, as given)."""
    xs = sorted(xs)
    if not xs:
        return None
    p90 = xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]
    return {
        "n": len(xs),
        "median": statistics.median(xs),
        "p90": p90,
        "min": xs[0],
        "max": xs[-1],
        "mean": statistics.fmean(xs),
        "stdev": statistics.stdev(xs) if len(xs) > 1 else 0.0,
    }


def proc_status(pid):
    """VmRSS and VmHWM in bytes from /proc/<pid>/status (None once the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    out = {}
    for line in text.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:", "RssAnon:", "RssFile:")):
            k, v = line.split(":", 1)
            out[k] = int(v.split()[0]) * 1024
    return out


def children(pid):
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            kids += [int(x) for x in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


def comm(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except (FileNotFoundError, ProcessLookupError):
        return ""


class LoadSampler(threading.Thread):
    """Samples /proc/loadavg every few seconds for the report."""

    def __init__(self, every=5.0):
        super().__init__(daemon=True)
        self.every, self.samples, self.stop = every, [], threading.Event()

    def sample(self):
        one, five, fifteen = (float(x) for x in Path("/proc/loadavg").read_text().split()[:3])
        self.samples.append({"t": time.time(), "load1": one, "load5": five, "load15": fifteen})

    def run(self):
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.every)


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PLUGIN_"))}
    env.update(extra or {})
    return env


def sandbox(cmd, d):
    # The built binary, not `cargo run`: cargo would wait for the build-directory lock whenever another
    # build runs in this target directory (run.sh builds it first).
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return subprocess.run([str(target / "debug/hub-sandbox"), cmd, "--dir", str(d)], cwd=REPO,
                          capture_output=True, text=True)



def proc_cpu(pid):
    """user+sys seconds of a live process from /proc/<pid>/stat (None once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def run_polled(argv, cwd, env, poll=None, stdout=subprocess.DEVNULL):
    """Runs argv; returns wall seconds, exit code, stderr, rusage (the command and every descendant it
    reaped: tofu and its providers) and, when `poll` (a comm prefix) is given, values polled every 10 ms:
    the CLI's VmHWM, the largest VmHWM and RssAnon among its children named `poll`, how many there were,
    and their summed CPU time as last seen (a lower bound: up to 10 ms of a process's life can be missed)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE)
    peaks = {"cli_hwm": 0, "provider_hwm": 0, "provider_anon": 0}
    cpu = {}
    stderr_chunks = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(p.stderr.read()), daemon=True)
    reader.start()
    ru = None
    while True:
        # Reap with wait4 ourselves (not Popen.poll) to get the rusage: CPU time of tofu and its providers.
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        done = pid != 0
        if done:
            ru, p.returncode = usage, os.waitstatus_to_exitcode(status)
            break
        if poll:
            st = proc_status(p.pid)
            if st:
                peaks["cli_hwm"] = max(peaks["cli_hwm"], st["VmHWM"])
            for kid in children(p.pid):
                if comm(kid).startswith(poll):
                    st, c = proc_status(kid), proc_cpu(kid)
                    if c is not None:
                        cpu[kid] = c
                    if st:
                        peaks["provider_hwm"] = max(peaks["provider_hwm"], st["VmHWM"])
                        peaks["provider_anon"] = max(peaks["provider_anon"], st.get("RssAnon", 0))
        time.sleep(0.01)
    wall = time.perf_counter() - t0
    reader.join()
    err = b"".join(c for c in stderr_chunks if c).decode(errors="replace")
    return {"wall": wall, "rc": p.returncode, "stderr": err, "rusage": ru,
            "cpu": (ru.ru_utime + ru.ru_stime) if ru else None, "provider_cpu": sum(cpu.values()),
            "provider_processes": len(cpu), **peaks}


def hub_header(provider_setting):
    """The `terraform {}` block requiring hub and its provider block with one setting, as every
    benchmark module starts."""
    return ('terraform {\n  required_providers {\n    hub = { source = "hub/hub" }\n  }\n}\n\n'
            f'provider "hub" {{\n  {provider_setting}\n}}\n')
