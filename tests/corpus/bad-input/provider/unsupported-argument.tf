# an argument the provider does not have
# expect: kubeconfig ~ not expected here
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  kubeconfig  = "x"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
