# named port of 16 characters
# expect: ingress[0].ports[0].port ~ named port

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ ports = [{ port = "metrics-endpoint" }] }]
}
