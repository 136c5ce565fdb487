# end_port 70000
# expect: ingress[0].ports[0].end_port ~ from 1 to 65535

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ ports = [{ port = "8000", end_port = 70000 }] }]
}
