#!/usr/bin/env bash
# Builds the hub-workload image as an OCI image layout, without a container engine or daemon.
#
# Same content as workload/Dockerfile: a static (musl) binary, the CA bundle, and /etc/passwd and
# /etc/group naming uid 10001, on an empty base: no shell, nothing else. One image per architecture
# (linux/amd64 and linux/arm64), joined by an OCI image index under the tag, so a runtime pulls the one for
# its node. umoci (Debian package `umoci`) writes the layout; the binaries come from cargo-zigbuild
# (scripts/release/tools.sh installs it and zig, pinned), which cross-compiles aws-lc's C for both.
#
# Usage: workload/image/build.sh [--smoke]
#   OUT  layout directory (default: $CARGO_TARGET_DIR/oci/hub-workload, else target/oci/hub-workload);
#   TAG (default: the crate version): the index; TAG-amd64 and TAG-arm64 tag the per-architecture images.
#   ARCHS (default: "amd64 arm64").
#   --smoke  unpack the amd64 image again, run it in a chroot as uid 10001 (needs root), check it
#            answers with `hub-workload check`, stop it with SIGTERM, and check it wrote no file.
# Prints the image's sizes and writes them as JSON to "$OUT.size.json".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/workload/Cargo.toml" | head -n 1)
tag=${TAG:-$version}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=${OUT:-$target_dir/oci/hub-workload}
read -r -a archs <<< "${ARCHS:-amd64 arm64}"
smoke=false
[[ ${1:-} == --smoke ]] && smoke=true

need() { command -v "$1" >/dev/null || { echo "build.sh: $1 not found (install: $2)" >&2; exit 1; }; }
need umoci "apt-get install umoci"
need python3 "python3"
# shellcheck source=scripts/release/tools.sh
source "$root/scripts/release/tools.sh"
ensure_zigbuild
triple_of() { case $1 in amd64) echo x86_64-unknown-linux-musl ;; arm64) echo aarch64-unknown-linux-musl ;; esac; }

work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
rm -rf "$out"
mkdir -p "$(dirname "$out")"
umoci init --layout "$out"
for arch in "${archs[@]}"; do
  triple=$(triple_of "$arch")
  ensure_target "$triple"
  echo "== cargo zigbuild --release --target $triple"
  HUB_GIT_COMMIT=$commit CARGO_TARGET_DIR=$target_dir nice cargo zigbuild --release --locked -p hub-workload \
    --target "$triple" --manifest-path "$root/Cargo.toml"
  bin=$target_dir/$triple/release/hub-workload
  file "$bin" | grep -q "statically linked" || { echo "build.sh: $bin is not static: $(file "$bin")" >&2; exit 1; }

  echo "== umoci: $out:$tag-$arch"
  umoci new --image "$out:$tag-$arch"
  rm -rf "$work/bundle"
  umoci unpack --image "$out:$tag-$arch" "$work/bundle"
  rootfs=$work/bundle/rootfs
  install -D -m 0755 "$bin" "$rootfs/hub-workload"
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  printf 'hub:x:10001:10001:hub-workload:/nonexistent:/sbin/nologin\n' > "$rootfs/etc/passwd"
  printf 'hub:x:10001:\n' > "$rootfs/etc/group"
  chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group"
  umoci repack --image "$out:$tag-$arch" "$work/bundle"
  umoci config --image "$out:$tag-$arch" --os linux --architecture "$arch" \
    --config.user 10001:10001 --config.entrypoint /hub-workload --config.workingdir / \
    --config.env HUB_PORT=8080 --config.env HUB_ADMIN_PORT=8081 \
    --config.exposedports 8080/tcp --config.exposedports 8081/tcp \
    --config.label org.opencontainers.image.title=hub-workload \
    --config.label org.opencontainers.image.version="$version" \
    --config.label org.opencontainers.image.revision="$commit" \
    --config.label org.opencontainers.image.licenses=MPL-2.0
done
umoci gc --layout "$out"
python3 "$here/index.py" "$out" "$tag" "${archs[@]}"
bin=$target_dir/x86_64-unknown-linux-musl/release/hub-workload

# Sizes, read back from the layout: what a registry would store (compressed) per architecture.
python3 "$here/sizes.py" "$out" "$tag" > "$out.size.json"
cat "$out.size.json"

if $smoke; then
  echo "== smoke test: the amd64 image's root filesystem in a chroot as uid 10001"
  [[ $(id -u) == 0 ]] || { echo "build.sh: --smoke needs root (chroot)" >&2; exit 1; }
  umoci unpack --image "$out:$tag-amd64" "$work/check" >/dev/null
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
