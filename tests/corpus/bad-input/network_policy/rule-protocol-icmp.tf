# protocol ICMP
# expect: ingress[0].ports[0].protocol ~ not allowed

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ ports = [{ port = "80", protocol = "ICMP" }] }]
}
