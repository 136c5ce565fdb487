# namespace with a space
# expect: namespace ~ DNS-1123

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "my ns"
  allow_dns = true
}
