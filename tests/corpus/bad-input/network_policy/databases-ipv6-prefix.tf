# IPv6 prefix 129
# expect: allow_egress_to_databases[0].cidrs[0] ~ prefix outside

resource "hub_network_policy" "bad" {
  name                      = "corpus-np"
  namespace                 = "default"
  allow_egress_to_databases = [{ cidrs = ["fd00::/129"], ports = [5432] }]
}
