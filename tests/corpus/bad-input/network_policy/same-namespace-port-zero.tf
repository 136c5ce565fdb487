# port 0
# expect: allow_ingress_from_same_namespace.ports[0] ~ 1 to 65535

resource "hub_network_policy" "bad" {
  name                              = "corpus-np"
  namespace                         = "default"
  allow_ingress_from_same_namespace = { ports = [0] }
}
