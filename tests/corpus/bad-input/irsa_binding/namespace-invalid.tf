# namespace with upper case
# expect: namespace ~ DNS-1123

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "Default"
  service_account = "corpus-sa"
}
