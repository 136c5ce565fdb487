# deny_all_ingress = false and an ingress allow
# expect: deny_all_ingress ~ contradictory

resource "hub_network_policy" "bad" {
  name                              = "corpus-np"
  namespace                         = "default"
  deny_all_ingress                  = false
  allow_ingress_from_same_namespace = {}
}
