# exception outside the allowed range
# expect: allow_https_egress.except ~ not strictly inside

resource "hub_network_policy" "bad" {
  name               = "corpus-np"
  namespace          = "default"
  allow_https_egress = { cidrs = ["10.0.0.0/16"], except = ["192.168.0.0/24"] }
}
