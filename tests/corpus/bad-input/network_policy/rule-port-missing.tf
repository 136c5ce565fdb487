# port entry without port
# expect: port ~ required

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ ports = [{ protocol = "TCP" }] }]
}
