#!/usr/bin/env bash
# The quick start (`make demo`): builds what it needs, starts the local control plane, applies
# examples/local-demo (the apps module of examples/eks-stack) with the EKS stack's
# dev.tfvars, verifies the result with hub-workload, and says how to look around and tear down.
#
#   scripts/demo.sh        build, start, apply, verify (re-running reuses the running plane and state)
#   scripts/demo.sh down   destroy the demo's resources and stop the local control plane
#
# Everything it writes goes to $HUB_DEMO_DIR (default target/hub-demo): state, logs, the plane's files.
# Needs: cargo, go (first run only: the tools are built from the Go module proxy), python3, curl.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
demo=${HUB_DEMO_DIR:-$target/hub-demo}
plane=$demo/sandbox
port=${HUB_DEMO_PORT:-18080}
admin_port=${HUB_DEMO_ADMIN_PORT:-18081}   # /configs, /identity and /metrics are served there only
stack=examples/local-demo
var_file=../eks-stack/dev.tfvars
mkdir -p "$demo/logs"
t0=$SECONDS

step() { printf '\n\033[1m==> [%4ds] %s\033[0m\n' $((SECONDS - t0)) "$*"; }
note() { printf '    %s\n' "$*"; }

# progress LABEL LOG COMMAND...: runs COMMAND with its output in LOG and, while it runs, shows the elapsed
# time and LOG's last line (in place on a terminal, every 15 s otherwise). On failure shows LOG's tail.
progress() {
  local label=$1 log=$2; shift 2
  local start=$SECONDS last=0
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    local line
    line=$(tail -n 1 "$log" 2>/dev/null | tr -d '\r' | cut -c1-90)
    if [ -t 1 ]; then
      printf '\r\033[K    %s: %3d s  %s' "$label" $((SECONDS - start)) "$line"
    elif [ $((SECONDS - last)) -ge 15 ]; then
      printf '    %s: %3d s  %s\n' "$label" $((SECONDS - start)) "$line"
      last=$SECONDS
    fi
    sleep 1
  done
  local rc=0
  wait "$pid" || rc=$?
  [ -t 1 ] && printf '\r\033[K'
  if [ "$rc" -ne 0 ]; then
    printf '    %s FAILED (exit %d) after %d s; last lines of %s:\n' "$label" "$rc" $((SECONDS - start)) "$log"
    tail -n 30 "$log" | sed 's/^/      /'
    exit "$rc"
  fi
  printf '    %s: done in %d s\n' "$label" $((SECONDS - start))
}

bin=$target/debug
tofu_dir() { tests/tools/build.sh tofu 2>/dev/null; }

# The CLI configuration: hub/hub from a filesystem mirror holding a link to the freshly built provider.
write_cli_config() {
  local version
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' provider/Cargo.toml | head -n 1)
  for host in registry.opentofu.org registry.terraform.io; do
    local d=$demo/mirror/$host/hub/hub/$version/linux_amd64
    mkdir -p "$d"
    ln -sf "$bin/terraform-provider-hub" "$d/terraform-provider-hub_v$version"
  done
  printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$demo/mirror" >"$demo/cli.tfrc"
  export TF_CLI_CONFIG_FILE=$demo/cli.tfrc TF_DATA_DIR=$demo/tf-data TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
}

tf() { "$tofu" -chdir="$stack" "$@"; }

# Whether the demo's plane is up: its state exists and no component is stopped.
plane_running() {
  local status
  status=$("$bin/hub-sandbox" status --dir "$plane" 2>/dev/null) && ! grep -qi stopped <<<"$status"
}

down() {
  step "Destroying the demo's resources"
  if [ -f "$demo/terraform.tfstate" ] && [ -x "$bin/hub-sandbox" ] && plane_running; then
    tofu=$(tofu_dir)/tofu
    write_cli_config
    eval "$("$bin/hub-sandbox" env --dir "$plane")"
    tf destroy -auto-approve -input=false -var-file="$var_file"
  else
    note "no running demo plane with state; nothing to destroy"
  fi
  step "Stopping the local control plane"
  if [ -x "$bin/hub-sandbox" ]; then "$bin/hub-sandbox" down --dir "$plane" || true; fi
  rm -f "$demo/terraform.tfstate" "$demo/terraform.tfstate.backup"
  step "Done in $((SECONDS - t0)) s"
}

if [ "${1:-}" = "down" ]; then
  down
  exit 0
fi

for tool in cargo python3 curl; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is required" >&2; exit 1; }
done

step "1/6 Test tools: OpenTofu and the local plane's kube-apiserver, etcd, kwok, moto (cached after the first build)"
progress "tests/tools/build.sh tofu sandbox" "$demo/logs/tools.log" \
  bash -c 'tests/tools/build.sh tofu && tests/tools/build.sh sandbox'
tofu=$(tofu_dir)/tofu
write_cli_config
note "$("$tofu" version | head -n 1)"

step "2/6 Building hub: terraform-provider-hub, hub-workload, hub-sandbox"
progress "cargo build" "$demo/logs/cargo.log" \
  cargo build -p terraform-provider-hub -p hub-workload -p hub-acceptance \
  --bin terraform-provider-hub --bin hub-workload --bin hub-sandbox

step "3/6 Local control plane (kube-apiserver + etcd + kwok nodes, moto with EKS cluster hub-sandbox)"
if plane_running; then
  note "already running in $plane (reused)"
else
  # A new plane is empty: state left from an earlier one describes nothing that exists any more.
  rm -f "$demo/terraform.tfstate" "$demo/terraform.tfstate.backup"
  progress "hub-sandbox up" "$demo/logs/sandbox-up.log" "$bin/hub-sandbox" up --dir "$plane"
  grep -E '^  (api server|aws endpoint|oidc issuer)' "$demo/logs/sandbox-up.log" || true
fi
eval "$("$bin/hub-sandbox" env --dir "$plane")"

step "4/6 tofu apply -var-file=$var_file in $stack (apps module: platform + services, hub in EKS mode)"
# The lock file would pin the checksum of the previous build of the provider; it records nothing else.
rm -f "$stack/.terraform.lock.hcl"
progress "tofu init" "$demo/logs/init.log" tf init -input=false -backend-config="path=$demo/terraform.tfstate"
# The CLI's own progress lines ("Still creating... [10s elapsed]") show the wait for the rollouts.
set +e
tf apply -auto-approve -input=false -no-color -var-file="$var_file" 2>&1 | tee "$demo/logs/apply.log" |
  grep --line-buffered -E 'Creating|Creation complete|Modifying|Modifications complete|Destroying|Still|Apply complete|Error|No changes' |
  sed 's/^/    /'
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || { echo "    apply failed; last lines of $demo/logs/apply.log:"; tail -n 30 "$demo/logs/apply.log"; exit "$rc"; }

if grep -Eq 'Network Policy (Not Enforced|Enforcement Unknown)' "$demo/logs/apply.log"; then
  note "hub warns that the cluster may not enforce NetworkPolicies. True here: the local plane has no network"
  note "plugin, so the policies are stored, not enforced. On EKS the stack turns on enableNetworkPolicy in the"
  note "vpc-cni add-on. (Warnings in $demo/logs/apply.log.)"
fi

step "5/6 Verifying: hub-workload runs locally with the api's rendered config and its IRSA role"
tf output -json verification >"$demo/verification.json"
read_json() { python3 -c "import json,sys; v=json.load(open('$demo/verification.json')); print($1)"; }
app=$(read_json 'v["app"]')
ns=$(read_json 'v["namespace"]')
sa=$(read_json 'v["service_account"]')
role=$(read_json 'v["role_arn"]')
note "app $app in $ns, service account $sa, role $role"

pki=$HUB_SANDBOX_DIR/pki
kube() { curl -sS --fail --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$@"; }
note "pods (kwok nodes):"
kube "$HUB_SANDBOX_API_SERVER/api/v1/namespaces/$ns/pods" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["items"]:
    ready = any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))
    print("      %-40s %-8s %s" % (p["metadata"]["name"], "Ready" if ready else "NotReady", p["spec"].get("nodeName", "")))'

# The token EKS would project into the pod: audience sts.amazonaws.com, for the app's service account.
kube -X POST -H 'Content-Type: application/json' \
  -d '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"audiences":["sts.amazonaws.com"],"expirationSeconds":3600}}' \
  "$HUB_SANDBOX_API_SERVER/api/v1/namespaces/$ns/serviceaccounts/$sa/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["token"], end="")' >"$demo/token"
chmod 600 "$demo/token"

# The app's bucket (on AWS it exists already; in moto the demo creates it).
grants=()
for bucket in $(read_json '" ".join(v["s3_buckets"])'); do
  curl -sS -o /dev/null -X PUT --aws-sigv4 "aws:amz:${AWS_REGION}:s3" \
    --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" "$AWS_ENDPOINT_URL/$bucket" || true
  grants+=("s3://$bucket/")
done

# The rendered ConfigMap's entries become the environment, as in the pod; their names are declared public
# so that /configs shows them (it hides every value whose name it does not know to be safe).
mapfile -t config_env < <(read_json '"\n".join(k + "=" + x for k, x in v["config"].items())')
expect=()
for kv in "${config_env[@]}"; do expect+=(--expect-config "$kv"); done

workload_pid=
stop_workload() { [ -n "$workload_pid" ] && kill "$workload_pid" 2>/dev/null || true; }
trap stop_workload EXIT
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SHARED_CREDENTIALS_FILE -u AWS_CONFIG_FILE \
  "${config_env[@]}" \
  HUB_PUBLIC_KEYS="$(printf '%s\n' "${config_env[@]}" | cut -d= -f1 | paste -sd,)" \
  HUB_HOST=127.0.0.1 HUB_PORT="$port" HUB_ADMIN_PORT="$admin_port" HUB_SERVICE_NAME="$app" \
  AWS_ROLE_ARN="$role" AWS_WEB_IDENTITY_TOKEN_FILE="$demo/token" AWS_ROLE_SESSION_NAME="$app-demo" \
  HUB_GRANTS="$(IFS=,; echo "${grants[*]}")" \
  "$bin/hub-workload" >"$demo/logs/workload.log" 2>&1 &
workload_pid=$!
"$bin/hub-workload" check "http://127.0.0.1:$port" --admin "http://127.0.0.1:$admin_port" "${expect[@]}" --timeout 30s | sed 's/^/    /'
"$bin/hub-workload" check "http://127.0.0.1:$admin_port/identity" --timeout 30s | sed 's/^/    /'
curl -sS "http://127.0.0.1:$admin_port/identity" | python3 -c '
import json, sys
v = json.load(sys.stdin)
print("    caller:", v["caller"].get("arn"))
for g in v.get("grants", []):
    print("    grant: %s %s %s" % (g["grant"], "ok" if g["ok"] else "FAILED", g.get("detail", "")))'
stop_workload

step "6/6 Outputs"
tf output managed_applications | sed 's/^/    /'
tf output -raw access_instructions | sed 's/^/    /'
echo
cat <<EOF

Look around:
    eval "\$($bin/hub-sandbox env --dir $plane)"    # KUBECONFIG, AWS_ENDPOINT_URL, ...
    kubectl get pods,svc,hpa,pdb,networkpolicy -n $ns    # if kubectl is installed
    $tofu -chdir=$stack state list                        # with TF_CLI_CONFIG_FILE=$demo/cli.tfrc TF_DATA_DIR=$demo/tf-data
    logs: $demo/logs/

Tear down:
    make demo-down        # destroys the resources, then stops the local control plane

Demo ready in $((SECONDS - t0)) s.
EOF
