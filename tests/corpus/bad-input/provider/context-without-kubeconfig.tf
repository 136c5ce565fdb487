# config_context alone
# expect: config_context ~ config_path
# provider: own

provider "hub" {
  config_context = "hub-sandbox"
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
