# port "0"
# expect: ingress[0].ports[0].port ~ outside 1..65535

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ ports = [{ port = "0" }] }]
}
