# port 5432.5
# expect: allow_egress_to_databases[0].ports[0] ~ port number

resource "hub_network_policy" "bad" {
  name                      = "corpus-np"
  namespace                 = "default"
  allow_egress_to_databases = [{ cidrs = ["10.1.0.0/16"], ports = [5432.5] }]
}
