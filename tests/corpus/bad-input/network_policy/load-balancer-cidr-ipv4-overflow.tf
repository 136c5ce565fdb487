# address 300.0.0.0
# expect: allow_ingress_from_load_balancer.cidrs[0] ~ invalid address

resource "hub_network_policy" "bad" {
  name                             = "corpus-np"
  namespace                        = "default"
  allow_ingress_from_load_balancer = { cidrs = ["300.0.0.0/8"], ports = [8080] }
}
