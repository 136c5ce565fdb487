# namespace name with a space
# expect: allow_ingress_from_namespaces.namespaces[0] ~ DNS-1123

resource "hub_network_policy" "bad" {
  name                          = "corpus-np"
  namespace                     = "default"
  allow_ingress_from_namespaces = { namespaces = ["team a"] }
}
