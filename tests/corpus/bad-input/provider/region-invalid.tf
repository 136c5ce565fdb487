# region with spaces
# expect: region ~ region
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  region      = "us east 1"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
