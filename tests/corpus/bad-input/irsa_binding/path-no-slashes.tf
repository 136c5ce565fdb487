# IAM path without slashes
# expect: path ~ start and end

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  path            = "apps"
}
