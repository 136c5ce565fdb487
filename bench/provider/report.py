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
                + ("yes" if med(h) <= 0.1 * med(k) else f"no ({med(h) / med(k):.2f})")))
    for key, label in (("first_call_seconds", "GetProviderSchema, first call on a fresh process (mTLS)"),
                       ("warm_call_seconds", "GetProviderSchema, later calls (same connection)"),
                       ("connect_seconds", "mTLS connect (unix socket + TLS handshake)")):
        h, k = get(rpc, "hub", key), get(rpc, "kubernetes", key)
        out.append((label, spread(h, ms), spread(k, ms), "", ratio(med(h), med(k)), "", "", ""))
    out.append(("GetProviderSchema response size", f"{rpc['hub']['response_bytes']:,} B",
                f"{rpc['kubernetes']['response_bytes']:,} B", "", "", "", "", ""))
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
    h, k = size["hub"], size["kubernetes"]
    out.append(("Release binary size", f"{h['bytes']:,} B ({mb(h['bytes'])})", f"{k['bytes']:,} B ({mb(k['bytes'])})",
                "", ratio(h["bytes"], k["bytes"]), "", "", ""))
    out.append(("… after `strip`", f"{h['stripped_bytes']:,} B", f"{k['stripped_bytes']:,} B", "",
                ratio(h["stripped_bytes"], k["stripped_bytes"]), "", "", ""))
    return out


def chart_data(r):
    hs, rpc, plan = r["handshake"], r["get_provider_schema"], r.get("plan")
    panels = [
        ("Exec → handshake (ms)", [("hub", hs["hub"]["seconds"], 1000), ("kubernetes", hs["kubernetes"]["seconds"], 1000)]),
        ("GetProviderSchema, first call (ms)", [("hub", rpc["hub"]["first_call_seconds"], 1000),
                                                ("kubernetes", rpc["kubernetes"]["first_call_seconds"], 1000)]),
        ("Idle RSS (MB)", [("hub", rpc["hub"]["idle_rss_bytes"], 1e-6),
                           ("kubernetes", rpc["kubernetes"]["idle_rss_bytes"], 1e-6)]),
    ]
    if plan:
        panels.append((f"plan of {plan['n']}: provider peak RSS (MB)",
                       [(v, get(plan, v, "plan", "provider_peak_rss_bytes"), 1e-6) for v in ("hub", "kubernetes")
                        if get(plan, v, "plan", "provider_peak_rss_bytes")]))
        panels.append((f"plan of {plan['n']}: wall (s)",
                       [(v, get(plan, v, "plan", "wall_seconds"), 1) for v in ("hub", "kubernetes", "floor")
                        if get(plan, v, "plan", "wall_seconds")]))
    return panels


COLORS = {"hub": "#2b7bba", "kubernetes": "#d9822b", "floor": "#8c8c8c"}


def chart_png(r, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = chart_data(r)
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.4))
    for ax, (title, bars) in zip(axes, panels):
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
    fig.suptitle(f"hub vs terraform-provider-kubernetes — median, whiskers min–max — {r['commit'][:10]}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def chart_svg(r, path):
    panels = chart_data(r)
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
        "Each cell: median (p90; min–max, n = repetitions). Ratios are of medians, hub ÷ other, measured in the "
        "same run with the variants interleaved.",
        "",
        "| Figure | hub | kubernetes provider | floor (no provider) | hub / kubernetes | hub / floor | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows(r):
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", f"![chart]({chart})", ""]
    plan = r.get("plan")
    if plan:
        lines.append("Plan details: " + "; ".join(
            f"{v}: exit codes {get(plan, v, 'plan', 'exit_codes')}, provider processes per plan "
            f"{get(plan, v, 'plan', 'provider_processes')}" for v in ("hub", "kubernetes", "floor") if get(plan, v)) +
            f". Local control plane start: {plan['sandbox_up_seconds']:.0f} s (not part of any figure).")
        lines.append("")
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text().strip(), ""]
    (out_dir / f"report{suffix}.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out_dir / f'report{suffix}.md'} and {out_dir / chart}")


if __name__ == "__main__":
    main()
