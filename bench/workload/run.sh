#!/usr/bin/env bash
# Benchmark (not a test): hub-workload vs the seeds' Flask + gunicorn (3 workers) answering GET /health,
# side by side in one run on this machine. Measures requests/s and p50/p99 latency with wrk at 64 and 256
# connections, RSS, and the time from exec to the first 200 from /ready.
# Writes bench/workload/results.json and results.md. Runs under nice; other load on the machine skews
# both sides, so the load average is recorded with the results.
#
# Needs: wrk (Debian `wrk`), python3; Flask and gunicorn are installed from PyPI into a venv under
# ~/.cache/hub/. Env: DURATION (seconds per wrk run, default 10), HUB_WORKLOAD_BIN (default: the release build).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${HUB_BENCH_VENV:-$HOME/.cache/hub/bench-flask-venv}

command -v wrk >/dev/null || { echo "run.sh: wrk not found (install: apt-get install wrk)" >&2; exit 1; }
if [[ ! -x $venv/bin/gunicorn ]]; then
  echo "== creating $venv (flask 3.1.3, gunicorn 27.0.1 from PyPI)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'flask==3.1.3' 'gunicorn==27.0.1'
fi
bin=${HUB_WORKLOAD_BIN:-$root/target/release/hub-workload}
if [[ -z ${HUB_WORKLOAD_BIN:-} ]]; then
  echo "== cargo build --release -p hub-workload"
  nice cargo build --release --locked -p hub-workload --manifest-path "$root/Cargo.toml"
fi

exec nice python3 "$here/bench.py" --hub "$bin" --venv "$venv" --app-dir "$here" \
  --duration "${DURATION:-10}" --out "$here"
