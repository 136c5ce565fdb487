# IPv6 exception of an IPv4 block
# expect: ingress[0].from[0].except[0] ~ not strictly inside

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ from = [{ cidr = "10.0.0.0/16", except = ["fd00::/64"] }] }]
}
