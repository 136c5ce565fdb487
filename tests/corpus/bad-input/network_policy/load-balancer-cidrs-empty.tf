# no load balancer CIDR would allow every address
# expect: allow_ingress_from_load_balancer.cidrs ~ every address

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  allow_ingress_from_load_balancer = { cidrs = [], ports = [8080] }
}
