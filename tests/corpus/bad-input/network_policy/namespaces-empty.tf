# an empty namespace list would allow every namespace
# expect: allow_ingress_from_namespaces.namespaces ~ is empty

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  allow_ingress_from_namespaces = { namespaces = [], ports = [8080] }
}
