# IAM path with '//'
# expect: path ~ empty segments

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  path            = "/apps//prod/"
}
