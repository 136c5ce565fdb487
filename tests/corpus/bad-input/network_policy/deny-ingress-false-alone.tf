# deny_all_ingress = false and nothing else still denies ingress
# expect: deny_all_ingress ~ no deny and no allow rule

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  deny_all_ingress = false
}
