#!/usr/bin/env bash
# `make release-check`: what `make release` promises but `make test` cannot afford (each step is a full
# release build).
#   1. Reproducible: linux_amd64 built from this checkout and from a clone of the same commit in another
#      directory, with another target dir, gives the same binary and the same zip, byte for byte.
#   2. linux_arm64 runs: under qemu-user (Debian qemu-user-static), `--version` names the commit and, given
#      the magic cookie Terraform sets, the binary prints the go-plugin handshake `1|6|unix|…|grpc`.
#   3. windows_amd64 runs: under Wine (Debian wine64), `--version` names the commit, the managed handshake is
#      `1|6|tcp|127.0.0.1:PORT|grpc|CERT` with PORT in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT, and OpenTofu built
#      for Windows installs the zip from a filesystem mirror, starts hub as a plugin, reads its schema and
#      validates a configuration.
# Usage: scripts/release/check.sh [reproducible] [arm64] [windows]   (default: all three)
#   CARGO_TARGET_DIR: this checkout's release target dir (default: target/release-cross); reused if built.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/release/tools.sh
source "$root/scripts/release/tools.sh"
steps=${*:-reproducible arm64 windows}
work=$(mktemp -d "${TMPDIR:-/tmp}/hub-release-check.XXXXXX")
pid= wine_prefix=
cleanup() {
  stop
  if [[ -n $wine_prefix ]]; then WINEPREFIX=$wine_prefix /usr/lib/wine/wineserver -k 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n $(git -C "$root" status --porcelain --untracked-files=no) ]]; then
  echo "check.sh: the checkout has uncommitted changes; the check compares builds of one commit" >&2; exit 1
fi
commit=$(git -C "$root" rev-parse HEAD)
version=0.0.0-check
export HUB_RELEASE_VERSION=$version SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct)

# stop: ends the plugin started last, if any.
stop() {
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=
}

# first_line FILE PID: waits (up to 60 s) until FILE has a line or PID has exited; prints the line, CR removed.
first_line() {
  for _ in $(seq 600); do
    [[ $(wc -l < "$1") -ge 1 ]] && break
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  head -n 1 "$1" | tr -d '\r'
}

# zip_of BIN DIR: the linux_amd64 zip package.py makes of BIN, in DIR.
zip_of() {
  "$root/scripts/release/package.py" --version "$version" --out "$2" --binary "linux_amd64=$1" \
    --source-date-epoch "$SOURCE_DATE_EPOCH" >&2
  echo "$2/terraform-provider-hub_${version}_linux_amd64.zip"
}

if [[ $steps == *reproducible* ]]; then
  [[ -x $root/scripts/release/package.py ]] || { echo "check.sh: scripts/release/package.py is missing" >&2; exit 1; }
  echo "== reproducible: linux_amd64 from $root and from a clone" >&2
  a=$("$root/scripts/release/build.sh" --out "$work/a" linux_amd64 | cut -d= -f2)
  git clone -q --no-hardlinks "$root" "$work/clone"
  git -C "$work/clone" checkout -q "$commit"
  b=$(CARGO_TARGET_DIR=$work/target "$work/clone/scripts/release/build.sh" --out "$work/b" linux_amd64 | cut -d= -f2)
  rm -rf "$work/target"
  if ! cmp "$a" "$b"; then
    echo "check.sh: the two linux_amd64 binaries differ (diffoscope $a $b shows where)" >&2; exit 1
  fi
  if ! cmp "$(zip_of "$a" "$work/zip-a")" "$(zip_of "$b" "$work/zip-b")"; then
    echo "check.sh: the two linux_amd64 zips differ" >&2; exit 1
  fi
  echo "reproducible: binary $(sha256sum < "$a" | cut -c1-16)… and zip identical from two directories" >&2
fi

if [[ $steps == *arm64* ]]; then
  echo "== linux_arm64 under qemu-user" >&2
  ensure_apt qemu-aarch64-static qemu-user-static
  bin=$("$root/scripts/release/build.sh" --out "$work/arm64" linux_arm64 | cut -d= -f2)
  file "$bin" | grep -q "ARM aarch64.*statically linked" || { file "$bin" >&2; exit 1; }
  qemu-aarch64-static "$bin" --version | grep -qF "$version (commit $commit)" \
    || { echo "check.sh: --version under qemu does not name $version and $commit" >&2; exit 1; }
  # The cookie and protocol variables Terraform sets (provider/src/plugin/cookie.rs, launch.rs).
  TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2 \
    PLUGIN_PROTOCOL_VERSIONS=6 PLUGIN_UNIX_SOCKET_DIR=$work \
    qemu-aarch64-static "$bin" > "$work/handshake" 2> "$work/stderr" &
  pid=$!
  line=$(first_line "$work/handshake" "$pid")
  stop
  if [[ ! $line =~ ^1\|6\|unix\|$work/[^|]+\|grpc\| ]]; then
    echo "check.sh: no handshake from the arm64 binary; stdout: $line; stderr: $(cat "$work/stderr")" >&2; exit 1
  fi
  echo "linux_arm64 under qemu: $(cut -d'|' -f1-5 <<< "$line")" >&2
fi

if [[ $steps == *windows* ]]; then
  echo "== windows_amd64 under wine" >&2
  wine=/usr/lib/wine/wine64
  [[ -x $wine ]] || ensure_apt "$wine" wine64
  tofu_exe=$("$root/tests/tools/build.sh" tofu-windows)/tofu.exe
  bin=$("$root/scripts/release/build.sh" --out "$work/windows" windows_amd64 | cut -d= -f2)
  file "$bin" | grep -q "PE32+ executable.*x86-64" || { file "$bin" >&2; exit 1; }
  # A private prefix, no Mono or Gecko downloads, no Wine chatter on stderr. Wine 8.0 lacks Windows 10's
  # bcryptprimitives.dll (Rust's std takes random bytes from its ProcessPrng): a stand-in goes into the
  # prefix, built from scripts/release/wine/bcryptprimitives.c (it is never shipped).
  wine_prefix=$work/wine
  export WINEPREFIX=$wine_prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n"
  "$wine" wineboot --init > /dev/null 2>&1 || true
  ensure_zigbuild
  python3 -m ziglang cc -target x86_64-windows-gnu -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    "$root/scripts/release/wine/bcryptprimitives.c" -ladvapi32
  "$wine" "$bin" --version | tr -d '\r' | grep -qF "$version (commit $commit)" \
    || { echo "check.sh: --version under wine does not name $version and $commit" >&2; exit 1; }
  client_cert=$(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-521 -nodes -keyout /dev/null \
    -subj /CN=localhost -days 1 2>/dev/null)
  TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2 \
    PLUGIN_PROTOCOL_VERSIONS=6 PLUGIN_MIN_PORT=10000 PLUGIN_MAX_PORT=25000 PLUGIN_CLIENT_CERT=$client_cert \
    "$wine" "$bin" > "$work/win-handshake" 2> "$work/win-stderr" &
  pid=$!
  line=$(first_line "$work/win-handshake" "$pid")
  stop
  port=$(sed -nE 's/^1\|6\|tcp\|127\.0\.0\.1:([0-9]+)\|grpc\|[A-Za-z0-9+\/]+$/\1/p' <<< "$line")
  if [[ -z $port ]] || (( port < 10000 || port > 25000 )); then
    echo "check.sh: no TCP handshake with a certificate from the windows binary; stdout: $line; stderr: $(cat "$work/win-stderr")" >&2
    exit 1
  fi
  echo "windows_amd64 under wine: $(cut -d'|' -f1-5 <<< "$line")" >&2
  # OpenTofu for Windows, under the same Wine, installs the release zip from a filesystem mirror (checking
  # its hash), starts hub as Terraform does on Windows (go-plugin over TCP with AutoMTLS), reads the schema
  # and validates a configuration.
  mirror=$work/win-mirror/registry.opentofu.org/hub/hub
  mkdir -p "$mirror" "$work/win-tf"
  zip=$("$root/scripts/release/package.py" --version "$version" --out "$work/win-dist" \
    --binary "windows_amd64=$bin" --source-date-epoch "$SOURCE_DATE_EPOCH" >&2 \
    && echo "$work/win-dist/terraform-provider-hub_${version}_windows_amd64.zip")
  cp "$zip" "$mirror/"
  printf 'provider_installation {\n  filesystem_mirror {\n    path = "Z:%s"\n  }\n}\n' "$work/win-mirror" > "$work/win-tf/cli.tfrc"
  printf 'terraform {\n  required_providers {\n    hub = {\n      source  = "hub/hub"\n      version = "%s"\n    }\n  }\n}\n\nresource "hub_namespace" "n" {\n  name = "windows-check"\n}\n' \
    "$version" > "$work/win-tf/main.tf"
  (
    cd "$work/win-tf"
    export TF_CLI_CONFIG_FILE="Z:$work/win-tf/cli.tfrc" TF_IN_AUTOMATION=1
    "$wine" "$tofu_exe" init -no-color > init.log 2>&1 || { cat init.log >&2; exit 1; }
    # The lock file's h1: hash (Go's dirhash Hash1) of the zip's contents, computed here independently.
    want=$(python3 -c 'import base64, hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
lines = "".join(f"{hashlib.sha256(z.read(n)).hexdigest()}  {n}\n" for n in sorted(z.namelist()))
print("h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode())' "$zip")
    grep -qF "\"$want\"" .terraform.lock.hcl \
      || { echo "check.sh: the lock file lacks $want" >&2; cat .terraform.lock.hcl >&2; exit 1; }
    "$wine" "$tofu_exe" providers schema -json | grep -q '"hub_app"' \
      || { echo "check.sh: tofu.exe read no hub_app schema from the windows binary" >&2; exit 1; }
    "$wine" "$tofu_exe" validate -no-color | tr -d '\r' | grep -q "The configuration is valid" \
      || { echo "check.sh: tofu.exe could not validate with the windows binary" >&2; exit 1; }
  )
  echo "windows_amd64 under wine: tofu.exe installed the zip from a mirror, read the schema and validated" >&2
fi
