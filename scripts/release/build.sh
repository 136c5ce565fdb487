#!/usr/bin/env bash
# Builds the provider's release binaries for the platforms a release ships, all from this Linux machine:
# cargo-zigbuild with zig (pinned, from PyPI) as the C compiler and linker, so aws-lc's C and assembly
# cross-compile without a per-target GCC. Linux binaries are musl and static, so they run on any runner
# image, Alpine included.
#
# Reproducible: the commit's own time as SOURCE_DATE_EPOCH, the source dir, cargo home, rustup home and
# target dir remapped (Rust: --remap-path-prefix; C: -ffile-prefix-map), no timestamps in the binary; it
# fails if a build path is still in a binary. scripts/release/check.sh checks that two checkouts of one
# commit give identical bytes for linux_amd64.
#
# Usage: scripts/release/build.sh [--out DIR] [PLATFORM...]   (or --triple PLATFORM: print its Rust target)
#   PLATFORM   linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 (default: $RELEASE_PLATFORMS,
#              else every one that builds here; docs/releasing.md says which do not and why)
#   --out DIR  binaries go to DIR/PLATFORM/terraform-provider-hub[.exe] (default: target/release-bin)
#   CARGO_TARGET_DIR (default: target/release-cross), HUB_RELEASE_VERSION (default: the crate version),
#   HUB_GIT_COMMIT (default: git rev-parse HEAD). Appends "PLATFORM SECONDS BYTES" to DIR/build-times.txt.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/release/tools.sh
source "$root/scripts/release/tools.sh"

triple_of() {
  case $1 in
    linux_amd64) echo x86_64-unknown-linux-musl ;;
    linux_arm64) echo aarch64-unknown-linux-musl ;;
    darwin_amd64) echo x86_64-apple-darwin ;;
    darwin_arm64) echo aarch64-apple-darwin ;;
    windows_amd64) echo x86_64-pc-windows-gnu ;;
    *) echo "build.sh: unknown platform $1" >&2; return 1 ;;
  esac
}
if [[ ${1:-} == --triple ]]; then triple_of "$2"; exit; fi
out=$root/target/release-bin
if [[ ${1:-} == --out ]]; then out=$(mkdir -p "$2" && cd "$2" && pwd); shift 2; fi
# darwin_* do not build here (docs/releasing.md, "Platforms"), so they are not the default.
read -r -a platforms <<< "${*:-${RELEASE_PLATFORMS:-linux_amd64 linux_arm64 windows_amd64}}"

target_dir=${CARGO_TARGET_DIR:-$root/target/release-cross}
mkdir -p "$target_dir"
target_dir=$(cd "$target_dir" && pwd)
cargo_home=${CARGO_HOME:-$HOME/.cargo}
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
# Later remappings win in rustc, so the most specific (the target dir, maybe inside the source) comes last.
maps=("$root=/hub" "$cargo_home=/cargo" "$rustup_home=/rustup" "$target_dir=/target")
rustflags=() cflags=()
for m in "${maps[@]}"; do rustflags+=("--remap-path-prefix=$m"); cflags+=("-ffile-prefix-map=$m"); done

export CARGO_TARGET_DIR=$target_dir RUSTFLAGS="${rustflags[*]}" CFLAGS="${cflags[*]}" CXXFLAGS="${cflags[*]}"
export HUB_GIT_COMMIT=${HUB_GIT_COMMIT:-$(git -C "$root" rev-parse HEAD 2>/dev/null || true)}
if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
  SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)
fi
export SOURCE_DATE_EPOCH
# Zig caches compiled C runtimes per user; it holds no paths that reach the binary.
ensure_zigbuild

mkdir -p "$out"
for platform in "${platforms[@]}"; do
  triple=$(triple_of "$platform")
  ensure_target "$triple"
  exe=terraform-provider-hub
  if [[ $platform == windows_* ]]; then
    exe=terraform-provider-hub.exe
    # aws-lc's x86_64 Windows assembly is NASM syntax; Debian's nasm assembles it (no prebuilt objects).
    ensure_apt nasm nasm
  fi
  echo "== $platform ($triple)" >&2
  start=$(date +%s)
  nice -n 15 cargo zigbuild --release --locked --manifest-path "$root/Cargo.toml" \
    -p terraform-provider-hub --bin terraform-provider-hub --target "$triple" >&2
  seconds=$(( $(date +%s) - start ))
  bin=$target_dir/$triple/release/$exe
  for path in "$root" "$cargo_home" "$rustup_home" "$target_dir"; do
    if grep -aqF "$path" "$bin"; then
      echo "build.sh: $bin still holds the build path $path" >&2; exit 1
    fi
  done
  install -D -m 0755 "$bin" "$out/$platform/$exe"
  echo "$platform $seconds $(stat -c %s "$bin")" >> "$out/build-times.txt"
  echo "$platform=$out/$platform/$exe"
done
