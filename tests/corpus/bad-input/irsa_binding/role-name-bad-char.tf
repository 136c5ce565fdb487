# role name with a space
# expect: role_name ~ only letters

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  role_name       = "my role"
}
