# end_port below port
# expect: ingress[0].ports[0].end_port ~ below port

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ ports = [{ port = "8080", end_port = 8000 }] }]
}
