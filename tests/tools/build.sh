#!/usr/bin/env bash
# Builds one test tool (or all) from the Go module proxy / PyPI into ~/.cache/hub/tools/<name>-<version>/,
# and prints the directory. A tool already in the cache costs nothing.
#
#   tests/tools/build.sh tofu|tofu-windows|terraform|terraform-1.13|etcd|kube|kwok|moto|sandbox|kubernetes-provider|all
#
# tofu-windows (tofu.exe, for `make release-check` under Wine) is not part of `all`.
#
# Each Go tool has its own tools module under tests/tools/<name>/ so that dependency versions are exactly
# what upstream ships (one module per tool; never unify them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
cache=${HUB_TOOLS_CACHE:-$HOME/.cache/hub/tools}
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod

log() { printf '[tools] %s\n' "$*" >&2; }

# build_go NAME VERSION MODULE_DIR -- go build arguments...
build_go() {
  local name=$1 version=$2 moddir=$3; shift 3
  local out="$cache/$name-$version"
  if [ -f "$out/.complete" ]; then echo "$out"; return 0; fi
  log "building $name $version (cold build; this takes minutes)"
  local start=$SECONDS
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  (cd "$here/$moddir" && go build -trimpath -o "$out.tmp/" "$@") >&2
  date -u +%FT%TZ > "$out.tmp/.complete"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "built $name $version in $((SECONDS - start)) s"
  echo "$out"
}

build_tofu() {
  build_go tofu "$TOFU_VERSION" tofu \
    -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" github.com/opentofu/opentofu/cmd/tofu
}

# The same OpenTofu for windows/amd64: Go cross-compiles it (CGO is off), the tools module is the same.
build_tofu_windows() {
  GOOS=windows GOARCH=amd64 build_go tofu-windows "$TOFU_VERSION" tofu \
    -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" github.com/opentofu/opentofu/cmd/tofu
}

build_terraform() {
  # Terraform 1.5.7 has no replace directives, so a plain `go install pkg@version` builds it exactly as tagged.
  local out="$cache/terraform-$TERRAFORM_VERSION"
  if [ -f "$out/.complete" ]; then echo "$out"; return 0; fi
  log "building terraform $TERRAFORM_VERSION (cold build; this takes minutes)"
  local start=$SECONDS
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  GOFLAGS= GOBIN="$out.tmp" go install -trimpath -ldflags "-s -w" "github.com/hashicorp/terraform@$TERRAFORM_VERSION" >&2
  date -u +%FT%TZ > "$out.tmp/.complete"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "built terraform $TERRAFORM_VERSION in $((SECONDS - start)) s"
  echo "$out"
}

build_terraform_1_13() {
  # The newest Terraform the Go module proxy serves (resource identity needs 1.12). Its ten nested modules are
  # not on the proxy: they come from the snapshot committed next to the tools module, unpacked into src/.
  local moddir="$here/terraform-1.13" out="$cache/terraform-$TERRAFORM_NEW_VERSION"
  if [ -f "$out/.complete" ]; then echo "$out"; return 0; fi
  rm -rf "$moddir/src"; mkdir -p "$moddir/src"
  tar -xzf "$moddir/terraform-$TERRAFORM_NEW_VERSION-nested-modules.tar.gz" -C "$moddir/src" --strip-components=1
  build_go terraform "$TERRAFORM_NEW_VERSION" terraform-1.13 \
    -ldflags "-s -w -X 'github.com/hashicorp/terraform/version.dev=no'" github.com/hashicorp/terraform
}

build_etcd() {
  local out
  out=$(build_go etcd "$ETCD_VERSION" etcd \
    -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" go.etcd.io/etcd/server/v3)
  # `go build -o dir/` names a module-root main package after the path element before the /vN suffix
  # ("server"); older Go versions used "v3". Normalise to "etcd".
  if [ ! -x "$out/etcd" ]; then
    local b
    for b in server v3; do
      if [ -x "$out/$b" ]; then mv "$out/$b" "$out/etcd"; break; fi
    done
  fi
  [ -x "$out/etcd" ] || { log "etcd binary missing in $out"; exit 1; }
  echo "$out"
}

build_kube() {
  local minor ld p date
  minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X '$p.gitVersion=$KUBE_VERSION' -X '$p.gitMajor=1' -X '$p.gitMinor=$minor'"
    ld="$ld -X '$p.gitTreeState=clean' -X '$p.buildDate=$date'"
  done
  build_go kube "$KUBE_VERSION" kube -tags=selinux,notest,grpcnotrace -ldflags "$ld" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler
}

build_kwok() {
  local out
  out=$(build_go kwok "$KWOK_VERSION" kwok \
    -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok)
  # kwok needs Stage objects; they ship inside the module. Copy them next to the binary at build time.
  if [ ! -d "$out/stages" ]; then
    local src
    src=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
    mkdir -p "$out/stages"
    cp -r "$src"/. "$out/stages/"
    chmod -R u+w "$out/stages"
  fi
  echo "$out"
}

build_moto() {
  local out="$cache/moto-$MOTO_VERSION"
  if [ -f "$out/.complete" ]; then echo "$out"; return 0; fi
  log "installing moto[server]==$MOTO_VERSION into a virtualenv"
  local start=$SECONDS
  rm -rf "$out"
  python3 -m venv "$out" >&2
  "$out/bin/pip" install -q --disable-pip-version-check -r "$here/moto/requirements.txt" >&2
  date -u +%FT%TZ > "$out/.complete"
  log "built moto $MOTO_VERSION in $((SECONDS - start)) s"
  echo "$out"
}

build_kubernetes_provider() {
  # hashicorp/terraform-provider-kubernetes v3.2.1, the peer the benchmarks compare against (issue 9) and a
  # consumer in acceptance tests. Sources, in order: HUB_BENCH_PEER_SRC, a source snapshot of that tag (a
  # `git archive` .tar.gz or an unpacked directory; bench/README.md says how to make one), else the snapshot
  # committed in tests/tools/peer/, else the Go module proxy by commit (its module path has
  # no /v3 suffix, so the go command derives a v1 pseudo-version; many proxies refuse it). Either way every
  # dependency comes from the Go module proxy at the versions its go.sum pins. Exits 1 if it cannot be built;
  # `make bench` then measures hub against the floors only.
  local version=3.2.1 commit=28fb611cb6be20c5059efadd6cbf16b9ad64cd6c
  local out="$cache/terraform-provider-kubernetes-$version"
  if [ -f "$out/.complete" ]; then echo "$out"; return 0; fi
  local src=${HUB_BENCH_PEER_SRC:-} vendored="$here/peer/terraform-provider-kubernetes-$version.tar.gz"
  if [ -z "$src" ] && [ -f "$vendored" ]; then src=$vendored; fi
  local start=$SECONDS
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  if [ -n "$src" ]; then
    log "building terraform-provider-kubernetes $version from $src (cold build; this takes minutes)"
    if ! build_kubernetes_provider_from "$src" "$version" "$commit" "$out.tmp"; then
      rm -rf "$out.tmp"
      log "could not build terraform-provider-kubernetes from $src"
      exit 1
    fi
  else
    log "HUB_BENCH_PEER_SRC is not set and $vendored is missing: trying the Go module proxy for terraform-provider-kubernetes@$commit"
    if ! GOFLAGS= GOBIN="$out.tmp" go install -trimpath -ldflags "-s -w" \
      "github.com/hashicorp/terraform-provider-kubernetes@$commit" >&2; then
      rm -rf "$out.tmp"
      log "the Go module proxy does not serve terraform-provider-kubernetes@$commit; set HUB_BENCH_PEER_SRC" \
        "to a source snapshot of v$version to build it (bench/README.md)"
      exit 1
    fi
    echo "Go module proxy, commit $commit" > "$out.tmp/SOURCE"
  fi
  date -u +%FT%TZ > "$out.tmp/.complete"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "built terraform-provider-kubernetes $version in $((SECONDS - start)) s"
  echo "$out"
}

# build_kubernetes_provider_from SRC VERSION COMMIT OUT: SRC is a .tar.gz (`git archive` of the tag, one
# top-level directory) or a directory holding the module's go.mod. A tarball made by `git archive` records
# its commit; a different commit is refused. A directory is taken as it is (its VERSION file is checked).
build_kubernetes_provider_from() {
  local src=$1 version=$2 commit=$3 out=$4 dir
  if [ -f "$src" ]; then
    local id
    id=$(gzip -dc "$src" | git get-tar-commit-id 2>/dev/null || true)
    if [ -n "$id" ] && [ "$id" != "$commit" ]; then
      log "$src is a snapshot of commit $id, not $commit (v$version)"
      return 1
    fi
    mkdir -p "$out/src"
    tar -xzf "$src" -C "$out/src" || return 1
    dir=$(find "$out/src" -mindepth 1 -maxdepth 2 -name go.mod -printf '%h\n' | head -n 1)
    echo "$src${id:+ (commit $id)}" > "$out/SOURCE"
  elif [ -d "$src" ]; then
    dir=$src
    echo "$src (directory)" > "$out/SOURCE"
  else
    log "HUB_BENCH_PEER_SRC=$src is neither a file nor a directory"
    return 1
  fi
  if [ -z "$dir" ] || ! grep -qx 'module github.com/hashicorp/terraform-provider-kubernetes' "$dir/go.mod"; then
    log "$src does not hold the terraform-provider-kubernetes module"
    return 1
  fi
  if [ "$(cat "$dir/version/VERSION" 2>/dev/null)" != "$version" ]; then
    log "$src is not version $version (version/VERSION: $(cat "$dir/version/VERSION" 2>/dev/null || echo none))"
    return 1
  fi
  # The same flags as the proxy build above (upstream's release flags); -mod=mod fetches the dependencies.
  (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$out/terraform-provider-kubernetes" .) >&2 ||
    return 1
  rm -rf "$out/src"
}

case "${1:-}" in
  tofu|terraform|etcd|kube|kwok|moto) "build_$1" ;;
  terraform-1.13) build_terraform_1_13 ;;
  tofu-windows) build_tofu_windows ;;
  kubernetes-provider) build_kubernetes_provider ;;
  # The local control plane's tools (tests/src/sandbox), kube first: it is the longest build.
  sandbox) for t in kube etcd kwok moto; do "build_$t" >/dev/null; done ;;
  all) for t in tofu terraform terraform_1_13 etcd kube kwok moto; do "build_$t" >/dev/null; done
       build_kubernetes_provider >/dev/null ;;
  *) echo "usage: $0 tofu|tofu-windows|terraform|terraform-1.13|etcd|kube|kwok|moto|sandbox|kubernetes-provider|all" >&2
     exit 2 ;;
esac
