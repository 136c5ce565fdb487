# no load balancer port would allow every port
# expect: allow_ingress_from_load_balancer.ports ~ every port

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  allow_ingress_from_load_balancer = { cidrs = ["10.0.0.0/16"], ports = [] }
}
