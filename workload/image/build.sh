#!/usr/bin/env bash
# Builds the hub-workload image as an OCI image layout, without a container engine or daemon.
#
# Same content as workload/Dockerfile: a static (musl) binary, the CA bundle, and /etc/passwd and
# /etc/group naming uid 10001, on an empty base: no shell, nothing else. umoci (Debian package `umoci`)
# writes the layout; the binary comes from cargo's x86_64-unknown-linux-musl target (C parts such as
# aws-lc are compiled with musl-gcc from Debian `musl-tools`).
#
# Usage: workload/image/build.sh [--smoke]
#   OUT  layout directory (default: target/oci/hub-workload); TAG (default: the crate version)
#   --smoke  unpack the finished image again, run it in a chroot as uid 10001 (needs root), check it
#            answers with `hub-workload check`, stop it with SIGTERM, and check it wrote no file.
# Prints the image's sizes and writes them as JSON to "$OUT.size.json".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
triple=x86_64-unknown-linux-musl
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/workload/Cargo.toml" | head -n 1)
tag=${TAG:-$version}
out=${OUT:-$root/target/oci/hub-workload}
smoke=false
[[ ${1:-} == --smoke ]] && smoke=true

need() { command -v "$1" >/dev/null || { echo "build.sh: $1 not found (install: $2)" >&2; exit 1; }; }
need umoci "apt-get install umoci"
need musl-gcc "apt-get install musl-tools"
need python3 "python3"
rustup target list --installed 2>/dev/null | grep -qx "$triple" \
  || { echo "build.sh: missing Rust target (install: rustup target add $triple)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "== cargo build --release --target $triple"
HUB_GIT_COMMIT=$commit nice cargo build --release --locked -p hub-workload --target "$triple" \
  --manifest-path "$root/Cargo.toml"
bin=$root/target/$triple/release/hub-workload
if ldd "$bin" >/dev/null 2>&1 && ! ldd "$bin" 2>&1 | grep -q "statically linked"; then
  echo "build.sh: $bin is dynamically linked" >&2; exit 1
fi

echo "== umoci: $out:$tag"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
umoci init --layout "$out"
umoci new --image "$out:$tag"
umoci unpack --image "$out:$tag" "$work/bundle"
rootfs=$work/bundle/rootfs
install -D -m 0755 "$bin" "$rootfs/hub-workload"
install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'hub:x:10001:10001:hub-workload:/nonexistent:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'hub:x:10001:\n' > "$rootfs/etc/group"
chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group"
umoci repack --image "$out:$tag" "$work/bundle"
umoci config --image "$out:$tag" --os linux --architecture amd64 \
  --config.user 10001:10001 --config.entrypoint /hub-workload --config.workingdir / \
  --config.env HUB_PORT=8080 --config.env HUB_ADMIN_PORT=8081 \
  --config.exposedports 8080/tcp --config.exposedports 8081/tcp \
  --config.label org.opencontainers.image.title=hub-workload \
  --config.label org.opencontainers.image.version="$version" \
  --config.label org.opencontainers.image.revision="$commit" \
  --config.label org.opencontainers.image.licenses=MPL-2.0
umoci gc --layout "$out"

# Sizes, read back from the layout: what a registry would store (compressed) and the unpacked root.
python3 - "$out" "$tag" "$rootfs" > "$out.size.json" <<'PY'
import json, os, sys
layout, tag, rootfs = sys.argv[1:]
blob = lambda d: os.path.join(layout, "blobs", *d.split(":"))
index = json.load(open(os.path.join(layout, "index.json")))
desc = next(m for m in index["manifests"] if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag)
manifest = json.load(open(blob(desc["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))
layers = sum(l["size"] for l in manifest["layers"])
total = desc["size"] + manifest["config"]["size"] + layers
unpacked = sum(os.lstat(os.path.join(d, f)).st_size for d, _, fs in os.walk(rootfs) for f in fs)
print(json.dumps({
    "image": f"{layout}:{tag}", "manifest_digest": desc["digest"],
    "compressed_bytes": total, "layer_bytes": layers, "uncompressed_bytes": unpacked,
    "binary_bytes": os.path.getsize(os.path.join(rootfs, "hub-workload")),
    "user": config["config"].get("User"), "entrypoint": config["config"].get("Entrypoint"),
}, indent=2))
PY
cat "$out.size.json"

if $smoke; then
  echo "== smoke test: the image's root filesystem in a chroot as uid 10001"
  [[ $(id -u) == 0 ]] || { echo "build.sh: --smoke needs root (chroot)" >&2; exit 1; }
  umoci unpack --image "$out:$tag" "$work/check" >/dev/null
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
  port=$(free_port)
  admin_port=$(free_port)
  marker=$work/marker; touch "$marker"; sleep 1
  chroot=$(command -v chroot)
  env -i HUB_HOST=127.0.0.1 HUB_PORT="$port" HUB_ADMIN_PORT="$admin_port" HUB_DRAIN_DELAY=0s HUB_LOG=warn \
    "$chroot" --userspec=10001:10001 "$work/check/rootfs" /hub-workload &
  server_pid=$!
  "$bin" check "http://127.0.0.1:$port" "http://127.0.0.1:$admin_port/metrics" --timeout 10s
  kill -TERM "$server_pid"
  status=0; wait "$server_pid" || status=$?
  server_pid=
  [[ $status == 0 ]] || { echo "build.sh: exit status $status after SIGTERM" >&2; exit 1; }
  written=$(find "$work/check/rootfs" -newer "$marker" -print)
  [[ -z $written ]] || { echo "build.sh: the server wrote files: $written" >&2; exit 1; }
  echo "smoke test passed: served as uid 10001 from the image, exit 0 on SIGTERM, no files written"
fi
