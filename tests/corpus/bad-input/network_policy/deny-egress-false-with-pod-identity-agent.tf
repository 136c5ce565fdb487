# deny_all_egress = false and the Pod Identity agent preset, which isolates egress
# expect: deny_all_egress ~ contradictory

resource "hub_network_policy" "bad" {
  name                     = "corpus-np"
  namespace                = "default"
  deny_all_egress          = false
  allow_pod_identity_agent = true
}
