# Sourced by the release scripts: installs the pinned tools they need into ~/.cache/hub/release/ when
# missing, so a fresh machine (or CI) needs only rustup, python3 and apt. Pinned so two machines build the
# same bytes: zig is the C compiler and linker of every cross target, and a different zig is a different
# binary.

ZIGLANG_VERSION=0.17.1
CARGO_ZIGBUILD_VERSION=0.24.1
CARGO_CYCLONEDX_VERSION=0.5.9
RELEASE_CACHE=${HUB_RELEASE_CACHE:-$HOME/.cache/hub/release}

# ensure_target TRIPLE: the Rust standard library for TRIPLE.
ensure_target() {
  rustup target list --installed | grep -qx "$1" || rustup target add "$1"
}

# ensure_zigbuild: puts cargo-zigbuild and a python3 with the pinned ziglang first on PATH (cargo-zigbuild
# runs `python3 -m ziglang` when no `zig` is on PATH).
ensure_zigbuild() {
  local venv=$RELEASE_CACHE/ziglang-$ZIGLANG_VERSION root=$RELEASE_CACHE/cargo-zigbuild-$CARGO_ZIGBUILD_VERSION
  if [[ ! -x $venv/bin/python3 ]] || ! "$venv/bin/python3" -m ziglang version >/dev/null 2>&1; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "ziglang==$ZIGLANG_VERSION"
  fi
  if [[ ! -x $root/bin/cargo-zigbuild ]]; then
    cargo install --locked --quiet cargo-zigbuild --version "$CARGO_ZIGBUILD_VERSION" --root "$root"
  fi
  PATH=$root/bin:$venv/bin:$PATH
  export PATH
}

# ensure_cyclonedx: puts cargo-cyclonedx (the `cargo cyclonedx` subcommand) first on PATH.
ensure_cyclonedx() {
  local root=$RELEASE_CACHE/cargo-cyclonedx-$CARGO_CYCLONEDX_VERSION
  if [[ ! -x $root/bin/cargo-cyclonedx ]]; then
    cargo install --locked --quiet cargo-cyclonedx --version "$CARGO_CYCLONEDX_VERSION" --root "$root"
  fi
  PATH=$root/bin:$PATH
  export PATH
}

# ensure_apt COMMAND PACKAGE: installs the Debian PACKAGE when COMMAND is missing.
ensure_apt() {
  command -v "$1" >/dev/null && return
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
