# kubeconfig that does not exist
# expect: config_path ~ /nonexistent/kubeconfig
# provider: own

provider "hub" {
  config_path = "/nonexistent/kubeconfig"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
