# deny_all_egress = false and an egress allow
# expect: deny_all_egress ~ contradictory

resource "hub_network_policy" "bad" {
  name            = "corpus-np"
  namespace       = "default"
  deny_all_egress = false
  allow_dns       = true
}
