#!/usr/bin/env bash
# CycloneDX SBOMs for a release: one per provider zip (the crates of that platform's binary, resolved for
# its target) and one per hub-workload image architecture, written into DIST. cargo-cyclonedx (pinned in
# tools.sh) honours SOURCE_DATE_EPOCH (no serial number, fixed timestamp), so the SBOMs are reproducible
# too. Build-time crates (protox, tonic-prost-build) are left out: they are not in the binaries.
# Usage: scripts/release/sbom.sh VERSION DIST PLATFORM...
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/release/tools.sh
source "$root/scripts/release/tools.sh"
version=$1 dist=$2
shift 2
ensure_cyclonedx

# sbom TRIPLE: writes the SBOM of every workspace crate for TRIPLE as <crate dir>/$name.json.
name=release-sbom-$$
sbom() {
  cargo cyclonedx --manifest-path "$root/Cargo.toml" --quiet --format json --spec-version 1.5 \
    --no-build-deps --target "$1" --override-filename "$name"
}
# take CRATE_DIR OUT: moves that crate's SBOM to OUT, naming the release version, not the crate's.
take() {
  python3 - "$root/$1/$name.json" "$2" "$version" <<'PY'
import json, sys
src, dst, version = sys.argv[1:]
bom = json.load(open(src))
component = bom["metadata"]["component"]
old = component["version"]
component["version"] = version
for key in ("bom-ref", "purl"):
    if key in component:
        component[key] = component[key].replace(f"@{old}", f"@{version}")
json.dump(bom, open(dst, "w"), indent=2)
PY
}
cleanup() { rm -f "$root"/{provider,workload,tests}/"$name.json"; }
trap cleanup EXIT

for platform in "$@"; do
  triple=$("$root/scripts/release/build.sh" --triple "$platform")
  sbom "$triple"
  take provider "$dist/terraform-provider-hub_${version}_${platform}.cdx.json"
done
for arch in amd64 arm64; do
  sbom "$("$root/scripts/release/build.sh" --triple "linux_$arch")"
  take workload "$dist/hub-workload_${version}_linux_${arch}.cdx.json"
done
