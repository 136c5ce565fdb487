# a context the kubeconfig does not have
# expect: config_context ~ no-such-context
# provider: own

provider "hub" {
  config_path    = "@KUBECONFIG@"
  config_context = "no-such-context"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
