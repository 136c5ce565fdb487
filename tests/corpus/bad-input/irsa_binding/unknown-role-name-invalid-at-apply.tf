# a role name only known at apply, and invalid then
# expect: role_name ~ only letters

resource "terraform_data" "seed" {
  input = "x"
}

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  role_name       = replace(terraform_data.seed.id, "/.*/", "bad role!")
}
