#!/usr/bin/env python3
"""Renders bench/provider/results.json into report.md and a chart (chart.png with matplotlib, else
chart.svg from this script alone). Usage: report.py [results.json]"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def ms(x):
    return "–" if x is None else f"{x * 1000:.1f} ms" if x >= 0.01 else f"{x * 1000:.2f} ms"


def sec(x):
    return "–" if x is None else f"{x:.2f} s"


def mb(x):
    return "–" if x is None else f"{x / 1e6:.1f} MB"


NM = "not measured"


def peer_measured(r):
    """Whether this run measured the kubernetes provider (older results always did)."""
    return get(r, "peer", "measured") is not False


def med(s, key="median"):
    return None if not s else s[key]


def spread(s, fmt):
    """`median (p90 …; min–max …, n=…)`"""
    if not s:
        return "–"
    return f"{fmt(s['median'])} (p90 {fmt(s['p90'])}; {fmt(s['min'])}–{fmt(s['max'])}, n={s['n']})"


def ratio(a, b):
    return "–" if a is None or b in (None, 0) else f"{a / b:.2f}×" if a / b >= 0.1 else f"1/{b / a:.0f}"


def get(d, *path):
    for p in path:
        if d is None:
            return None
        d = d.get(p) if isinstance(d, dict) else None
    return d


def rows(r):
    """(figure, hub, kubernetes, floor, hub/kubernetes, hub/floor, target, met) rows for the main table."""
    hs, rpc, cli, plan, size = r["handshake"], r["get_provider_schema"], r["cli_providers_schema"], r.get("plan"), \
        r["binary_size"]
    t = r["targets"]
    out = []
    h, k = get(hs, "hub", "seconds"), get(hs, "kubernetes", "seconds")
    out.append(("Exec → handshake line", spread(h, ms), spread(k, ms), "", ratio(med(h), med(k)), "",
                f"≤ {ms(t['handshake_median_seconds'])}, ≤ 1/10 of kubernetes",
                "≤ 10 ms: " + ("yes" if med(h) <= t["handshake_median_seconds"] else "no") + "; ≤ 1/10: "
                + (NM if not k else "yes" if med(h) <= 0.1 * med(k) else f"no ({med(h) / med(k):.2f})")))
    for key, label in (("first_call_seconds", "GetProviderSchema, first call on a fresh process (mTLS)"),
                       ("warm_call_seconds", "GetProviderSchema, later calls (same connection)"),
                       ("connect_seconds", "mTLS connect (unix socket + TLS handshake)")):
        h, k = get(rpc, "hub", key), get(rpc, "kubernetes", key)
        out.append((label, spread(h, ms), spread(k, ms), "", ratio(med(h), med(k)), "", "", ""))
    out.append(("GetProviderSchema response size", f"{rpc['hub']['response_bytes']:,} B",
                f"{get(rpc, 'kubernetes', 'response_bytes') or 0:,} B", "", "", "", "", ""))
    h, k, f = (get(cli, n, "wall_seconds") for n in ("hub", "kubernetes", "floor"))
    out.append(("`tofu providers schema -json` wall time", spread(h, ms), spread(k, ms), spread(f, ms),
                ratio(med(h), med(k)), ratio(med(h), med(f)), "", ""))
    for key, label in (("idle_rss_bytes", "Idle RSS (1 s after the handshake)"),
                       ("idle_rss_anon_bytes", "… of which anonymous (heap, stacks): RssAnon"),
                       ("idle_rss_file_bytes", "… of which file-backed (the binary's pages): RssFile"),
                       ("rss_after_schema_bytes", "RSS after GetProviderSchema calls"),
                       ("hwm_after_schema_bytes", "Peak RSS (VmHWM) of a started provider after schema calls")):
        h, k = get(rpc, "hub", key), get(rpc, "kubernetes", key)
        met = ("yes" if med(h) <= t["rss_bytes"] else "no") if key == "idle_rss_bytes" else ""
        out.append((label, spread(h, mb), spread(k, mb), "", ratio(med(h), med(k)), "",
                    f"≤ {mb(t['rss_bytes'])}" if met else "", met))
    if plan:
        n = plan["n"]
        for key, label, fmt in (("wall_seconds", f"`tofu plan` (refresh of {n} applied objects), wall", sec),
                                ("cpu_seconds", f"`tofu plan` of {n}, CPU (tofu + provider, user+sys)", sec)):
            h, k, f = (get(plan, v, "plan", key) for v in ("hub", "kubernetes", "floor"))
            out.append((label, spread(h, fmt), spread(k, fmt), spread(f, fmt), ratio(med(h), med(k)),
                        ratio(med(h), med(f)), "", ""))
        h, k = get(plan, "hub", "plan", "provider_peak_rss_bytes"), get(plan, "kubernetes", "plan",
                                                                         "provider_peak_rss_bytes")
        met = "≤ 20 MB: " + ("yes" if med(h) is not None and med(h) <= t["rss_bytes"] else "no")
        if med(k):
            met += "; ≤ 1/5: " + ("yes" if med(h) <= 0.2 * med(k) else f"no ({med(h) / med(k):.2f})")
        elif not peer_measured(r):
            met += "; ≤ 1/5: " + NM
        out.append((f"Provider peak RSS during the plan of {n} (max VmHWM over its processes)", spread(h, mb),
                    spread(k, mb), "", ratio(med(h), med(k)), "", f"≤ {mb(t['rss_bytes'])}, ≤ 1/5 of kubernetes",
                    met))
        h, k = (get(plan, v, "plan", "provider_max_polled_rss_anon_bytes") for v in ("hub", "kubernetes"))
        if h:
            out.append((f"… its largest polled RssAnon during the plan of {n} (anonymous part)", spread(h, mb),
                        spread(k, mb), "", ratio(med(h), med(k)), "", "", ""))
        h, k, f = (get(plan, v, "plan", "cli_peak_rss_bytes") for v in ("hub", "kubernetes", "floor"))
        out.append((f"tofu's own peak RSS during the plan of {n}", spread(h, mb), spread(k, mb), spread(f, mb),
                    ratio(med(h), med(k)), ratio(med(h), med(f)), "", ""))
        h, k, f = (get(plan, v, "apply", "wall_seconds") for v in ("hub", "kubernetes", "floor"))
        out.append((f"First `tofu apply` of {n} (one run)", sec(h), sec(k), sec(f), ratio(h, k), ratio(h, f), "", ""))
    h, k = size["hub"], size.get("kubernetes") or {"bytes": 0, "stripped_bytes": 0}
    out.append(("Release binary size", f"{h['bytes']:,} B ({mb(h['bytes'])})", f"{k['bytes']:,} B ({mb(k['bytes'])})",
                "", ratio(h["bytes"], k["bytes"]), "", "", ""))
    out.append(("… after `strip`", f"{h['stripped_bytes']:,} B", f"{k['stripped_bytes']:,} B", "",
                ratio(h["stripped_bytes"], k["stripped_bytes"]), "", "", ""))
    if not peer_measured(r):
        # No peer in this run: its column and the ratios to it say so rather than showing a dash or a zero.
        out = [(row[0], row[1], NM, row[3], NM) + row[5:] for row in out]
    return out


SCALE_TOOLS = ("hub", "kubernetes", "floor-8", "floor-1")
STEP_LABEL = {"init": "`init`", "apply": "first `apply`", "plan": "`plan`, refresh, no changes",
              "plan_change": "`plan` after one image change", "destroy": "`destroy`"}


def brief(s, fmt):
    """`median (min–max, n=…)`: the compact cell of the scale tables."""
    if not s:
        return "–"
    return f"{fmt(s['median'])} ({fmt(s['min'])}–{fmt(s['max'])}, n={s['n']})"


def cnt(x):
    return "–" if x is None else f"{x:,.0f}"


def scale_tables(sc):
    """Markdown lines: wall, CPU, RSS and API tables per N and command, derived figures, the targets."""
    by_n = sc["by_n"]
    ns = sorted(by_n, key=int)
    g = lambda n, t, step, key: get(by_n, n, t, step, key)  # noqa: E731
    m = lambda n, t, step, key: med(g(n, t, step, key))  # noqa: E731
    has_k = lambda n: "kubernetes" in by_n[n]  # noqa: E731

    def kc(n, text):
        """A cell that needs the kubernetes provider: "not measured" where it did not run at this N."""
        return text if has_k(n) else NM

    out = []
    out += ["### Wall time", "",
            "| N | command | hub | kubernetes | floor-8 (8N `terraform_data`) | floor-1 (N `terraform_data`) "
            "| hub / kubernetes | hub / floor-8 | hub / floor-1 |", "|---|---|---|---|---|---|---|---|---|"]
    for n in ns:
        for step in STEP_LABEL:
            h, k, f8, f1 = (m(n, t, step, "wall_seconds") for t in SCALE_TOOLS)
            out.append(f"| {n} | {STEP_LABEL[step]} | " + " | ".join(
                kc(n, brief(g(n, t, step, "wall_seconds"), sec)) if t == "kubernetes" else
                brief(g(n, t, step, "wall_seconds"), sec) for t in SCALE_TOOLS)
                + f" | {kc(n, ratio(h, k))} | {ratio(h, f8)} | {ratio(h, f1)} |")
    out += ["", "### CPU time (user+sys)", "",
            "Total = tofu and every provider process it started (`wait4` rusage); provider = the provider processes "
            "alone (polled from /proc, a lower bound); control plane = kube-apiserver + etcd over the same command.",
            "", "| N | command | hub: total / provider / control plane | kubernetes: total / provider / control plane "
            "| floor-8 | floor-1 | hub / kubernetes (total) | hub / floor-8 | hub / floor-1 |",
            "|---|---|---|---|---|---|---|---|---|"]
    for n in ns:
        for step in STEP_LABEL:
            cells = []
            for t in ("hub", "kubernetes"):
                cells.append(" / ".join(sec(m(n, t, step, k)) for k in
                                        ("cpu_seconds", "provider_cpu_seconds", "plane_cpu_seconds")))
            h, k, f8, f1 = (m(n, t, step, "cpu_seconds") for t in SCALE_TOOLS)
            out.append(f"| {n} | {STEP_LABEL[step]} | {cells[0]} | {kc(n, cells[1])} | {sec(f8)} | {sec(f1)} | "
                       f"{kc(n, ratio(h, k))} | {ratio(h, f8)} | {ratio(h, f1)} |")
    out += ["", "### Peak RSS", "",
            "Provider = the largest VmHWM among the provider processes of the command; tofu = the CLI's VmHWM.", "",
            "| N | command | provider: hub | provider: kubernetes | hub / kubernetes | tofu: hub | tofu: kubernetes "
            "| tofu: floor-8 | tofu: floor-1 |", "|---|---|---|---|---|---|---|---|---|"]
    for n in ns:
        for step in ("apply", "plan", "plan_change", "destroy"):
            h, k = m(n, "hub", step, "provider_peak_rss_bytes"), m(n, "kubernetes", step, "provider_peak_rss_bytes")
            out.append(f"| {n} | {STEP_LABEL[step]} | {brief(g(n, 'hub', step, 'provider_peak_rss_bytes'), mb)} | "
                       f"{kc(n, brief(g(n, 'kubernetes', step, 'provider_peak_rss_bytes'), mb))} | "
                       f"{kc(n, ratio(h, k))} | "
                       + " | ".join(kc(n, mb(m(n, t, step, "cli_peak_rss_bytes"))) if t == "kubernetes" else
                                    mb(m(n, t, step, "cli_peak_rss_bytes")) for t in SCALE_TOOLS) + " |")
    out += ["", "### API requests", "",
            "From the API server's `apiserver_request_total`, before and after each command: reads = GET and LIST of "
            "the apps' 8 resources, writes = POST, PUT, PATCH, APPLY (server-side apply), DELETE of them (the "
            "controllers' own status and scale calls, on subresources, and their work on Pods, ReplicaSets and "
            "EndpointSlices are not counted). Medians.", "",
            "| N | command | hub: reads | hub: writes | kubernetes: reads | kubernetes: writes |", "|---|---|---|---|---|---|"]
    for n in ns:
        for step in ("apply", "plan", "plan_change", "destroy"):
            out.append(f"| {n} | {STEP_LABEL[step]} | " + " | ".join(
                kc(n, cnt(m(n, t, step, k))) if t == "kubernetes" else cnt(m(n, t, step, k))
                for t in ("hub", "kubernetes") for k in ("app_reads", "app_writes")) + " |")
    out += ["", "### Derived per application", "",
            "API reads per refreshed app = reads during the plan with refresh ÷ N (each app manages 8 objects). "
            "Provider's own time per app = (tool − floor) ÷ N for the plan with refresh, against the floor with as "
            "many resource instances as the tool has (hub: floor-1, N instances; kubernetes: floor-8, 8N).", "",
            "| N | API reads per refreshed app: hub | … kubernetes | objects per app | hub − floor-1, wall per app "
            "| kubernetes − floor-8, wall per app | hub − floor-1, CPU per app | kubernetes − floor-8, CPU per app |",
            "|---|---|---|---|---|---|---|---|"]
    for n in ns:
        N = int(n)
        per = lambda t, f, key: (None if m(n, t, "plan", key) is None or m(n, f, "plan", key) is None  # noqa: E731
                                 else (m(n, t, "plan", key) - m(n, f, "plan", key)) / N)
        k_reads = kc(n, f"{m(n, 'kubernetes', 'plan', 'app_reads') / N:.1f}" if has_k(n) else "")
        k_wall = kc(n, ms(per('kubernetes', 'floor-8', 'wall_seconds')) if has_k(n) else "")
        k_cpu = kc(n, ms(per('kubernetes', 'floor-8', 'cpu_seconds')) if has_k(n) else "")
        out.append(f"| {n} | {m(n, 'hub', 'plan', 'app_reads') / N:.1f} | {k_reads}"
                   f" | 8 | {ms(per('hub', 'floor-1', 'wall_seconds'))} | {k_wall}"
                   f" | {ms(per('hub', 'floor-1', 'cpu_seconds'))} | {k_cpu} |")
    # Issue 9's targets are defined at 100 apps, against the peer: the largest N the peer runs at.
    cap = sc.get("peer_max_n")
    big = [n for n in ns if cap is None or int(n) <= cap][-1] if any(cap is None or int(n) <= cap for n in ns) \
        else ns[-1]
    h, k, f8, f1 = (m(big, t, "plan", "wall_seconds") for t in SCALE_TOOLS)
    hr, kr = m(big, "hub", "plan", "provider_peak_rss_bytes"), m(big, "kubernetes", "plan", "provider_peak_rss_bytes")
    reads = m(big, "hub", "plan", "app_reads") / int(big)
    yes = lambda ok: "yes" if ok else "**no**"  # noqa: E731
    kyes = lambda ok: kc(big, yes(ok()) if has_k(big) else "")  # noqa: E731
    out += ["", f"### Targets (issue 9), `plan` with refresh of {big} apps, same run", "",
            "| target | hub | other | ratio | met |", "|---|---|---|---|---|",
            f"| wall ≤ 1/3 of the kubernetes provider's | {sec(h)} | {kc(big, sec(k))} | {kc(big, ratio(h, k))} | "
            f"{kyes(lambda: h <= k / 3)} |",
            f"| wall ≤ 1.5× the floor (floor-8: 8N instances, as many as the managed objects) | {sec(h)} | {sec(f8)} | "
            f"{ratio(h, f8)} | {'–' if f8 is None else yes(h <= 1.5 * f8)} |",
            f"| wall ≤ 1.5× the floor (floor-1: N instances, as many as hub's) | {sec(h)} | {sec(f1)} | "
            f"{ratio(h, f1)} | {'–' if f1 is None else yes(h <= 1.5 * f1)} |",
            f"| provider peak RSS ≤ 1/5 of the kubernetes provider's | {mb(hr)} | {kc(big, mb(kr))} | "
            f"{kc(big, ratio(hr, kr))} | {kyes(lambda: hr <= kr / 5)} |",
            f"| API reads per refreshed app ≤ one per managed object (8) | {reads:.1f} | "
            + kc(big, f"{m(big, 'kubernetes', 'plan', 'app_reads') / int(big):.1f} (kubernetes)" if has_k(big) else "")
            + f" | {reads / 8:.2f} per object | {yes(reads <= 8)} |"]
    out += growth(sc)
    probe = sc.get("rollout_wait_probe")
    if probe:
        hw = get(by_n, str(probe["n"]), "hub", "apply", "wall_seconds")
        out += ["", f"hub runs with `rollout = {{ wait = false }}` (the kubernetes provider with "
                f"`wait_for_rollout = false`), for parity. One extra hub apply of {probe['n']} apps with waiting on "
                f"took {sec(probe['apply']['wall'])} ({cnt(probe['apply']['api']['app_reads'])} reads) against "
                f"{sec(med(hw))} without."]
    return out


def growth(sc, lo="100"):
    """Markdown lines: how hub's plan (and the floors') grow from `lo` apps to the largest N."""
    by_n = sc["by_n"]
    hi = max(by_n, key=int)
    if lo not in by_n or hi == lo:
        return []
    f = int(hi) / int(lo)
    m = lambda n, t, key: med(get(by_n, n, t, "plan", key))  # noqa: E731
    out = ["", f"### Growth from {lo} to {int(hi):,} apps, `plan` with refresh and no changes", "",
           f"Ratios of medians, {hi} ÷ {lo}; N grows {f:.0f}×, so a ratio ≤ {f:.0f}× is linear or better. "
           f"Goal (issue 19): linear or better, and hub's provider peak RSS ≤ 40 MB at {hi}.", "",
           f"| figure | tool | N = {lo} | N = {hi} | ratio | linear or better |", "|---|---|---|---|---|---|"]
    rows_ = [("wall", "wall_seconds", sec, t) for t in ("hub", "floor-8", "floor-1")]
    rows_ += [("CPU (tofu + provider)", "cpu_seconds", sec, t) for t in ("hub", "floor-8", "floor-1")]
    rows_ += [("provider CPU", "provider_cpu_seconds", sec, "hub"),
              ("API reads", "app_reads", cnt, "hub"),
              ("provider peak RSS", "provider_peak_rss_bytes", mb, "hub"),
              ("tofu peak RSS", "cli_peak_rss_bytes", mb, "hub")]
    if "kubernetes" in by_n[hi]:
        rows_ += [("wall", "wall_seconds", sec, "kubernetes"),
                  ("provider peak RSS", "provider_peak_rss_bytes", mb, "kubernetes")]
    for label, key, fmt, t in rows_:
        a, b = m(lo, t, key), m(hi, t, key)
        if not a or not b:
            continue
        goal = ""
        if t == "hub" and key == "provider_peak_rss_bytes":
            goal = f"; ≤ 40 MB: {'yes' if b <= 40e6 else '**no**'}"
        out.append(f"| {label} | {t} | {fmt(a)} | {fmt(b)} | {b / a:.2f}× | "
                   f"{'yes' if b / a <= f else '**no**'}{goal} |")
    if "kubernetes" not in by_n[hi]:
        out += ["", f"The kubernetes provider is not measured at N = {hi}: from its apply of 100 apps, its run "
                "there would take well over ten minutes."]
    return out


def chart_data(r):
    hs, rpc, plan = r["handshake"], r["get_provider_schema"], r.get("plan")
    names = [v for v in ("hub", "kubernetes") if v in hs]
    panels = [
        ("Exec → handshake (ms)", [(v, hs[v]["seconds"], 1000) for v in names]),
        ("GetProviderSchema, first call (ms)", [(v, rpc[v]["first_call_seconds"], 1000) for v in names]),
        ("Idle RSS (MB)", [(v, rpc[v]["idle_rss_bytes"], 1e-6) for v in names]),
    ]
    if plan:
        panels.append((f"plan of {plan['n']}: provider peak RSS (MB)",
                       [(v, get(plan, v, "plan", "provider_peak_rss_bytes"), 1e-6) for v in ("hub", "kubernetes")
                        if get(plan, v, "plan", "provider_peak_rss_bytes")]))
        panels.append((f"plan of {plan['n']}: wall (s)",
                       [(v, get(plan, v, "plan", "wall_seconds"), 1) for v in ("hub", "kubernetes", "floor")
                        if get(plan, v, "plan", "wall_seconds")]))
    return panels


COLORS = {"hub": "#2b7bba", "kubernetes": "#d9822b", "floor": "#8c8c8c", "floor-8": "#8c8c8c",
          "floor-1": "#b0b0b0"}


def scale_panels(sc):
    """(title, {tool: [(N, median, min, max)]}) line panels of scenario 1."""
    by_n = sc["by_n"]
    ns = sorted(by_n, key=int)

    def series(step, key, scale, tools, per_app=False):
        out = {}
        for t in tools:
            pts = []
            for n in ns:
                s = get(by_n, n, t, step, key)
                if s:
                    d = int(n) if per_app else 1
                    pts.append((int(n), s["median"] * scale / d, s["min"] * scale / d, s["max"] * scale / d))
            out[t] = pts
        return out

    return [
        ("plan with refresh: wall (s)", series("plan", "wall_seconds", 1, SCALE_TOOLS)),
        ("first apply: wall (s)", series("apply", "wall_seconds", 1, SCALE_TOOLS)),
        ("plan with refresh: provider peak RSS (MB)", series("plan", "provider_peak_rss_bytes", 1e-6,
                                                             ("hub", "kubernetes"))),
        ("plan: API reads per app", series("plan", "app_reads", 1, ("hub", "kubernetes"), per_app=True)),
    ]


def chart_png(r, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = chart_data(r) if "handshake" in r else []
    sc = r.get("scale")
    lines = scale_panels(sc) if sc else []
    cols = max(len(panels), len(lines))
    rows_ = (1 if panels else 0) + (1 if lines else 0)
    fig, grid = plt.subplots(rows_, cols, figsize=(3.2 * cols, 3.4 * rows_), squeeze=False)
    for ax in grid.flat:
        ax.set_visible(False)
    for ax, (title, by_tool) in zip(grid[-1], lines):
        ax.set_visible(True)
        for t, pts in by_tool.items():
            if not pts:
                continue
            x = [p[0] for p in pts]
            y = [p[1] for p in pts]
            ax.errorbar(x, y, yerr=[[p[1] - p[2] for p in pts], [p[3] - p[1] for p in pts]], marker="o", ms=3,
                        capsize=3, label=t, color=COLORS.get(t, "#555555"),
                        linestyle="--" if t == "floor-1" else "-")
        ax.set_xscale("log")
        if "per app" not in title:
            ax.set_yscale("log")
        ax.set_xlabel("N applications", fontsize=8)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=7)
    for ax, (title, bars) in zip(grid[0] if panels else [], panels):
        ax.set_visible(True)
        names = [b[0] for b in bars]
        meds = [b[1]["median"] * b[2] for b in bars]
        lo = [m - b[1]["min"] * b[2] for m, b in zip(meds, bars)]
        hi = [b[1]["max"] * b[2] - m for m, b in zip(meds, bars)]
        ax.bar(names, meds, yerr=[lo, hi], capsize=4, color=[COLORS[n] for n in names])
        for i, m in enumerate(meds):
            ax.annotate(f"{m:.3g}", (i, m), ha="center", va="bottom", fontsize=8, xytext=(12, 2),
                        textcoords="offset points")
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=8)
    vs = "terraform-provider-kubernetes" if peer_measured(r) else "the floors (kubernetes provider not measured)"
    fig.suptitle(f"hub vs {vs} — median, whiskers min–max — {r['commit'][:10]}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def chart_svg(r, path):
    # The fallback draws the bar panels only (a --scale-only run has none: its chart is then empty).
    panels = chart_data(r) if "handshake" in r else []
    w, h, pw = 220 * len(panels), 260, 220
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="10">',
           f'<rect width="{w}" height="{h}" fill="white"/>']
    for i, (title, bars) in enumerate(panels):
        x0 = i * pw
        out.append(f'<text x="{x0 + pw / 2}" y="16" text-anchor="middle">{title}</text>')
        top = max(b[1]["max"] * b[2] for b in bars) or 1
        for j, (name, s, scale) in enumerate(bars):
            m = s["median"] * scale
            bh = 180 * m / top
            x = x0 + 30 + j * 60
            out.append(f'<rect x="{x}" y="{220 - bh}" width="40" height="{bh}" fill="{COLORS[name]}"/>')
            y1, y2 = 220 - 180 * s["min"] * scale / top, 220 - 180 * s["max"] * scale / top
            out.append(f'<line x1="{x + 20}" x2="{x + 20}" y1="{y1}" y2="{y2}" stroke="black"/>')
            out.append(f'<text x="{x + 20}" y="{215 - bh}" text-anchor="middle">{m:.3g}</text>')
            out.append(f'<text x="{x + 20}" y="235" text-anchor="middle">{name}</text>')
    out.append("</svg>")
    Path(path).write_text("\n".join(out) + "\n")


def main():
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results.json"
    r = json.loads(src.read_text())
    # results.json -> report.md, chart.png; results-quick.json -> report-quick.md, chart-quick.png
    suffix = src.stem[len("results"):] if src.stem.startswith("results") else "-" + src.stem
    out_dir = src.parent
    try:
        chart = f"chart{suffix}.png"
        chart_png(r, out_dir / chart)
    except ImportError:
        chart = f"chart{suffix}.svg"
        chart_svg(r, out_dir / chart)
    load = r["load"]["load1"]
    lines = [
        "# Provider benchmarks: hub vs hashicorp/terraform-provider-kubernetes",
        "",
        f"Generated by `make bench` (bench/provider/) from `results.json`. Commit measured: `{r['commit']}`"
        f" ({r['commit_subject']}); hub built from: {r.get('hub_source', '?')}"
        f" (binary sha256 {r.get('hub_binary_sha256', '?')[:16]}…)."
        f" Run {r['started_utc']} → {r['finished_utc']} ({r['duration_seconds']:.0f} s)"
        f"{', QUICK mode' if r['quick'] else ''}.",
        "",
        f"Machine: {r['machine']['nproc']} cores shared with other work, Linux {r['machine']['kernel']}. "
        f"1-minute load average during the run: median {load['median']:.2f}, min {load['min']:.2f}, "
        f"max {load['max']:.2f} ({load['n']} samples, every 5 s).",
        "",
        "Tools: " + "; ".join(f"{k}: {v}" for k, v in r["tools"].items()) + ".",
        "",
    ]
    if not peer_measured(r):
        lines += [f"**The kubernetes provider was not measured in this run** ({get(r, 'peer', 'reason')}): every "
                  "column and ratio that needs it says \"not measured\". bench/README.md says how to build it from a "
                  "source snapshot (`HUB_BENCH_PEER_SRC`).", ""]
    elif get(r, "peer", "source"):
        lines += [f"The kubernetes provider was built from: {get(r, 'peer', 'source')}.", ""]
    lines += [
        "Each cell: median (p90; min–max, n = repetitions). Ratios are of medians, hub ÷ other, measured in the "
        "same run with the variants interleaved.",
        "",
        "| Figure | hub | kubernetes provider | floor (no provider) | hub / kubernetes | hub / floor | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if "handshake" in r:
        for row in rows(r):
            lines.append("| " + " | ".join(row) + " |")
    else:
        lines = lines[:-4] + ["This run measured scenario 1 only (`--scale-only`).", ""]
    lines += ["", f"![chart]({chart})", ""]
    plan = r.get("plan")
    if plan:
        lines.append("Plan details: " + "; ".join(
            f"{v}: exit codes {get(plan, v, 'plan', 'exit_codes')}, provider processes per plan "
            f"{get(plan, v, 'plan', 'provider_processes')}" for v in ("hub", "kubernetes", "floor") if get(plan, v)) +
            f". Local control plane start: {plan['sandbox_up_seconds']:.0f} s (not part of any figure).")
        lines.append("")
    sc = r.get("scale")
    if sc:
        plan_txt = ", ".join(f"N = {n}: {reps} × init and plans, {ar} × apply and destroy" for n, reps, ar in sc["plan"])
        lines += ["## Scenario 1: plan and apply at scale", "",
                  f"Each app: Deployment, Service, Ingress, ConfigMap, Secret, HorizontalPodAutoscaler, "
                  f"PodDisruptionBudget, ServiceAccount in namespace `{sc['namespace']}` of the local control plane. "
                  "hub: N `hub_app`; kubernetes: the same 8 objects as typed resources (8N instances); floor-8 and "
                  "floor-1: 8N and N `terraform_data` (tofu alone). Every provider installed by `tofu init` from one "
                  "filesystem mirror; tofu's default `-parallelism=10`. Repetitions: " + plan_txt +
                  f"; the tools interleaved at every stage. Scenario duration: {sc['duration_seconds']:.0f} s.", ""]
        lines += scale_tables(sc)
        lines.append("")
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text().strip(), ""]
    (out_dir / f"report{suffix}.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out_dir / f'report{suffix}.md'} and {out_dir / chart}")


if __name__ == "__main__":
    main()
