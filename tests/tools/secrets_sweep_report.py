#!/usr/bin/env python3
"""Summarises a secrets sweep (tests/src/tf/secrets_sweep.rs): commands swept, bytes searched, leaks found.

Usage: secrets_sweep_report.py SWEEP_DIR [MARKDOWN_OUT]. Exits 1 if any leak was found or nothing was swept.
"""

import json
import sys
from collections import Counter
from pathlib import Path


def main():
    sweep_dir = Path(sys.argv[1])
    lines = [json.loads(l) for l in (sweep_dir / "sweep.jsonl").read_text().splitlines() if l.strip()]
    leaks = [(l["command"], leak) for l in lines for leak in l["leaks"]]
    commands = Counter(l["command"].split(": ", 1)[-1].split(" ")[0] for l in lines)
    log_mb = sum(l["log_bytes"] for l in lines) / 2**20
    out_mb = sum(l["output_bytes"] for l in lines) / 2**20
    with_secrets = sum(1 for l in lines if l["secrets"])
    summary = [
        f"Commands swept: {len(lines)} ({', '.join(f'{n} {c}' for c, n in commands.most_common())})",
        f"Commands whose workspace held secrets to look for: {with_secrets}",
        f"Trace logs searched: {log_mb:.1f} MB; stdout/stderr searched: {out_mb:.1f} MB",
        f"Leaks: {len(leaks)}",
    ]
    summary += [f"  LEAK: {leak['what']} in {leak['where']} of `{cmd}`" for cmd, leak in leaks]
    text = "\n".join(summary) + "\n"
    print(text, end="")
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(text)
    sys.exit(1 if leaks or not lines else 0)


if __name__ == "__main__":
    main()
