# insecure = 'maybe'
# expect: insecure ~ bool is required
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  insecure    = "maybe"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
