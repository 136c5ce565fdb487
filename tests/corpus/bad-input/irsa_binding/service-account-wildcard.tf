# wildcard without opting in
# expect: service_account ~ wildcard

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "app-*"
}
