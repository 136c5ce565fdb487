# ports as a string
# expect: ports ~ list of number required

resource "hub_network_policy" "bad" {
  name                              = "corpus-np"
  namespace                         = "default"
  allow_ingress_from_same_namespace = { ports = "80" }
}
