# assume_role without role_arn
# expect: role_arn ~ required
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  aws         = { assume_role = { session_name = "x" } }
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
