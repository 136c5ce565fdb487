# a policy with no deny and no rule still isolates ingress
# expect: deny_all_ingress ~ no deny and no allow rule

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  pod_selector = { app = "api" }
}
