#!/usr/bin/env bash
# `make bench`: builds what the provider benchmarks need (cached builds cost nothing), runs them and
# renders the report. BENCH_QUICK=1 for the quick mode (fewer repetitions, 10 resources). HUB_BENCH_PEER_SRC
# names a source snapshot of the kubernetes provider to build the peer from (bench/README.md).
#   bench/provider/run.sh [bench.py arguments...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
s=$SECONDS
cargo build -q --release -p terraform-provider-hub
cargo build -q -p hub-acceptance --bin hub-sandbox
tests/tools/build.sh tofu >/dev/null
tests/tools/build.sh sandbox >/dev/null
# The peer (hashicorp/terraform-provider-kubernetes) is optional: it builds from HUB_BENCH_PEER_SRC, a source
# snapshot (bench/README.md). Without one hub is measured against the floors and the peer's columns say
# "not measured"; a failed peer build never fails the run.
if ! tests/tools/build.sh kubernetes-provider >/dev/null; then
  echo "[bench] the kubernetes provider could not be built: its figures will be \"not measured\"" >&2
fi
# matplotlib for the PNG chart, in a venv outside the clone; without it report.py writes an SVG chart.
venv=${HUB_BENCH_VENV:-$HOME/.cache/hub/bench-venv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import matplotlib' 2>/dev/null; then
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check matplotlib; } >&2 ||
    echo "[bench] matplotlib unavailable: the chart will be an SVG" >&2
fi
py=python3
"$venv/bin/python" -c 'import matplotlib' 2>/dev/null && py="$venv/bin/python"
echo "[bench] builds ready in $((SECONDS - s)) s; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
out=$here/results.json
args=("$@")
# The quick mode writes results-quick.json / report-quick.md (not committed): the committed report is a full run.
if [ "${BENCH_QUICK:-0}" = 1 ]; then out=$here/results-quick.json; args+=(--quick); fi
python3 "$here/bench.py" --out "$out" "${args[@]}"
"$py" "$here/report.py" "$out"
# Scenario 3 (IAM wiring) has its own plane and report (iam-report.md); the quick mode keeps it small.
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  python3 "$here/iam.py" --n 10 --reps 1 --out "$(mktemp -d)"
elif [ "${args[*]}" = "" ]; then
  python3 "$here/iam.py"
fi
