# service account with a space
# expect: service_account ~ not a valid name

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "my sa"
}
