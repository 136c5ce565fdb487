# role_name and role_name_prefix
# expect: role_name_prefix ~ not both

resource "hub_irsa_binding" "bad" {
  cluster_name     = "hub-sandbox"
  namespace        = "default"
  service_account  = "corpus-sa"
  role_name        = "corpus-role"
  role_name_prefix = "corpus-"
}
