# peer is both an IP block and a selector
# expect: ingress[0].from[0] ~ not both

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ from = [{ cidr = "10.0.0.0/8", pod_selector = { app = "x" } }] }]
}
