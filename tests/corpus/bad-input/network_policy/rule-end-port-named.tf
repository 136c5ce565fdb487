# end_port with a named port
# expect: egress[0].ports[0].end_port ~ numeric port

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  egress    = [{ ports = [{ port = "http", end_port = 90 }] }]
}
