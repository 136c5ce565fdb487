#!/usr/bin/env bash
# `make release VERSION=x.y.z`: everything a registry needs for one release, in dist/:
#   terraform-provider-hub_x.y.z_<os>_<arch>.zip, _SHA256SUMS, _SHA256SUMS.sig (when RELEASE_GPG_KEY names a
#   secret key in GNUPGHOME or ~/.gnupg), _manifest.json (package.py), a CycloneDX SBOM per zip and one
#   for the hub-workload image (sbom.sh), and sizes.txt (every file's size; the goal is ≤ 8 MB per zip).
# The binaries come from build.sh (cross builds, reproducible); docs/releasing.md has the whole procedure.
# Usage: scripts/release/release.sh VERSION   (DIST: output dir, default dist/; RELEASE_PLATFORMS: see build.sh)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
version=${1:-}
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "usage: make release VERSION=x.y.z (got ${version:-nothing})" >&2; exit 2
fi
dist=${DIST:-$root/dist}
bins=${CARGO_TARGET_DIR:-$root/target}/release-bin
if [[ -n $(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
  echo "release.sh: warning: uncommitted changes; the binaries name commit $(git -C "$root" rev-parse --short HEAD) but hold more" >&2
fi
export HUB_RELEASE_VERSION=$version
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH

rm -rf "$dist" "$bins"
mkdir -p "$dist"
mapfile -t built < <("$root/scripts/release/build.sh" --out "$bins")
args=()
for b in "${built[@]}"; do args+=(--binary "$b"); done
if [[ -n ${RELEASE_GPG_KEY:-} ]]; then
  args+=(--sign-key "$RELEASE_GPG_KEY")
  [[ -z ${GNUPGHOME:-} ]] || args+=(--gnupghome "$GNUPGHOME")
else
  echo "release.sh: RELEASE_GPG_KEY not set: SHA256SUMS is not signed (a registry refuses it)" >&2
fi
"$root/scripts/release/package.py" --version "$version" --out "$dist" --source-date-epoch "$SOURCE_DATE_EPOCH" "${args[@]}"
"$root/scripts/release/sbom.sh" "$version" "$dist" "${built[@]%%=*}"
(cd "$dist" && find . -maxdepth 1 -type f ! -name sizes.txt -printf '%s\t%f\n' | sort -k2 \
  | awk -F'\t' '{ printf "%10d  %6.2f MB  %s%s\n", $1, $1 / 1048576, $2, ($2 ~ /\.zip$/ && $1 > 8388608) ? "  (over the 8 MB goal)" : "" }') \
  > "$dist/sizes.txt"
cat "$bins/build-times.txt" >&2
cat "$dist/sizes.txt"
