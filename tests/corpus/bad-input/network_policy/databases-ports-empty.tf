# a database rule without ports would allow every port
# expect: allow_egress_to_databases[0].ports ~ every port

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  allow_egress_to_databases = [{ cidrs = ["10.0.20.0/24"], ports = [] }]
}
