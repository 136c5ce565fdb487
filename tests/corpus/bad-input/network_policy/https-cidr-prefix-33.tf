# prefix 33
# expect: allow_https_egress.cidrs[0] ~ prefix outside

resource "hub_network_policy" "bad" {
  name               = "corpus-np"
  namespace          = "default"
  allow_https_egress = { cidrs = ["10.0.0.0/33"] }
}
