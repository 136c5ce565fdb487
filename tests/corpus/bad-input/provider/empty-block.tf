# a known provider block that names no cluster fails the plan, not the apply
# expect: cluster_name ~ Provider Not Configured
# provider: own

provider "hub" {}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
