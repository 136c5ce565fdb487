# host and kubeconfig
# expect: config_path ~ conflicting
# provider: own

provider "hub" {
  host        = "https://127.0.0.1:6443"
  config_path = "@KUBECONFIG@"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
