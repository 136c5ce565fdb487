# empty peer
# expect: ingress[0].from[0] ~ Empty Peer

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  ingress   = [{ from = [{}] }]
}
