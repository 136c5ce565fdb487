# a cluster that does not answer fails the plan
# expect: host ~ Cluster Not Reachable
# provider: own

provider "hub" {
  host  = "https://127.0.0.1:9"
  token = "corpus-token"
}

resource "hub_network_policy" "probe" {
  name             = "corpus-provider-probe"
  namespace        = "default"
  deny_all_ingress = true
}
