# CIDR with host bits
# expect: allow_https_egress.cidrs[0] ~ host bits

resource "hub_network_policy" "bad" {
  name               = "corpus-np"
  namespace          = "default"
  allow_https_egress = { cidrs = ["10.0.0.1/16"] }
}
